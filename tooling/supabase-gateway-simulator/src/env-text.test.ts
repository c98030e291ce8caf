// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose's ${VAR} syntax is the subject of these tests
import { describe, expect, test } from 'vitest';
import { parseEnvText } from './env-text.js';
import { GatewayEnvError } from './errors.js';

// Expected values follow compose-go's dotenv tests and parser.go (compose-spec/compose-go).

describe('parseEnvText', () => {
  test('plain lines, comments, blank lines, export and yaml-style keys', () => {
    expect(
      parseEnvText('# header\n\nA=1\nexport B=two\nC: three\n  D=4\n#E=5\nweird.key-name[0]=ok\n'),
    ).toEqual({ A: '1', B: 'two', C: 'three', D: '4', 'weird.key-name[0]': 'ok' });
  });

  test('unquoted values: inline " #" comments go, "#" inside stays, trailing space and CR go', () => {
    expect(parseEnvText('A=value # comment\nB=pa#ss\nC=  spaced  \r\nD=\nE=last')).toEqual({
      A: 'value',
      B: 'pa#ss',
      C: 'spaced',
      D: '',
      E: 'last',
    });
  });

  test('single quotes are literal, span lines and keep surrounding spaces', () => {
    expect(parseEnvText("A=' keep $B \\n '\nB='line1\nline2'\nC='it\\'s'")).toEqual({
      A: ' keep $B \\n ',
      B: 'line1\nline2',
      C: "it's",
    });
  });

  test('double quotes take escapes and keep trailing spaces (a secret is not trimmed)', () => {
    expect(
      parseEnvText(
        'A="tab\\there\\nnl \\"q\\" back\\\\slash"\nB="dollar \\$HOME"\nC="keep \\c"\nD="\\0101"\nE="\\01"\nS="secret "',
      ),
    ).toEqual({
      A: 'tab\there\nnl "q" back\\slash',
      B: 'dollar $HOME',
      C: 'keep \\c',
      D: 'A',
      E: '\\01',
      S: 'secret ',
    });
  });

  test('interpolation of earlier keys, defaults and alternatives, $$ as a literal dollar', () => {
    const env = parseEnvText(
      [
        'HOST=db',
        'EMPTY=',
        'URL=postgres://$HOST:5432',
        'B=${HOST}/x',
        'C=${MISSING:-fallback}',
        'D=${EMPTY:-colon}',
        'E=${EMPTY-dash}',
        'F=${HOST:+alt}',
        'G=${MISSING+alt}',
        'H=${EMPTY+set}',
        'I=price $$5',
        'J="${HOST}-q"',
        "K='${HOST}'",
        'L=${MISSING}',
        'M=${MISSING:-${HOST}}',
        'N=${HOST?needed}',
      ].join('\n'),
    );
    expect(env).toMatchObject({
      URL: 'postgres://db:5432',
      B: 'db/x',
      C: 'fallback',
      D: 'colon',
      E: '',
      F: 'alt',
      G: '',
      H: 'set',
      I: 'price $5',
      J: 'db-q',
      K: '${HOST}',
      L: '',
      M: 'db',
      N: 'db',
    });
  });

  test('a bare name inherits from a shell the simulator does not have; "=x" is skipped', () => {
    expect(parseEnvText('INHERITED\n=orphan\nA=1')).toEqual({ A: '1' });
  });

  test('text after a closing quote is the next statement', () => {
    expect(parseEnvText('A="x" # trailing comment\nB=2')).toEqual({ A: 'x', B: '2' });
  });

  const refused: [string, string, number][] = [
    ['A="open\nB=1', 'unterminated quoted value "open', 1],
    ['OK=1\nBAD KEY=1', 'key cannot contain a space', 2],
    ['A=1\nB$=2', 'unexpected character "$" in variable name "B$=2"', 2],
    ['A=${B', 'Invalid template', 1],
    ['A=cost$', 'Invalid template', 1],
    ['A=${9}', 'Invalid template', 1],
    ['A=${B!x}', 'Invalid template', 1],
    ['A=${B:?B must be set}', 'required variable B is missing a value: B must be set', 1],
  ];
  test.each(refused)('compose refuses %j', (text, problem, line) => {
    let error: unknown;
    try {
      parseEnvText(text);
    } catch (e) {
      error = e;
    }
    expect(GatewayEnvError.isInstance(error)).toBe(true);
    expect((error as GatewayEnvError).line).toBe(line);
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).toContain('Fix:');
  });
});
