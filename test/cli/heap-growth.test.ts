/** The bound on heap growth for large inputs (commands/inputs.ts). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: setFlags,
}));

const { HEAP_GROWTH_DEFAULT_FLAG, HEAP_GROWTH_FLAG, boundHeapGrowth } = await import('../../src/commands/inputs.js');

const LARGE = 64 * 1024 * 1024;

describe('boundHeapGrowth', () => {
  it('lets the old generation grow to twice what was live, from 64 MB of input', () => {
    setFlags.mockClear();
    const unbound = boundHeapGrowth(LARGE);
    expect(setFlags.mock.calls).toEqual([[HEAP_GROWTH_FLAG]]);
    unbound();
    expect(setFlags.mock.calls).toEqual([[HEAP_GROWTH_FLAG], [HEAP_GROWTH_DEFAULT_FLAG]]);
  });

  it('leaves smaller inputs to V8', () => {
    setFlags.mockClear();
    boundHeapGrowth(LARGE - 1)();
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('sets a flag this V8 has (an unknown one would be ignored without a word), and sets it back to its default', () => {
    const [name, value] = HEAP_GROWTH_FLAG.slice(2).split('=');
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toMatch(new RegExp(`^\\s*--${name} \\(.*growing factor`, 'm'));
    expect(Number(value)).toBe(100);
    const found = new RegExp(`^\\s*--${name} \\(.*\\n\\s*type: int\\s+default: (--${name}=\\d+)`, 'm').exec(options);
    expect(found?.[1]).toBe(HEAP_GROWTH_DEFAULT_FLAG);
  });
});
