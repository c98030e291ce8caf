// Sums the vitest JSON reports (test-results.json) of every workspace package into one
// closing line, `vitest: N passed, N failed, N skipped`, so a CI log ends with the
// whole run's count rather than the last package's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
const rows = [];
for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    const pkgJson = join(dir, name, 'package.json');
    if (!existsSync(pkgJson)) continue;
    const scripts = JSON.parse(readFileSync(pkgJson, 'utf8')).scripts ?? {};
    if (!scripts.test) continue;
    const report = join(dir, name, 'test-results.json');
    if (!existsSync(report)) {
      missing++;
      rows.push(`  ${group}/${name}: no test report (did its tests run?)`);
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const p = r.numPassedTests ?? 0;
    const f = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTests ?? 0);
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += p;
    failed += f;
    skipped += s;
    rows.push(`  ${group}/${name}: ${p} passed, ${f} failed, ${s} skipped`);
  }
}
console.log('test summary per package:');
for (const row of rows) console.log(row);
console.log(`vitest: ${passed} passed, ${failed + missing} failed, ${skipped} skipped`);
process.exitCode = failed + missing > 0 || passed === 0 ? 1 : 0;
