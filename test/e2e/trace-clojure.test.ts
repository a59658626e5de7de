/**
 * A real Clojure function (Debian's clojure 1.11, run from source) traced under the agent:
 * namespace loading gives the noise of noise.md, and --preset clojure removes it end to end
 * while the application's own resources stay.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-clojure', 'hello');
const CLOJURE = '/usr/share/java/clojure.jar';
const work = mkdtempSync(join(tmpdir(), 'ni-config-clojure-e2e-'));
let agent: string;
beforeAll(() => {
  agent = buildAgent() as string;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function trace(out: string, extra: string[]) {
  return spawnSync(
    process.execPath,
    [
      BIN,
      'trace',
      '--cmd',
      `java -cp ${CLOJURE}:src:resources clojure.main -m hello.core`,
      '--agent-path',
      agent,
      '--events',
      'events/*.json',
      '--format',
      'legacy',
      '-o',
      out,
      ...extra,
    ],
    { cwd: FN, encoding: 'utf8', timeout: 120_000 },
  );
}

describe('trace of a Clojure function', () => {
  it('records namespace-loading noise, which --preset clojure removes while app resources stay', () => {
    const raw = join(work, 'raw');
    const pruned = join(work, 'pruned');
    expect(trace(raw, []).status).toBe(0);
    expect(trace(pruned, ['--preset', 'clojure', 'default']).status).toBe(0);
    const names = (dir: string): string[] =>
      (JSON.parse(readFileSync(join(dir, 'reflect-config.json'), 'utf8')) as { name: string }[]).map((e) => e.name);
    const resources = (dir: string): string => readFileSync(join(dir, 'resource-config.json'), 'utf8');
    expect(names(raw).filter((n) => n.endsWith('__init')).length).toBeGreaterThan(5);
    expect(names(raw).some((n) => /\$eval\d+/.test(n))).toBe(true);
    expect(resources(raw)).toMatch(/\.clj\\\\E/);
    expect(names(pruned).filter((n) => n.endsWith('__init') || /\$(eval|fn__)\d+/.test(n))).toEqual([]);
    expect(resources(pruned)).not.toMatch(/\.clj\\\\E/);
    expect(resources(pruned)).toContain('hello/config.edn');
    // what stays is mostly name-only JDK classes from :import, which go only with --aggressive or trace evidence (N7)
    expect(names(pruned).length).toBeLessThan(names(raw).length / 2);
  });
});
