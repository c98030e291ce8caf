import { describe, expect, it } from 'vitest';
import { colorEnabled, createColors, stripAnsi } from './colors.js';
import { startProgress } from './progress.js';
import { Redactor } from './redact.js';
import { formatBytes, renderPairs, renderTable } from './table.js';

describe('colorEnabled', () => {
  it.each([
    [{ flag: undefined, env: {}, isTTY: true }, true],
    [{ flag: undefined, env: {}, isTTY: false }, false],
    [{ flag: undefined, env: { NO_COLOR: '1' }, isTTY: true }, false],
    [{ flag: undefined, env: { NO_COLOR: '' }, isTTY: true }, true],
    [{ flag: undefined, env: { FORCE_COLOR: '1' }, isTTY: false }, true],
    [{ flag: undefined, env: { FORCE_COLOR: '' }, isTTY: false }, true],
    [{ flag: undefined, env: { FORCE_COLOR: '0' }, isTTY: true }, false],
    [{ flag: undefined, env: { NO_COLOR: '1', FORCE_COLOR: '1' }, isTTY: true }, false],
    [{ flag: true, env: { NO_COLOR: '1' }, isTTY: false }, true],
    [{ flag: false, env: { FORCE_COLOR: '1' }, isTTY: true }, false],
    [{ flag: undefined, env: { TERM: 'dumb' }, isTTY: true }, false],
  ])('%j → %s', (inputs, expected) => {
    expect(colorEnabled(inputs)).toBe(expected);
  });

  it('createColors(false) adds no escape codes; stripAnsi removes them', () => {
    expect(createColors(false).red('x')).toBe('x');
    expect(stripAnsi(createColors(true).red('x'))).toBe('x');
  });
});

describe('Redactor', () => {
  it('hides known secrets (also percent-encoded) and connection-string passwords', () => {
    const r = new Redactor();
    r.add('s3cret/value+x', undefined, null, 'short');
    r.add('s3cret/value+x');
    expect(r.secrets).toEqual(['s3cret/value+x']);
    expect(r.redact('a s3cret/value+x b s3cret%2Fvalue%2Bx')).toBe('a *** b ***');
    expect(r.redact('postgres://u:pw@h/db')).toBe('postgres://u:pw@h/db');
    r.useConnectionRedactor((line) => line.replace(/:[^:@/]+@/, ':***@'));
    expect(r.redact('ok\npostgres://u:pw@h/db')).toBe('ok\npostgres://u:***@h/db');
  });
});

describe('tables', () => {
  it('aligns columns, right-aligns numbers, ignores colors for width', () => {
    const c = createColors(true);
    const text = renderTable(
      [
        { a: 'x', n: 1 },
        { a: c.red('long'), n: 100 },
      ],
      [
        { header: 'A', value: (r) => r.a },
        { header: 'N', value: (r) => r.n, align: 'right' },
      ],
    );
    expect(stripAnsi(text).split('\n')).toEqual([
      'A       N',
      '----  ---',
      'x       1',
      'long  100',
    ]);
  });

  it('renderPairs and formatBytes', () => {
    expect(
      renderPairs([
        ['a', 1],
        ['long', 'x'],
        ['skip', undefined],
      ]),
    ).toBe('a     1\nlong  x');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});

describe('progress', () => {
  function sink() {
    let text = '';
    return {
      stream: {
        write: (s: string) => {
          text += s;
          return true;
        },
      } as unknown as NodeJS.WritableStream,
      text: () => text,
    };
  }

  it('writes throttled lines with --verbose and nothing otherwise', async () => {
    const out = sink();
    const lines = await startProgress({
      stream: out.stream,
      bar: false,
      lines: true,
      unit: 'bytes',
      title: 'backup',
      lineIntervalMs: 60_000,
    });
    lines.update({ value: 2048, total: 4096, label: 'database' });
    lines.update({ value: 3000, total: 4096, label: 'database' });
    lines.update({ value: 10, label: 'roles' });
    lines.stop();
    expect(out.text()).toBe('backup database: 2.0 KiB of 4.0 KiB\nbackup roles: 10 B\n');
    const quiet = sink();
    const none = await startProgress({
      stream: quiet.stream,
      bar: false,
      lines: false,
      unit: 'items',
      title: 'x',
    });
    none.update({ value: 1 });
    none.stop();
    expect(quiet.text()).toBe('');
  });

  it('draws a bar on a terminal stream', async () => {
    const out = sink();
    Object.assign(out.stream, {
      isTTY: true,
      columns: 100,
      cursorTo() {},
      clearLine() {},
      clearScreenDown() {},
      moveCursor() {},
    });
    const bar = await startProgress({
      stream: out.stream,
      bar: true,
      lines: false,
      unit: 'items',
      title: 'migrations',
    });
    bar.update({ value: 0, total: 2, label: 'a.sql' });
    bar.update({ value: 2, total: 2, label: 'b.sql' });
    bar.stop();
    expect(stripAnsi(out.text())).toContain('migrations');
  });
});
