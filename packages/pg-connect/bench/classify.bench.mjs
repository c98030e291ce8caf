// pnpm bench (second part): classifyStatements on a migration-sized text, against the baseline
// it replaces in the MCP server: a regex classifier (comments, strings and quotes blanked by
// regular expressions, then keyword patterns) over text split at every `;`. The baseline is
// wrong on the decoys the tokenizer exists for; the ratio says what being right costs.
// Goal: at most 2× the baseline.
import { classifyStatements } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_CLASSIFY_ROUNDS ?? 15);

function skeleton(sql) {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, 'X')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

function regexClassify(sql) {
  return sql.split(';').map((stmt) => {
    const s = skeleton(stmt);
    if (/^DROP\b/.test(s)) return 'DROP';
    if (/^TRUNCATE\b/.test(s)) return 'TRUNCATE';
    if (/^(WITH\b.*\)\s*)?DELETE\b/.test(s) && !/\bWHERE\b/.test(s)) return 'DELETE';
    if (/^(WITH\b.*\)\s*)?UPDATE\b/.test(s) && !/\bWHERE\b/.test(s)) return 'UPDATE';
    if (/^ALTER\b.*\bDROP\b/.test(s)) return 'ALTER_DROP';
    return undefined;
  });
}

// a migration-like mix: DDL, functions with dollar bodies, data, comments, CTEs
const block = (i) => `
-- migration step ${i}: notes and tags
CREATE TABLE IF NOT EXISTS public.notes_${i} (id bigint PRIMARY KEY, body text NOT NULL DEFAULT '', "drop" text);
ALTER TABLE public.notes_${i} ADD COLUMN owner uuid REFERENCES auth.users (id), DROP COLUMN IF EXISTS legacy;
CREATE OR REPLACE FUNCTION public.touch_${i}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.body := coalesce(NEW.body, 'DELETE FROM nothing; -- not a statement');
  RETURN NEW;
END $fn$;
INSERT INTO public.notes_${i} (id, body) VALUES (1, 'it''s; DROP TABLE x'), (2, E'line\\n two');
WITH moved AS (DELETE FROM public.notes_${i} WHERE id IN (SELECT id FROM public.notes_${i} WHERE body = '') RETURNING *)
  SELECT count(*) FROM moved;
UPDATE public.notes_${i} SET body = upper(body) WHERE id = 1;
/* a block comment /* nested */ with ; inside */
SELECT n.id, n.body FROM public.notes_${i} n WHERE n."drop" IS NULL ORDER BY n.id FOR UPDATE;
`;
let sql = '';
for (let i = 0; sql.length < 1_000_000; i++) sql += block(i);
const mb = sql.length / 1e6;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

// warm-up, then alternate so load changes hit both sides alike
for (let r = 0; r < 3; r++) {
  classifyStatements(sql);
  regexClassify(sql);
}
const ours = [];
const base = [];
for (let r = 0; r < ROUNDS; r++) {
  ours.push(time(() => classifyStatements(sql)));
  base.push(time(() => regexClassify(sql)));
}
const statements = classifyStatements(sql).length;
const oursMs = median(ours);
const baseMs = median(base);
console.log(
  `classifyStatements on ${mb.toFixed(2)} MB (${statements} statements): ${oursMs.toFixed(1)} ms vs regex baseline ${baseMs.toFixed(1)} ms → ${(oursMs / baseMs).toFixed(2)}×; ${(mb / (oursMs / 1000)).toFixed(1)} MB/s; goal ≤ 2× ${oursMs / baseMs <= 2 ? '✅' : '❌'}`,
);
