/**
 * trace --container in Runtime API mode, on every engine here (podman; docker with DOCKER_HOST,
 * test/container/setup-docker.sh): the test image (test/container/build-image.sh) traced with
 * the stand-in agent mounted read-only, a restart after a crash, the engine's own failures
 * (image missing, engine not installed, engine not reachable), and Ctrl-C — also while `run -d`
 * is still in flight. Every trace carries this run's label, so that what is left is counted for
 * this run only; the CLIs get the suite's own TMPDIR.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { IMAGE, cleanupRun, containersLeft, engines, ensureTestImage } from './engines.js';
import {
  GREET,
  GREETING_ENTRY,
  engineShim,
  pathWith,
  shimCalls,
  suiteDir,
  tempDirsLeft,
  trace as traceOn,
  withDecoy,
  type CliOptions,
} from './trace-suite.js';

let agent: string;
beforeAll(() => {
  agent = buildAgent() as string;
}, 120_000);

describe.each(engines)('trace --container on $name, Runtime API mode', (engine) => {
  const tmp = suiteDir(`container-${engine.name}`);
  const trace = (args: string[], o: Partial<CliOptions> = {}) =>
    traceOn(engine, ['--runtime-api', '--agent-path', agent, ...args], { tmp, ...o });

  beforeAll(() => ensureTestImage(engine), 300_000);
  withDecoy(engine);
  afterEach(() => cleanupRun(engine));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('traces the image, copies the agent output out and removes the container', async () => {
    const out = join(tmp, 'out1');
    const r = await trace(['--container', IMAGE, '--events', 'events/*.json', '-o', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.counts.success).toBe(2);
    expect(report.runs).toBe(1);
    // the JVM is the container's process 1 (lambda-bootstrap.sh execs it), and it holds the lock
    expect(report.stopped).toEqual([{ pid: 1, command: '/jre/bin/java -cp /var/task example.Bootstrap' }]);
    // the image's JDK is listed (its modules file copied out), for stale entries: no note that it could not be
    expect(report.warnings).toEqual([]);
    const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8'));
    expect(metadata.reflection).toContainEqual(GREETING_ENTRY);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('merges the run of the JVM restarted after a crash in the container', async () => {
    const out = join(tmp, 'out2');
    const r = await trace([
      '--container',
      IMAGE,
      '--event',
      '{"action":"sleep","ms":"1600"}',
      '--event',
      '{"action":"crash"}',
      '--event',
      GREET,
      '--period',
      '1',
      '-o',
      out,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'crash', 'success']);
    expect(report.events[1]!.reason).toBe('the container exited (code 3) during the invocation');
    expect(report.runs).toBe(2);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('says clearly when the image is missing or the engine is not installed', async () => {
    const missing = await trace([
      '--container',
      'localhost/ni-config-test/no-such-image:1',
      '--events',
      'events/*.json',
      '-o',
      join(tmp, 'out3'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/image localhost\/ni-config-test\/no-such-image:1 not found locally/);
    const noEngine = await trace(['--container', IMAGE, '--events', 'events/*.json', '-o', join(tmp, 'out4')], {
      env: { PATH: join(tmp, 'no-bin') },
    });
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr).toContain(`${engine.name} is not installed`);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('says the engine is not reachable when its daemon or service is down, not that the image is missing', async () => {
    // a socket nobody listens on: docker's DOCKER_HOST; podman's CONTAINER_HOST (which makes it remote)
    const env: Record<string, string> =
      engine.name === 'docker'
        ? { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }
        : { CONTAINER_HOST: 'unix:///nonexistent/podman.sock' };
    const r = await trace(['--container', IMAGE, '--event', GREET, '-o', join(tmp, 'down')], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      engine.name === 'docker'
        ? /the Docker daemon is not reachable \(DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock\)/
        : /podman cannot reach its service \(CONTAINER_HOST=unix:\/\/\/nonexistent\/podman\.sock\)/,
    );
    expect(r.stderr).not.toMatch(/not found locally|build or pull/);
    expect(existsSync(join(tmp, 'down'))).toBe(false);
  });

  it('removes the container and its temp directory on Ctrl-C', async () => {
    let sent = false;
    const r = await trace(
      ['--container', IMAGE, '--event', '{"action":"sleep","ms":"60000"}', '-o', join(tmp, 'out5')],
      {
        onStart: (child) => {
          void (async () => {
            for (let i = 0; i < 200 && containersLeft(engine).length === 0; i++)
              await new Promise((r) => setTimeout(r, 100));
            await new Promise((r) => setTimeout(r, 1500));
            sent = child.kill('SIGINT');
          })();
        },
      },
    );
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('removes the container on Ctrl-C while run -d is still in flight (the engine finishes it after the signal)', async () => {
    // `run` that takes 2 s and does not stop on the Ctrl-C (as a daemon finishes a create it was sent)
    const shim = engineShim(
      engine,
      join(tmp, 'slow-run'),
      `if [ "$1" = run ]; then trap '' INT; touch "$HERE/run-started"; sleep 2; "$REAL" "$@"; s=$?; touch "$HERE/run-done"; exit $s; fi`,
    );
    let sent = false;
    const r = await trace(['--container', IMAGE, '--event', GREET, '-o', join(tmp, 'out6')], {
      env: { PATH: pathWith(shim) },
      group: true,
      onStart: (child) => {
        void (async () => {
          for (let i = 0; i < 300 && !existsSync(join(shim, 'run-started')); i++)
            await new Promise((r) => setTimeout(r, 50));
          await new Promise((r) => setTimeout(r, 300));
          // a terminal's Ctrl-C: the whole process group, the engine's CLI too
          process.kill(-child.pid!, 'SIGINT');
          sent = true;
        })();
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    // the container `run` creates after the Ctrl-C must be gone too, once that run has returned
    for (let i = 0; i < 100 && !existsSync(join(shim, 'run-done')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(join(shim, 'run-done'))).toBe(true);
    expect(shimCalls(shim).some((c) => c.startsWith('run '))).toBe(true);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('--agent-path that does not exist: a usage error naming it, before anything runs (docker would create it as a directory)', async () => {
    const shim = engineShim(engine, join(tmp, 'no-agent'), '');
    const missing = join(tmp, 'no-such-graalvm', 'lib', 'libnative-image-agent.so');
    const r = await traceOn(
      engine,
      ['--runtime-api', '--agent-path', missing, '--container', IMAGE, '--event', GREET, '-o', join(tmp, 'out7')],
      { tmp, env: { PATH: pathWith(shim) } },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--agent-path ${missing}: no such file`);
    expect(existsSync(join(tmp, 'no-such-graalvm'))).toBe(false);
    expect(shimCalls(shim).filter((c) => c.startsWith('run '))).toEqual([]);
    // a directory is no library either
    const dir = await traceOn(
      engine,
      ['--runtime-api', '--agent-path', tmp, '--container', IMAGE, '--event', GREET, '-o', join(tmp, 'out7')],
      { tmp, env: { PATH: pathWith(shim) } },
    );
    expect(dir.code, dir.stderr).toBe(2);
    expect(dir.stderr).toContain(`--agent-path ${tmp}: not a file (a directory)`);
    expect(shimCalls(shim).filter((c) => c.startsWith('run '))).toEqual([]);
    expect(containersLeft(engine)).toEqual([]);
  });
});
