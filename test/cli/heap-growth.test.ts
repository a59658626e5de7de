/** The bound on heap growth for large inputs (commands/inputs.ts). */
import { describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: setFlags,
}));

const { boundHeapGrowth } = await import('../../src/commands/inputs.js');

const LARGE = 64 * 1024 * 1024;

describe('boundHeapGrowth', () => {
  it('lets the old generation grow to twice what was live, from 64 MB of input', () => {
    setFlags.mockClear();
    boundHeapGrowth(LARGE);
    expect(setFlags.mock.calls).toEqual([['--heap-growing-percent=100']]);
  });

  it('leaves smaller inputs to V8', () => {
    setFlags.mockClear();
    boundHeapGrowth(LARGE - 1);
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('goes on when the flag is refused: only memory is at stake', () => {
    setFlags.mockImplementationOnce(() => {
      throw new Error('refused');
    });
    expect(() => boundHeapGrowth(LARGE)).not.toThrow();
  });
});
