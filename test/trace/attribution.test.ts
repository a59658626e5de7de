/**
 * The looks of trace --attribute over an agent directory the test writes as the agent does
 * (run directories, files replaced whole): each entry goes to the first event whose look showed
 * it, per run; a look waits for a write that ended after the answer; a runtime whose output is
 * elsewhere (a container) is copied for each look.
 */
import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/trace/attribution.js';
import type { FunctionRuntime } from '../../src/trace/drive.js';

let dir: string;
let agentDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ni-config-test-attr-'));
  agentDir = join(dir, 'agent');
  await mkdir(agentDir);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const FAST = { periodMs: 20, writeMarginMs: 10, lateMs: 1000, afterAnswerMs: 0 };
/** When the function answered: taken before the agent's write that follows it, as in a trace. */
let answered = 0;

/** A runtime as the looks see it: running, or ended; with a copy of its output elsewhere when `copyFrom` is given. */
function runtime(over: Partial<FunctionRuntime> = {}): FunctionRuntime {
  return { exit: undefined, ...over } as unknown as FunctionRuntime;
}

/** An event answered now, the agent writing `names` to `run` after it, and the look that follows. */
async function answeredThenWritten(a: Attributor, event: string, run: string, names: string[]): Promise<void> {
  answered = Date.now();
  await agentWrites(run, names);
  await a.look(event, answered, runtime());
}

/** The agent writing its reflect-config.json for a run, the file's time set to `at` (by default just after any answer taken before). */
async function agentWrites(run: string, names: string[], at = Date.now() + 1): Promise<void> {
  await mkdir(join(agentDir, run), { recursive: true });
  const file = join(agentDir, run, 'reflect-config.json');
  await writeFile(file, JSON.stringify(names.map((name) => ({ name }))));
  await utimes(file, at / 1000, at / 1000);
}

describe('trace --attribute looks', () => {
  it('gives each entry the first event whose look showed it, and keeps the run', async () => {
    const a = new Attributor(agentDir, FAST);
    await answeredThenWritten(a, '(init)', 'run-1', ['app.Handler']);
    await answeredThenWritten(a, 'events/order.json', 'run-1', ['app.Handler', 'app.Order']);
    // a JVM started again after a crash writes to its own run directory
    await answeredThenWritten(a, 'events/refund.json', 'run-2', ['app.Handler', 'app.Refund']);
    expect(Object.fromEntries(a.firstNeededBy)).toEqual({
      'reflection\u0000app.Handler': { event: '(init)', run: 'run-1' },
      'reflection\u0000app.Order': { event: 'events/order.json', run: 'run-1' },
      'reflection\u0000app.Refund': { event: 'events/refund.json', run: 'run-2' },
    });
    expect(a.late).toEqual([]);
  });

  it('waits for a write that ended after the answer; one that does not come in time is named', async () => {
    const a = new Attributor(agentDir, FAST);
    answered = Date.now();
    await agentWrites('run-1', ['app.Before'], answered - 1000);
    // the write after the answer lands while the look waits
    const later = new Promise<void>((resolve) =>
      setTimeout(() => void agentWrites('run-1', ['app.Before', 'app.After']).then(resolve), 120),
    );
    await a.look('events/a.json', answered, runtime());
    await later;
    expect(a.firstNeededBy.get('reflection\u0000app.After')).toEqual({ event: 'events/a.json', run: 'run-1' });
    expect(a.late).toEqual([]);
    // no write after this answer: the look gives up after lateMs, says so, and takes what is there
    await agentWrites('run-1', ['app.Before', 'app.After', 'app.Stale'], Date.now() - 1000);
    await a.look('events/b.json', Date.now(), runtime());
    expect(a.late).toEqual(['events/b.json']);
    expect(a.firstNeededBy.get('reflection\u0000app.Stale')?.event).toBe('events/b.json');
    // what shows next may be b's (written after b's look gave up) or c's: neither is recorded
    await answeredThenWritten(a, 'events/c.json', 'run-1', ['app.Before', 'app.After', 'app.Stale', 'app.Either']);
    expect(a.firstNeededBy.has('reflection\u0000app.Either')).toBe(false);
    // and the look after that one attributes again
    await answeredThenWritten(a, 'events/d.json', 'run-1', [
      'app.Before',
      'app.After',
      'app.Stale',
      'app.Either',
      'app.D',
    ]);
    expect(a.firstNeededBy.get('reflection\u0000app.D')?.event).toBe('events/d.json');
    expect(a.firstNeededBy.has('reflection\u0000app.Either')).toBe(false);
  });

  it('does not count a write that ended just after the answer: it may have begun before it', async () => {
    const a = new Attributor(agentDir, { ...FAST, afterAnswerMs: 100 });
    answered = Date.now();
    await agentWrites('run-1', ['app.Early'], answered + 20);
    const later = new Promise<void>((resolve) =>
      setTimeout(() => void agentWrites('run-1', ['app.Early', 'app.Last'], Date.now() + 200).then(resolve), 150),
    );
    await a.look('events/a.json', answered, runtime());
    await later;
    expect(a.late).toEqual([]);
    expect(a.firstNeededBy.get('reflection\u0000app.Last')?.event).toBe('events/a.json');
  });

  it('does not wait for a JVM that is gone: what it wrote is all there is', async () => {
    const a = new Attributor(agentDir, { ...FAST, lateMs: 60_000 });
    await agentWrites('run-1', ['app.Crashed'], Date.now() - 1000);
    const started = Date.now();
    await a.look('events/crash.json', Date.now(), runtime({ exit: { code: 3, signal: null } }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(a.late).toEqual([]);
    expect(a.firstNeededBy.get('reflection\u0000app.Crashed')?.event).toBe('events/crash.json');
  });

  it("never gives an event what an earlier run of the same trace left (the call-tree run's directory)", async () => {
    await agentWrites('run-1', ['app.FromTreeRun', 'app.Both'], Date.now() - 5000);
    const a = new Attributor(agentDir, FAST, new Set(['run-1']));
    await answeredThenWritten(a, 'events/order.json', 'run-2', ['app.Both', 'app.Order']);
    expect(Object.fromEntries(a.firstNeededBy)).toEqual({
      'reflection\u0000app.Both': { event: 'events/order.json', run: 'run-2' },
      'reflection\u0000app.Order': { event: 'events/order.json', run: 'run-2' },
    });
  });

  it("copies a container's output for each look", async () => {
    const inContainer = join(dir, 'container-agent');
    await mkdir(join(inContainer, 'run-1'), { recursive: true });
    await writeFile(join(inContainer, 'run-1', 'reflect-config.json'), '[{"name": "app.InContainer"}]');
    const copies: string[] = [];
    const a = new Attributor(agentDir, FAST);
    await a.look(
      'events/a.json',
      Date.now() - 5000,
      runtime({
        agentSnapshot: async (dest: string) => {
          copies.push(dest);
          await cp(inContainer, dest, { recursive: true, preserveTimestamps: true });
          return true;
        },
      }),
    );
    expect(copies).toHaveLength(1);
    expect(a.firstNeededBy.get('reflection\u0000app.InContainer')?.event).toBe('events/a.json');
    await a.close();
  });
});
