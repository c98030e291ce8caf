import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyPlainEnv, envSchema, parseEnvInput } from './env-input.js';
import { InvalidInputError } from './errors.js';

/** The copy must be what zod returns, or absent: never an input zod would reject or change. */
function expectAgreement(input: unknown): 'copied' | 'left to zod' {
  const copy = copyPlainEnv(input);
  if (copy === undefined) return 'left to zod';
  const parsed = envSchema().safeParse(input);
  expect(parsed.success).toBe(true);
  expect(copy).toStrictEqual(parsed.data);
  expect(Reflect.ownKeys(copy)).toEqual(Reflect.ownKeys(parsed.data as object));
  expect(copy).not.toBe(input);
  return 'copied';
}

const value = fc.oneof(
  fc.string(),
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant(Symbol('v')),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.date(),
);

describe('copyPlainEnv agrees with the zod schema', () => {
  it('for any dictionary, including keys such as __proto__, constructor and numbers', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'toString', '0', '10', '-1'),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (env) => {
        expectAgreement(env);
      }),
      { numRuns: 500 },
    );
  });

  it('copies every env of string, undefined and null values', () => {
    // a `__proto__` key is left to zod on purpose (tested above and below), so it is no plain env
    const plain = fc.dictionary(
      fc.string().filter((key) => key !== '__proto__'),
      fc.oneof(fc.string(), fc.constant(undefined), fc.constant(null)),
    );
    fc.assert(
      fc.property(plain, (env) => {
        expect(expectAgreement(env)).toBe('copied');
      }),
    );
  });

  it.each<[string, unknown]>([
    ['null prototype', Object.assign(Object.create(null), { A: 'x' })],
    ['own constructor string', { constructor: 'x', A: 'y' }],
    ['process.env', process.env],
    ['array', ['a']],
    ['class instance', new (class Env {})()],
    ['Map', new Map([['A', 'x']])],
    ['Date', new Date()],
    ['string', 'A=x'],
    ['null', null],
    ['function', () => ({ A: 'x' })],
    ['symbol key', { A: 'x', [Symbol('s')]: 'y' }],
    ['own __proto__ key', JSON.parse('{"__proto__": "x", "A": "y"}')],
    ['non-enumerable key', Object.defineProperty({ A: 'x' }, 'B', { value: 'y' })],
    ['number value', { A: 1 }],
    [
      'throwing getter',
      {
        get A(): string {
          throw new Error('boom');
        },
      },
    ],
    ['proxy without traps', new Proxy({ A: 'x', B: undefined }, {})],
  ])('%s', (_name, input) => {
    expectAgreement(input);
  });

  it('takes the copy for a parsed .env, a null-prototype object and an own constructor string', () => {
    expect(expectAgreement({ JWT_SECRET: 'x', ANON_KEY: undefined, SERVICE_ROLE_KEY: null })).toBe(
      'copied',
    );
    expect(expectAgreement(Object.assign(Object.create(null), { A: 'x' }))).toBe('copied');
    expect(expectAgreement({ constructor: 'x' })).toBe('copied');
  });

  it('reads a getter once on the copy path, like zod', () => {
    let reads = 0;
    const env = {
      get A(): string {
        reads += 1;
        return 'x';
      },
    };
    expect(copyPlainEnv(env)).toEqual({ A: 'x' });
    expect(reads).toBe(1);
  });
});

describe('parseEnvInput', () => {
  it('returns the copy of a valid env', () => {
    const env = { A: 'x', B: undefined };
    expect(parseEnvInput('f', env)).toStrictEqual({ A: 'x', B: undefined });
  });

  it('throws the typed error with zod issues and the hint for an invalid one', () => {
    let error: unknown;
    try {
      parseEnvInput('someFunction', { A: 5 }, 'pass strings');
    } catch (caught) {
      error = caught;
    }
    expect(InvalidInputError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('someFunction');
    expect(message).toContain('A');
    expect(message).toContain('pass strings');
  });
});

describe('process.env', () => {
  it('is read as the plain env it holds (the README calls diagnoseKeys(process.env))', () => {
    const name = 'SUPAOPS_ENV_INPUT_TEST';
    process.env[name] = 'x';
    try {
      const parsed = parseEnvInput('diagnoseKeys', process.env);
      expect(parsed[name]).toBe('x');
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    } finally {
      delete process.env[name];
    }
  });
});
