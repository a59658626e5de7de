/** The full collection before a large input's set is built (commands/inputs.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectDeadTexts, loadInputs } from '../../src/commands/inputs.js';

const LARGE = 64 * 1024 * 1024;

/** An object only a WeakRef holds, once the returned function has dropped the last strong reference. */
async function deadObject(): Promise<{ ref: WeakRef<object>; drop: () => void }> {
  let strong: object | undefined = { text: 'x'.repeat(1000) };
  const ref = new WeakRef(strong);
  // a WeakRef keeps its target until the task that made it ends; the strong reference keeps it
  // through that, and is dropped only right before the call, with nothing allocated in between
  await nextTask();
  return { ref, drop: () => (strong = undefined) };
}

describe('collectDeadTexts', () => {
  it('collects what is dead when the inputs were large, and leaves no gc behind', async () => {
    const gcBefore = (globalThis as { gc?: unknown }).gc;
    const { ref, drop } = await deadObject();
    drop();
    collectDeadTexts(LARGE);
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBe(gcBefore);
  });

  it('does nothing below 64 MB', async () => {
    const { ref, drop } = await deadObject();
    drop();
    collectDeadTexts(LARGE - 1);
    expect(ref.deref()).toBeDefined();
  });

  it('runs once per load, before the set is first built, however often the set is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ni-config-test-collect-'));
    try {
      const text = JSON.stringify([{ name: 'a.A' }]);
      writeFileSync(join(dir, 'reflect-config.json'), text);
      const calls: number[] = [];
      const deps = { cwd: dir, readStdin: () => Promise.resolve(Buffer.alloc(0)), notify: () => {} };
      const inputs = await loadInputs(['.'], {}, deps, { beforeBuild: (chars) => calls.push(chars) });
      expect(calls).toEqual([]);
      expect(inputs.set.reflection).toHaveLength(1);
      expect(inputs.set).toBe(inputs.set);
      expect(calls).toEqual([text.length]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
