// Cold start: `ni-config --version` (answered before the CLI loads) and `--help` (the CLI loaded),
// against `node -e 0` in the same run. Target ≤ 1.5×. And `--help` as the first run after an
// install or an upgrade is: it finds no code cache, and makes one (no target: once).
import { pathToFileURL } from 'node:url';
import { BIN, NODE, measure, paired, printTable, removeDir, row, tempDir } from './lib.mjs';

export async function rows() {
  const node = () => measure([NODE, '-e', '0']);
  const runs = 11;
  return [
    row(
      'cold start: `ni-config --version`',
      '`node -e 0`',
      paired(() => measure([NODE, BIN, '--version']), node, runs),
      {
        target: { wall: 1.5 },
      },
    ),
    row(
      'cold start: `ni-config --help` (the CLI loaded)',
      '`node -e 0`',
      paired(() => measure([NODE, BIN, '--help']), node, runs),
      {
        target: { wall: 1.5 },
      },
    ),
    row(
      'cold start: `ni-config --help`, a first run (it makes the code cache)',
      '`node -e 0`',
      paired(
        () => {
          const dir = tempDir('first-run');
          try {
            return measure([NODE, BIN, '--help'], { env: { ...process.env, NI_CONFIG_CODE_CACHE: dir } });
          } finally {
            removeDir(dir);
          }
        },
        node,
        runs,
      ),
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) printTable(await rows());
