// Parses every changeset the way `changeset version` will, and checks that each names
// only workspace packages that are published (not private).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parse from '@changesets/parse';

const root = new URL('../..', import.meta.url).pathname;
const published = new Map();
for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    published.set(pkg.name, !pkg.private);
  }
}
let problems = 0;
const dir = join(root, '.changeset');
const files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');
for (const file of files) {
  try {
    const { releases, summary } = parse(readFileSync(join(dir, file), 'utf8'));
    if (releases.length === 0) throw new Error('names no package');
    if (!summary.trim()) throw new Error('has no summary');
    for (const { name } of releases) {
      if (!published.has(name)) throw new Error(`names unknown package ${name}`);
      if (!published.get(name)) throw new Error(`names private package ${name}`);
    }
  } catch (error) {
    problems++;
    console.error(
      `changeset ${file}: ${error.message}. Fix: frontmatter is ---, then "pkg": bump lines, then ---.`,
    );
  }
}
console.log(`changesets: ${files.length} checked, ${problems} invalid`);
process.exitCode = problems ? 1 : 0;
