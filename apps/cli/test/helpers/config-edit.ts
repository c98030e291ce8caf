import { readFile, writeFile } from 'node:fs/promises';
import { executeSql } from '@supaops/pg-connect';

// biome-ignore lint/suspicious/noExplicitAny: a config file as JSON, edited by tests
type Json = Record<string, any>;

/** Edits a test's supaops.config.json in place (instances, servers). */
export async function editConfig(file: string, edit: (config: Json) => void): Promise<void> {
  const config = JSON.parse(await readFile(file, 'utf8')) as Json;
  edit(config);
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** Runs SQL statements one by one on a test database. */
export async function sql(url: string, ...statements: string[]): Promise<void> {
  for (const s of statements) await executeSql(url, s);
}

/** The number of one `SELECT count(*) AS n …`. */
export async function scalar(url: string, query: string): Promise<number> {
  const { rows } = await executeSql<{ n: string }>(url, query);
  return Number(rows[0]?.n);
}
