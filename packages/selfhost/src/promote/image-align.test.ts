import { describe, expect, it } from 'vitest';
import { alignImages } from './image-align.js';
import { ComposeFileError } from './promote-errors.js';

const target = `# prod
services:
  db:
    image: "supabase/postgres:15.8.1" # pinned
    restart: always
  kong:
    image: 'kong:3.9.1'
  rest:
    image: postgrest/postgrest:v12
  old:
    image: busybox:1
  built:
    build: .
`;
const source = `services:
  db: { image: supabase/postgres:17.6.1 }
  kong:
    image: kong:3.9.3
  rest:
    image: postgrest/postgrest:v14 beta
  extra:
    image: redis:7
`;

describe('alignImages', () => {
  it('takes the source’s image for each shared service and keeps every other byte', () => {
    const out = alignImages(source, target);
    expect(out.changes).toEqual([
      { service: 'db', from: 'supabase/postgres:15.8.1', to: 'supabase/postgres:17.6.1' },
      { service: 'kong', from: 'kong:3.9.1', to: 'kong:3.9.3' },
      { service: 'rest', from: 'postgrest/postgrest:v12', to: 'postgrest/postgrest:v14 beta' },
    ]);
    expect(out.sourceOnly).toEqual(['extra']);
    expect(out.targetOnly).toEqual(['old']);
    expect(out.composeFile).toBe(
      target
        .replace('"supabase/postgres:15.8.1"', '"supabase/postgres:17.6.1"')
        .replace("'kong:3.9.1'", "'kong:3.9.3'")
        .replace('postgrest/postgrest:v12', '"postgrest/postgrest:v14 beta"'),
    );
    expect(alignImages(target, target).changes).toEqual([]);
  });

  it('refuses files it cannot read as a compose', () => {
    expect(() => alignImages('services: [', target)).toThrow(ComposeFileError);
    expect(() => alignImages(source, 'name: x\n', { source: 'a', target: 'b' })).toThrow(
      /compose file of b .*no services map/,
    );
  });
});
