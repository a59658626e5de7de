/**
 * The stand-in native-image agent (test/agent), which the trace tests use where GraalVM is not
 * installed: it must honour the real agent's option syntax and write protocol.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

let agent: string;
const work = mkdtempSync(join(tmpdir(), 'ni-config-agent-'));
const classes = join(work, 'classes');
beforeAll(() => {
  agent = buildAgent() as string;
  mkdirSync(classes);
  execFileSync('javac', ['-d', classes, join(REPO, 'test', 'e2e', 'fixtures', 'Probe.java')]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function java(options: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync('java', [options, '-cp', classes, 'probe.Probe'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('the stand-in native-image agent', () => {
  it('records real lookups and writes the legacy files at VM death, removing its lock', () => {
    const out = join(work, 'out', 'run-{pid}-{datetime}');
    const r = java(`-agentpath:${agent}=config-output-dir=${out},config-write-period-secs=1`);
    expect(r.stdout).toBe('done\n');
    const runs = readdirSync(join(work, 'out'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^run-\d+-\d{8}T\d{6}Z$/);
    const dir = join(work, 'out', runs[0]!);
    expect(readdirSync(dir).sort()).toEqual([
      'jni-config.json',
      'predefined-classes-config.json',
      'proxy-config.json',
      'reflect-config.json',
      'resource-config.json',
      'serialization-config.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'reflect-config.json'), 'utf8'))).toEqual([
      { name: 'java.util.UUID' },
      {
        name: 'probe.Probe',
        fields: [{ name: 'count' }],
        methods: [
          { name: '<init>', parameterTypes: [] },
          { name: 'greet', parameterTypes: ['java.lang.String', 'int'] },
        ],
      },
    ]);
    expect(readFileSync(join(dir, 'resource-config.json'), 'utf8')).toContain('"pattern":"\\\\Qconfig/app.edn\\\\E"');
  });

  it('is found by -agentlib on the library path, and refuses a directory another JVM locked', () => {
    const dir = join(work, 'locked');
    mkdirSync(dir);
    writeFileSync(join(dir, '.lock'), '4242');
    const r = java(`-agentlib:native-image-agent=config-output-dir=${dir}`, { LD_LIBRARY_PATH: dirname(agent) });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Output directory '.*locked' is locked by process 4242/);
    expect(existsSync(join(dir, 'reflect-config.json'))).toBe(false);
  });

  it('writes periodically while the JVM runs', () => {
    const dir = join(work, 'periodic');
    const child = spawnSync(
      'java',
      [
        `-agentpath:${agent}=config-output-dir=${dir},config-write-period-secs=1,config-write-initial-delay-secs=0`,
        '-cp',
        classes,
        'probe.Probe',
        'wait',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.stdout).toContain('periodic write seen');
  });
});
