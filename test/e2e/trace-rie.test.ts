/**
 * trace --container in RIE mode (the default): events through the emulator's invoke endpoint.
 * The test image carries a stand-in emulator (test/container/rie/FakeRie.java) with the real
 * one's behaviour; with NI_CONFIG_RIE naming a real aws-lambda-rie binary, that one runs instead
 * (mounted over the image's entrypoint with --rie).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { REPO } from '../helpers.js';
import { IMAGE, containersLeft, ensureTestImage } from './container.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { TERMINATE_JAVA_NOT_INIT } from '../../src/trace/container.js';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-java', 'hello');
const realRie = process.env.NI_CONFIG_RIE;
const work = mkdtempSync(join(tmpdir(), 'ni-config-rie-e2e-'));
let agent: string;

beforeAll(() => {
  agent = buildAgent() as string;
  ensureTestImage();
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function trace(args: string[]) {
  const rie = realRie ? ['--rie', realRie] : [];
  const r = spawnSync(
    process.execPath,
    [BIN, 'trace', '--engine', 'podman', '--agent-path', agent, '--container', IMAGE, ...rie, ...args],
    { cwd: FN, encoding: 'utf8', timeout: 120_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe(`trace --container, RIE mode (${realRie ? 'aws-lambda-rie' : 'stand-in emulator'})`, () => {
  it('waits for the emulator, sends events one at a time and collects the agent output', () => {
    const out = join(work, 'out1');
    const r = trace([
      '--events',
      'events/*.json',
      '--event',
      '{"action":"throw"}',
      '-o',
      out,
      '--allow-errors',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'success', 'function-error']);
    expect(report.events[2]!.errorType).toBe('java.lang.IllegalStateException');
    const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8'));
    expect(metadata.reflection).toContainEqual({
      type: 'example.Greeting',
      methods: [
        { name: '<init>', parameterTypes: ['java.lang.String'] },
        { name: 'text', parameterTypes: [] },
      ],
    });
    expect(containersLeft()).toBe('');
  });

  it('classifies a crash (502) and a timeout (200 "Task timed out"), and goes on with the runtime the emulator restarts', () => {
    const out = join(work, 'out2');
    const r = trace([
      '--event',
      '{"action":"crash"}',
      '--event',
      '{"action":"sleep","ms":"9000"}',
      '--event',
      '{"action":"greet","model":"Greeting","name":"Ada"}',
      '--timeout',
      '5',
      '--period',
      '1',
      '-o',
      out,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['crash', 'timeout', 'success']);
    expect(
      JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).reflection.map(
        (e: { type: string }) => e.type,
      ),
    ).toContain('example.Greeting');
    expect(containersLeft()).toBe('');
  });

  it("signals the JVM, not itself, when its own pid sorts before the JVM's in /proc", async () => {
    const name = `ni-config-trace-pids-${process.pid}`;
    const podman = (...args: string[]) => spawnSync('podman', args, { encoding: 'utf8' });
    try {
      expect(podman('run', '-d', '--name', name, '-p', '127.0.0.1::8080', IMAGE).status).toBe(0);
      const port = podman('port', name, '8080/tcp').stdout.split('\n')[0]!.trim();
      for (let i = 0; ; i++) {
        try {
          await (
            await fetch(`http://${port}/2015-03-31/functions/function/invocations`, { method: 'POST', body: '{}' })
          ).text();
          break;
        } catch (e) {
          if (i > 100) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const jvms = () =>
        podman('exec', name, 'sh', '-c', 'for p in /proc/[0-9]*; do tr "\\000" " " < $p/cmdline; echo; done')
          .stdout.split('\n')
          .filter((l) => l.includes('example.Bootstrap'));
      expect(jvms()).toHaveLength(1);
      // enough forks that the next pid (3 digits, "1..") sorts before the JVM's (2 digits)
      podman('exec', name, 'sh', '-c', 'i=0; while [ $i -lt 120 ]; do /bin/true; i=$((i+1)); done');
      const r = podman('exec', name, 'sh', '-c', `${TERMINATE_JAVA_NOT_INIT}; s=$?; echo $$; exit $s`);
      expect(r.status, r.stderr).toBe(0);
      expect(Number(r.stdout.trim())).toBeGreaterThanOrEqual(100);
      for (let i = 0; jvms().length > 0 && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
      expect(jvms()).toEqual([]);
    } finally {
      podman('rm', '-f', name);
    }
  });
});
