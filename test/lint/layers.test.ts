/** The layer rules of eslint.config.js hold: each layer imports only the ones below it, and cli touches no file or process. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

const eslint = new ESLint({ cwd: REPO });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO}/${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  const cases: [file: string, code: string, rule: string][] = [
    [
      'src/model/x.ts',
      "import { prune } from '../ops/prune/engine.js';\nexport const a = prune;\n",
      'no-restricted-imports',
    ],
    [
      'src/ops/x.ts',
      "import { collectSources } from '../io/inputs.js';\nexport const a = collectSources;\n",
      'no-restricted-imports',
    ],
    [
      'src/ops/prune/x.ts',
      "import { runPrune } from '../../commands/prune.js';\nexport const a = runPrune;\n",
      'no-restricted-imports',
    ],
    [
      'src/ops/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
      'no-restricted-imports',
    ],
    ['src/ops/x.ts', 'export const a = process.cwd();\n', 'no-restricted-globals'],
    [
      'src/io/x.ts',
      "import { runLocal } from '../trace/local.js';\nexport const a = runLocal;\n",
      'no-restricted-imports',
    ],
    [
      'src/trace/x.ts',
      "import { runTrace } from '../commands/trace.js';\nexport const a = runTrace;\n",
      'no-restricted-imports',
    ],
    ['src/commands/x.ts', "import { main } from '../cli/main.js';\nexport const a = main;\n", 'no-restricted-imports'],
    [
      'src/cli/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
      'no-restricted-imports',
    ],
    ['src/cli/x.ts', "import { spawn } from 'node:child_process';\nexport const a = spawn;\n", 'no-restricted-imports'],
    [
      'src/cli/x.ts',
      "import { collectSources } from '../io/inputs.js';\nexport const a = collectSources;\n",
      'no-restricted-imports',
    ],
    [
      'src/cli/commands/x.ts',
      "import { runLocal } from '../../trace/local.js';\nexport const a = runLocal;\n",
      'no-restricted-imports',
    ],
    [
      'src/ops/x.ts',
      "import { finding } from '../model/findings.js';\nimport { pointerAppend } from '../model/findings.js';\nexport const a = [finding, pointerAppend];\n",
      'no-duplicate-imports',
    ],
  ];
  it.each(cases)('%s: rejects %j', async (file, code, rule) => {
    expect((await problems(file, code)).some((p) => p.startsWith(`${rule}:`))).toBe(true);
  });

  it('allows imports down the layers', async () => {
    expect(
      await problems('src/cli/x.ts', "import { runPrune } from '../commands/prune.js';\nexport const a = runPrune;\n"),
    ).toEqual([]);
    expect(
      await problems(
        'src/commands/x.ts',
        "import { runLocal } from '../trace/local.js';\nexport const a = runLocal;\n",
      ),
    ).toEqual([]);
    expect(
      await problems('src/ops/x.ts', "import { finding } from '../model/findings.js';\nexport const a = finding;\n"),
    ).toEqual([]);
  });
});
