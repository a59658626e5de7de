/**
 * The JDK a trace's stale entries (N15) are judged by: the one the traced JVM ran on. In a
 * container that is the image's JDK, its modules file copied out and listed with this machine's
 * jimage, never this machine's JDK; when none could be copied no entry is called stale and a note
 * says why. A JRE jlink'ed here (java.base only) stands for the image's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePrunePlan } from '../../src/commands/prune-plan.js';
import { jdkClasses, jdkLister, listTracedJdkEarly } from '../../src/io/classpath.js';
import { ConfigBuilder } from '../../src/model/model.js';
import { prune } from '../../src/ops/prune/engine.js';
import { pruneSettings } from '../../src/ops/prune/plan.js';

let dir: string;
let modules: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ni-config-test-jdk-'));
  execFileSync('jlink', ['--add-modules', 'java.base', '--output', join(dir, 'jre')]);
  modules = join(dir, 'jre', 'lib', 'modules');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deps = { cwd: process.cwd(), readStdin: async () => Buffer.alloc(0), notify: () => {} };

/** What a trace's plan calls stale among java.util.UUID (java.base) and java.sql.Connection (java.sql). */
async function staleWith(classpath: { paths: string[]; modules?: string | null; java?: string }) {
  const b = new ConfigBuilder();
  b.addType('reflection', { type: { kind: 'class', name: 'java.util.UUID' } });
  b.addType('reflection', { type: { kind: 'class', name: 'java.sql.Connection' } });
  const { plan, notes } = await resolvePrunePlan(pruneSettings({}), {}, deps, { classpath });
  return { stale: prune(b.build(), plan).stale.map((s) => s.entry), notes };
}

describe("a trace's JDK for stale entries", () => {
  it("judges by the container's JDK: a class this machine's JDK has but the image's lacks is stale", async () => {
    const r = await staleWith({ paths: [], modules });
    expect(r.stale).toEqual(['java.sql.Connection']);
    expect(r.notes).toEqual([]);
  });

  it("a local run's JDK is its own java's", async () => {
    expect((await staleWith({ paths: [], java: join(dir, 'jre', 'bin', 'java') })).notes).toEqual([
      expect.stringMatching(/has no bin\/jimage and lib\/modules: a JRE/),
    ]);
    expect((await staleWith({ paths: [], java: 'java' })).stale).toEqual([]);
  });

  it('calls nothing stale when the container gave no modules file, and says so', async () => {
    const r = await staleWith({ paths: [], modules: null });
    expect(r.stale).toEqual([]);
    expect(r.notes).toEqual([
      expect.stringMatching(/the container's JDK has no lib\/modules that could be copied out/),
    ]);
  });

  it('is listed once, early: the listing a trace starts while it runs is the one its prune awaits', async () => {
    const traced = { paths: [], modules };
    const early = listTracedJdkEarly(traced);
    expect(early).toBeDefined();
    const { home, modules: file } = jdkLister(traced);
    expect(file).toBe(modules);
    expect(jdkClasses(home!, file)).toBe(early);
    expect(await early).toContain('java.util.UUID');
    expect(listTracedJdkEarly({ modules: null })).toBeUndefined();
  });
});
