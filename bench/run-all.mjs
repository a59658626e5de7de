// Runs every benchmark script in bench/ in turn. Figures, not pass/fail: read the ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
for (const script of readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs')
  .sort()) {
  console.log(`\n# ${script}`);
  const r = spawnSync(process.execPath, [join(dir, script)], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
