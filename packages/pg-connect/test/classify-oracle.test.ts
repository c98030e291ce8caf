// PostgreSQL as the oracle of `readOnly`: every statement of the case table runs in a READ ONLY
// transaction (rolled back). A statement classified read-only must run; one classified as not
// read-only must be refused with SQLSTATE 25006, unless the table says the server is laxer
// (`accepts`) or names the documented limit (`refuses`: a user function that writes).
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFY_CASES, CLASSIFY_FIXTURE } from '../src/classify-cases.test-helper.js';
import {
  classifyStatements,
  createPool,
  executeSql,
  PgQueryError,
  ReadOnlyViolationError,
  type SupaopsPool,
} from '../src/index.js';

const db = useTestDatabase('classify-oracle');
let pool: SupaopsPool;

beforeAll(async () => {
  pool = createPool(db.current.url('postgres'), { name: 'oracle', max: 2 });
  await executeSql(pool, CLASSIFY_FIXTURE);
});

afterAll(async () => {
  await pool?.end();
});

/** 'ok', '25006', or another SQLSTATE (a broken case), with the server's message. */
async function inReadOnlyTransaction(
  sql: string,
  before?: string,
): Promise<{ state: string; message?: string }> {
  try {
    await executeSql(pool, before ? [before, sql] : sql, { readOnly: true, rollback: true });
    return { state: 'ok' };
  } catch (e) {
    if (e instanceof ReadOnlyViolationError) return { state: '25006', message: e.message };
    if (e instanceof PgQueryError) return { state: e.sqlState, message: e.message };
    throw e;
  }
}

const runnable = CLASSIFY_CASES.filter((c) => c.server !== 'skip');

describe('readOnly against a READ ONLY transaction', () => {
  it('covers both sides with many statements', () => {
    const readOnly = runnable.filter((c) => classifyStatements(c.sql)[0]!.readOnly);
    const refused = runnable.filter((c) => !classifyStatements(c.sql)[0]!.readOnly && !c.server);
    expect(readOnly.length).toBeGreaterThanOrEqual(25);
    expect(refused.length).toBeGreaterThanOrEqual(50);
  });

  it.each(runnable)('$sql', async (c) => {
    const [s] = classifyStatements(c.sql);
    const expected = c.server === 'accepts' || (s!.readOnly && !c.server) ? 'ok' : '25006';
    const outcome = await inReadOnlyTransaction(c.sql, c.before);
    expect(outcome.state, outcome.message).toBe(expected);
  });

  it('leaves the fixture as it was (every run rolled back)', async () => {
    const res = await executeSql<{ notes: number; tags: number }>(
      pool,
      'SELECT (SELECT count(*)::int FROM notes) AS notes, (SELECT count(*)::int FROM tags) AS tags',
    );
    expect(res.rows[0]).toEqual({ notes: 2, tags: 1 });
  });

  it('EXECUTE of a prepared read runs, of a prepared DELETE is refused, as classified', async () => {
    const sql = 'PREPARE q AS SELECT * FROM notes; EXECUTE q; DEALLOCATE q';
    expect(classifyStatements(sql)[1]!.readOnly).toBe(true);
    expect((await inReadOnlyTransaction(sql)).state).toBe('ok');
    const del = 'PREPARE d AS DELETE FROM notes WHERE id = 1; EXECUTE d';
    expect(classifyStatements(del)[1]!.readOnly).toBe(false);
    expect((await inReadOnlyTransaction(del)).state).toBe('25006');
  });
});
