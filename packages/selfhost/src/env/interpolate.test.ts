// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose ${…} syntax is the test data
import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.js';

const vars: Record<string, string> = { SET: 'v', EMPTY: '' };
const run = (text: string) => interpolate(text, (name) => vars[name]);

describe('interpolate (compose-go template.Substitute)', () => {
  it.each([
    ['plain', 'plain'],
    ['$SET', 'v'],
    ['${SET}', 'v'],
    ['x${SET}y', 'xvy'],
    ['$SET-$SET', 'v-v'],
    ['$$SET', '$SET'],
    ['$', '$'],
    ['a$1', 'a$1'],
    ['$ ', '$ '],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:-d}', 'v'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}}', 'v'],
    ['${UNSET:-a${UNSET:-b}c}', 'abc'],
    ['${SET:?need}', 'v'],
  ])('%s → %s', (text, expected) => {
    const result = run(text);
    expect(result.value).toBe(expected);
    expect(result.problems).toEqual([]);
  });

  it('reports undefined names, required ones and malformed expressions', () => {
    expect(run('$UNSET').problems).toEqual([{ kind: 'undefined-reference', name: 'UNSET' }]);
    expect(run('${UNSET:?x}').problems).toEqual([{ kind: 'required-reference', name: 'UNSET' }]);
    expect(run('${EMPTY:?x}').problems).toEqual([{ kind: 'required-reference', name: 'EMPTY' }]);
    expect(run('${EMPTY?x}').problems).toEqual([]);
    expect(run('${password:32}').problems).toEqual([
      { kind: 'invalid-interpolation', name: 'password' },
    ]);
    expect(run('${1}').problems).toEqual([{ kind: 'invalid-interpolation' }]);
    expect(run('${open').problems).toEqual([{ kind: 'invalid-interpolation' }]);
    expect(run('${open').value).toBe('${open');
  });

  it('lists the names referred to, in order', () => {
    expect(run('$SET ${UNSET:-$EMPTY}').references).toEqual(['SET', 'UNSET', 'EMPTY']);
  });
});
