/** The V8 settings the bin sets for a command's process (cli/v8-tuning.ts). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: setFlags,
}));

const {
  BYTECODE_FLUSH_DEFAULT_FLAG,
  BYTECODE_FLUSH_FLAG,
  INTERRUPT_BUDGET_DEFAULT_FLAG,
  INTERRUPT_BUDGET_FLAG,
  tuneV8,
  untuneV8,
} = await import('../../src/cli/v8-tuning.js');

describe('tuneV8', () => {
  it('raises the interrupt budget and keeps bytecode, and sets nothing else', () => {
    setFlags.mockClear();
    tuneV8();
    expect(setFlags.mock.calls).toEqual([[INTERRUPT_BUDGET_FLAG], [BYTECODE_FLUSH_FLAG]]);
  });

  it('is set back by untuneV8, to the default of the same flags', () => {
    setFlags.mockClear();
    untuneV8();
    expect(setFlags.mock.calls).toEqual([[INTERRUPT_BUDGET_DEFAULT_FLAG], [BYTECODE_FLUSH_DEFAULT_FLAG]]);
    expect(INTERRUPT_BUDGET_DEFAULT_FLAG.split('=')[0]).toBe(INTERRUPT_BUDGET_FLAG.split('=')[0]);
    expect(BYTECODE_FLUSH_FLAG).toBe(BYTECODE_FLUSH_DEFAULT_FLAG.replace(/^--/, '--no-'));
  });

  it('turns off a bytecode flush this V8 has, on by default', () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    const name = BYTECODE_FLUSH_DEFAULT_FLAG.slice(2);
    expect(options).toMatch(new RegExp(`^\\s*--${name} \\([^\\n]*\\n\\s*type: bool\\s+default: --${name}$`, 'm'));
  });

  it('sets a flag this V8 has, above its default (an unknown flag would be ignored without a word)', () => {
    const [name, value] = INTERRUPT_BUDGET_FLAG.slice(2).split('=');
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    const line = new RegExp(
      `^\\s*--${name} \\(interrupt budget[^\\n]*\\n\\s*type: int\\s+default: --${name}=(\\d+)`,
      'm',
    );
    const found = line.exec(options);
    expect(found, `--${name} in node --v8-options`).not.toBeNull();
    expect(Number(value)).toBeGreaterThan(Number(found![1]));
    // what the bin sets back before it makes a code cache is this node's default
    expect(INTERRUPT_BUDGET_DEFAULT_FLAG).toBe(`--${name}=${found![1]}`);
  });
});
