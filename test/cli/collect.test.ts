/** The full collection before a large input's set is built (commands/inputs.ts). */
import { setImmediate as nextTask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectDeadTexts } from '../../src/commands/inputs.js';

describe('collectDeadTexts', () => {
  it('collects what is dead when the inputs were large, and leaves no gc behind', async () => {
    let dead: object | undefined = { text: 'x'.repeat(1000) };
    const ref = new WeakRef(dead);
    dead = undefined;
    // a WeakRef keeps its target until the task that made it ends
    await nextTask();
    collectDeadTexts(64 * 1024 * 1024);
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
