/**
 * `trace --attribute`: which event first needed each entry. Events go one at a time and the agent
 * writes every second; after each event, once a write that began after its answer has landed,
 * the entries that appeared since the look before are that event's. The agent writes at a fixed
 * rate (`scheduleAtFixedRate`), so one write period and a margin after the answer such a write is
 * on disk: that is the cost, about a second per event. Nothing is guessed: an entry seen in no
 * look (recorded after the last one) gets no event, nor does one that first shows after a look
 * that saw no write made after its answer (it may be that event's or the next one's).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Source } from '../io/inputs.js';
import { loadSources } from '../ops/load.js';
import { compareStrings } from '../model/model.js';
import { evidenceKeysOf } from '../ops/evidence/types.js';
import type { Attribution } from '../ops/evidence/file.js';
import { collectAgentOutput } from './agent.js';
import type { FunctionRuntime } from './drive.js';

/** The write period the agent gets under --attribute: the shortest it accepts. */
export const ATTRIBUTE_PERIOD_SECONDS = 1;
/** The times a look waits: a write's own time (on disk this long after it began, at most: measured writes take milliseconds), and how much longer it waits for a write that ended after the answer. */
export interface LookTimes {
  readonly periodMs: number;
  readonly writeMarginMs: number;
  readonly lateMs: number;
  /**
   * How long after the answer a write must have ended to count as begun after it: longer than a
   * write takes (milliseconds for a function's metadata), so that a write that began before the
   * answer and ended just after it, without what the event's last lookups added, never counts;
   * it also covers the file system's coarse clock, which may stamp a write a few milliseconds early.
   */
  readonly afterAnswerMs: number;
}

const TIMES: LookTimes = {
  periodMs: ATTRIBUTE_PERIOD_SECONDS * 1000,
  writeMarginMs: 300,
  lateMs: 3000,
  afterAnswerMs: 100,
};
/** The name under which what the function's init looked up is recorded (Runtime API mode, before the first event). */
export const INIT_EVENT = '(init)';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The metadata files' newest modification time below an agent directory (0 when there is none). */
async function newestWrite(sources: readonly Source[]): Promise<number> {
  let newest = 0;
  for (const s of sources) {
    const info = await stat(s.file).catch(() => undefined);
    if (info && info.mtimeMs > newest) newest = info.mtimeMs;
  }
  return newest;
}

/** Records, per entry key (ops/evidence/types.ts `evidenceKeyOf`), the first event whose look showed it. */
export class Attributor {
  readonly firstNeededBy = new Map<string, Attribution>();
  /** Events after which no write that began after the answer could be seen in time. */
  readonly late: string[] = [];
  private looks = 0;
  private scratch: string | undefined;
  /** Every key some look showed, with an event or (after a late look) without. */
  private readonly seen = new Set<string>();
  /** The last look saw no write made after its answer: what appears next may be that event's or the next one's. */
  private lastLate = false;

  /**
   * @param agentDir where the agent writes, on this machine (a local run), or where a container's
   *   output is copied to for each look (then `runtime.agentSnapshot` does the copying).
   */
  constructor(
    private readonly agentDir: string,
    private readonly times: LookTimes = TIMES,
    /** Run directories an earlier run of the same trace left there (the call-tree run): never an event's. */
    private readonly earlierRuns: ReadonlySet<string> = new Set(),
  ) {}

  /** After an event's answer (or, for `(init)`, once the runtime waits for its first event). */
  async look(event: string, answeredAt: number, runtime: FunctionRuntime): Promise<void> {
    await delay(Math.max(0, answeredAt + this.times.periodMs + this.times.writeMarginMs - Date.now()));
    const deadline = Date.now() + this.times.lateMs;
    let collected: Awaited<ReturnType<typeof collectAgentOutput>>;
    let late = false;
    for (;;) {
      const dir = await this.snapshot(runtime);
      collected = await collectAgentOutput(dir);
      // a write that ended well after the answer began after it
      if ((await newestWrite(collected.sources)) >= answeredAt + this.times.afterAnswerMs) break;
      // the JVM is gone (a crash, a timeout): what it wrote is all there is
      if (runtime.exit !== undefined || Date.now() >= deadline) {
        if (runtime.exit === undefined) late = true;
        break;
      }
      await delay(200);
    }
    // after a late look the new entries may be the late event's or this one's: they get neither
    this.record(this.lastLate ? undefined : event, collected.sources);
    if (late) this.late.push(event);
    this.lastLate = late;
  }

  /** Removes the copies made for the looks. */
  async close(): Promise<void> {
    if (this.scratch !== undefined) await rm(this.scratch, { recursive: true, force: true });
  }

  /** Where to read the agent's output for this look: in place, or a fresh copy out of the container. */
  private async snapshot(runtime: FunctionRuntime): Promise<string> {
    if (runtime.agentSnapshot === undefined) return this.agentDir;
    this.scratch ??= await mkdtemp(join(this.agentDir, '..', 'looks-'));
    const dest = join(this.scratch, `look-${++this.looks}`);
    await rm(join(this.scratch, `look-${this.looks - 1}`), { recursive: true, force: true });
    return (await runtime.agentSnapshot(dest)) ? dest : this.agentDir;
  }

  /** The entries of each run directory that no earlier look showed: this event's (none: no event's). */
  private record(event: string | undefined, sources: readonly Source[]): void {
    const byRun = new Map<string, Source[]>();
    for (const s of sources) {
      const run = /(?:^|\/)(run-[^/]+)\//.exec(s.file)?.[1] ?? '';
      byRun.set(run, [...(byRun.get(run) ?? []), s]);
    }
    for (const [run, files] of [...byRun].sort(([a], [b]) => compareStrings(a, b))) {
      if (this.earlierRuns.has(run)) continue;
      // a file the agent is replacing right now reads as broken: the next look has it
      for (const key of evidenceKeysOf(loadSources(files).set)) {
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        if (event !== undefined) this.firstNeededBy.set(key, { event, run });
      }
    }
  }
}
