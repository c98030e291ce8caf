import { describe, expect, it } from 'vitest';
import {
  SandboxBinariesNotFoundError,
  SandboxError,
  SandboxLockError,
  SandboxLogError,
  SandboxNotInitialisedError,
  SandboxOsUserError,
  SandboxStartError,
  SandboxStateError,
  SandboxStopError,
  SandboxUnreachableError,
  SandboxValidationError,
  SandboxVersionMismatchError,
} from './errors.js';

const classes = [
  SandboxValidationError,
  SandboxBinariesNotFoundError,
  SandboxUnreachableError,
  SandboxVersionMismatchError,
  SandboxOsUserError,
  SandboxStateError,
  SandboxLockError,
  SandboxStartError,
  SandboxStopError,
  SandboxNotInitialisedError,
  SandboxLogError,
];
// one error of each class (two for the class with two codes), and the classes each one is
const cases: [SandboxError, unknown[]][] = [
  [new SandboxError('START_FAILED', 'm'), []],
  [new SandboxValidationError('x', ['a: b']), [SandboxValidationError]],
  [new SandboxBinariesNotFoundError('m', ['/usr/bin']), [SandboxBinariesNotFoundError]],
  [
    new SandboxUnreachableError('BINARIES_UNREACHABLE', '/p', '/root', 'm'),
    [SandboxUnreachableError],
  ],
  [
    new SandboxUnreachableError('DATA_DIR_UNREACHABLE', '/p', '/root', 'm'),
    [SandboxUnreachableError],
  ],
  [new SandboxVersionMismatchError('15', '17', 'm'), [SandboxVersionMismatchError]],
  [new SandboxOsUserError('m'), [SandboxOsUserError]],
  [new SandboxStateError('/s.json', 'm'), [SandboxStateError]],
  [new SandboxLockError('/l.lock', 42, 'm'), [SandboxLockError]],
  [new SandboxStartError('m', 'log'), [SandboxStartError]],
  [new SandboxStopError('m'), [SandboxStopError]],
  [new SandboxNotInitialisedError('/d', 'm'), [SandboxNotInitialisedError]],
  [new SandboxLogError('/d/log', 'm'), [SandboxLogError]],
];

describe('sandbox error kinds', () => {
  it('SandboxError.isInstance is true for every error of the package', () => {
    for (const [error] of cases) {
      expect(SandboxError.isInstance(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('each class isInstance is true for itself and its subclasses only, like instanceof', () => {
    for (const [error, is] of cases) {
      for (const cls of classes) {
        const answer = { error: error.name, cls: cls.name, is: cls.isInstance(error) };
        expect(answer).toEqual({ error: error.name, cls: cls.name, is: is.includes(cls) });
        expect(cls.isInstance(error)).toBe(error instanceof cls);
      }
    }
  });

  it('a subclass defined outside the package is still its parent kind', () => {
    class TimedOutStart extends SandboxStartError {}
    const error = new TimedOutStart('m');
    expect(SandboxStartError.isInstance(error)).toBe(true);
    expect(SandboxStopError.isInstance(error)).toBe(false);
  });

  it('tells kinds apart across duplicate copies, by the global symbols', () => {
    const marker = Symbol.for('supaops.sandbox.error');
    const kinds = Symbol.for('supaops.sandbox.error.kinds');
    const foreign = Object.assign(new Error('x'), {
      [marker]: true,
      [kinds]: ['SandboxError', 'SandboxStateError'],
      code: 'STATE_INVALID',
    });
    expect(SandboxStateError.isInstance(foreign)).toBe(true);
    expect(SandboxStartError.isInstance(foreign)).toBe(false);
    expect(SandboxError.isInstance(foreign)).toBe(true);
    // kinds without the package marker, or a marker with junk kinds, are not enough
    expect(SandboxStateError.isInstance({ [kinds]: ['SandboxStateError'] })).toBe(false);
    expect(SandboxStateError.isInstance({ [marker]: true, [kinds]: 'SandboxStateError' })).toBe(
      false,
    );
    expect(
      SandboxStateError.isInstance({ [marker]: true, [kinds]: [1, 'SandboxStateErrorX'] }),
    ).toBe(false);
    expect(SandboxLogError.isInstance({ [marker]: true, code: 'LOG_UNREADABLE' })).toBe(false);
    expect(SandboxStateError.isInstance(null)).toBe(false);
  });

  it('keeps the kinds out of JSON and enumeration', () => {
    const error = new SandboxLockError('/l.lock', 7, 'm');
    const kinds = Symbol.for('supaops.sandbox.error.kinds');
    expect(Object.getOwnPropertyDescriptor(error, kinds)?.enumerable).toBe(false);
    expect(Object.getOwnPropertyDescriptor(error, kinds)?.value).toEqual([
      'SandboxError',
      'SandboxLockError',
    ]);
    expect(JSON.stringify(error)).not.toContain('"SandboxError"');
  });
});
