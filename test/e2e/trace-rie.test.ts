/**
 * trace --container in RIE mode (the default): events through the emulator's invoke endpoint.
 * The test image carries a stand-in emulator (test/container/rie/FakeRie.java) with the real
 * one's behaviour; with NI_CONFIG_RIE naming a real aws-lambda-rie binary, that one runs instead
 * (mounted over the image's entrypoint with --rie).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceJson } from '../../src/cli/commands/trace.js';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-java', 'hello');
const IMAGE = 'localhost/ni-config-test/hello-java:latest';
const realRie = process.env.NI_CONFIG_RIE;
const work = mkdtempSync(join(tmpdir(), 'ni-config-rie-e2e-'));
let agent: string;

beforeAll(() => {
  agent = buildAgent() as string;
  if (spawnSync('podman', ['image', 'exists', IMAGE]).status !== 0) execFileSync('bash', [join(REPO, 'test', 'container', 'build-image.sh'), 'podman', IMAGE], { stdio: 'inherit' });
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function trace(args: string[]) {
  const rie = realRie ? ['--rie', realRie] : [];
  const r = spawnSync(process.execPath, [BIN, 'trace', '--engine', 'podman', '--agent-path', agent, '--container', IMAGE, ...rie, ...args], { cwd: FN, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const containersLeft = (): string => spawnSync('podman', ['ps', '-a', '--filter', 'name=ni-config-trace-', '--format', '{{.Names}}'], { encoding: 'utf8' }).stdout.trim();

describe(`trace --container, RIE mode (${realRie ? 'aws-lambda-rie' : 'stand-in emulator'})`, () => {
  it('waits for the emulator, sends events one at a time and collects the agent output', () => {
    const out = join(work, 'out1');
    const r = trace(['--events', 'events/*.json', '--event', '{"action":"throw"}', '-o', out, '--allow-errors', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'success', 'function-error']);
    expect(report.events[2]!.errorType).toBe('java.lang.IllegalStateException');
    const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8'));
    expect(metadata.reflection).toContainEqual({ type: 'example.Greeting', methods: [{ name: '<init>', parameterTypes: ['java.lang.String'] }, { name: 'text', parameterTypes: [] }] });
    expect(containersLeft()).toBe('');
  });

  it('classifies a crash (502) and a timeout (200 "Task timed out"), and goes on with the runtime the emulator restarts', () => {
    const out = join(work, 'out2');
    const r = trace(['--event', '{"action":"crash"}', '--event', '{"action":"sleep","ms":"9000"}', '--event', '{"action":"greet","model":"Greeting","name":"Ada"}', '--timeout', '5', '--period', '1', '-o', out, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['crash', 'timeout', 'success']);
    expect(JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).reflection.map((e: { type: string }) => e.type)).toContain('example.Greeting');
    expect(containersLeft()).toBe('');
  });
});
