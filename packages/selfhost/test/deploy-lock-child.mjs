// A separate process that takes the deploy lock, for test/deploy-lock.test.ts. It runs the
// TypeScript sources directly (Node's type stripping) with a hook that maps their `./x.js`
// imports to `./x.ts`. Protocol: argv lockDir key timeoutMs; stdout lines `waiting <pid>`,
// `holding <pid>`, `released`, `error <code> <message>`; stdin line `release` ends the hold.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    if (
      /^\.\.?\//.test(specifier) &&
      specifier.endsWith('.js') &&
      context.parentURL?.endsWith('.ts')
    ) {
      const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(url))) return next(url.href, context);
    }
    return next(specifier, context);
  },
});

const { withDeployLock } = await import('../src/safety/deploy-lock.ts');
const [lockDir, key, timeoutMs] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
const released = new Promise((resolve) => {
  lines.on('line', (line) => {
    if (line.trim() === 'release') resolve();
  });
});

try {
  await withDeployLock(
    key,
    async () => {
      console.log(`holding ${process.pid}`);
      await released;
    },
    {
      lockDir,
      purpose: `child ${process.pid}`,
      pollMs: 10,
      timeoutMs: Number(timeoutMs),
      onWait: (holder) => console.log(`waiting ${holder?.pid ?? 'unknown'}`),
    },
  );
  console.log('released');
  process.exitCode = 0;
} catch (error) {
  console.log(`error ${error.code} ${error.message}`);
  process.exitCode = 3;
} finally {
  lines.close();
}
