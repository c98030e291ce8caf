import { describe, expect, it } from 'vitest';
import { lazy } from './lazy.js';

describe('lazy', () => {
  it('builds once, on the first call', () => {
    let builds = 0;
    const get = lazy(() => {
      builds += 1;
      return { built: builds };
    });
    expect(builds).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a built undefined without building again', () => {
    let builds = 0;
    const get = lazy(() => {
      builds += 1;
      return undefined;
    });
    get();
    get();
    expect(builds).toBe(1);
  });
});
