/**
 * trace --container under faults, on every engine here: an emulator that exits right after it
 * starts, an engine CLI that dies mid-command or stops answering (shims first on PATH), a `cp`
 * refused while the container is torn down, a container killed from outside, a missing --rie, an
 * entry script in front of the emulator, a JVM that cannot start, two traces at once. Each ends
 * with a message that says what happened, and no container (of this run) or temp dir (in the
 * suite's TMPDIR) left; an earlier good config in the output directory is untouched.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { IMAGE, cleanupRun, containersLeft, engineSync, engines, ensureTestImage } from './engines.js';
import {
  GREET,
  engineShim,
  pathWith,
  shimCalls,
  suiteDir,
  tempDirsLeft,
  trace as traceOn,
  withDecoy,
  type CliOptions,
} from './trace-suite.js';

const GOOD = '{\n  "reflection": [\n    {\n      "type": "example.Earlier"\n    }\n  ]\n}\n';
let agent: string;
beforeAll(() => {
  agent = buildAgent() as string;
}, 120_000);

/** An output directory holding a good config from an earlier run. */
function earlier(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'reachability-metadata.json'), GOOD);
  return dir;
}

const types = (out: string): string[] =>
  (
    JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')) as { reflection: { type: string }[] }
  ).reflection.map((e) => e.type);

/** A host file to run the image's entrypoint under with --rie: a script in front of the stand-in emulator. */
function rieScript(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.each(engines)('trace --container on $name under faults', (engine) => {
  const tmp = suiteDir(`faults-${engine.name}`);
  const trace = (args: string[], o: Partial<CliOptions> = {}) =>
    traceOn(engine, ['--agent-path', agent, '--container', IMAGE, ...args], { tmp, ...o });
  /** A shim of the engine's CLI first on PATH (see engineShim). */
  const shim = (name: string, body: string): { dir: string; env: { PATH: string } } => {
    const dir = engineShim(engine, join(tmp, `shim-${name}`), body);
    return { dir, env: { PATH: pathWith(dir) } };
  };
  /** A shim that dies (SIGKILL) when it is asked to run one of `at`. */
  const dying = (...at: string[]) =>
    shim(`dies-${at.join('-')}`, `case " ${at.join(' ')} " in *" $1 "*) kill -KILL $$;; esac`);

  beforeAll(() => ensureTestImage(engine), 300_000);
  withDecoy(engine);
  afterEach(() => cleanupRun(engine));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('the emulator exits about a second after the container starts: its exit code and last log lines, at once, nothing left', async () => {
    // an entry script that waits a second, then runs the emulator with a log level it refuses
    const rie = rieScript(tmp, 'late-exit', 'sleep 1\nexec /rie/aws-lambda-rie "$@"');
    const r = await trace(['--rie', rie, '-e', 'LOG_LEVEL=bogus', '--event', GREET, '-o', join(tmp, 'late-exit')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /the container exited \(code 1\) before its emulator answered; the end of its log: .*Failed to set log level/,
    );
    // no wait for the emulator's 60 s, no hang on a connection the port forwarder accepted
    expect(r.ms).toBeLessThan(20_000);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('the container exited before its port could be read: it says so, not "publishes no port"', async () => {
    // `port` comes late (3 s), long after the emulator refused its log level and exited
    const { env } = shim('late-port', '[ "$1" = port ] && sleep 3');
    const r = await trace(['-e', 'LOG_LEVEL=bogus', '--event', GREET, '-o', join(tmp, 'late-port')], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /the container exited \(code 1\) before its emulator answered; the end of its log: .*Failed to set log level/,
    );
    expect(r.stderr).not.toMatch(/publishes no port/);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('engine dies mid-command (copying the output out): a clear message, the container and temp dirs gone, the earlier config untouched', async () => {
    const out = earlier(join(tmp, 'engine-dies'));
    const r = await trace(['--event', GREET, '-o', out], dying('cp'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`copying the agent's output out of the container failed: .*${engine.bin} cp was killed by SIGKILL`),
    );
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('cp fails and rm fails too: the error still names the container and the command that removes it', async () => {
    const out = earlier(join(tmp, 'cp-and-rm'));
    const { env } = shim('cp-rm', 'case "$1" in cp|rm) echo "Error: injected: $1 failed" >&2; exit 125;; esac');
    const r = await trace(['--event', GREET, '-o', out, '--json'], { env });
    expect(r.code, r.stderr).toBe(2);
    const left = containersLeft(engine);
    expect(left).toHaveLength(1);
    const error = JSON.parse(r.stdout) as { error: string; warnings: string[] };
    expect(error.error).toMatch(/copying the agent's output out of the container failed: .*injected: cp failed/);
    expect(error.error).toContain(`remove it with: ${engine.bin} rm -f ${left[0]}`);
    expect(error.warnings).toEqual([
      `the container ${left[0]} could not be removed (Error: injected: rm failed); remove it with: ${engine.bin} rm -f ${left[0]}`,
    ]);
    // the command it names does remove it
    expect(engineSync(engine, ['rm', '-f', left[0]!]).status).toBe(0);
    expect(containersLeft(engine)).toEqual([]);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it.each([
    ['run', [2], /the container did not start: \S+ run was killed by SIGKILL/],
    ['port', [2], /the container publishes no port 8080 \(\S+ port was killed by SIGKILL\)/],
    // what is collected is the agent's first write (1 s after it loaded) if it came before the stop
    [
      'exec',
      [0, 2],
      /the agent's JVM could not be signalled inside the container \(\S+ exec: .*SIGKILL\); the container was stopped instead, so only the agent's periodic writes are there/,
    ],
  ] as const)(
    'engine dies at "%s": a message that says so, no container and no temp dir left',
    async (at, codes, message) => {
      // no periodic write in the run (--period 600) after the first
      const r = await trace(['--event', GREET, '--period', '600', '-o', join(tmp, `engine-dies-${at}`)], dying(at));
      expect(codes, r.stderr).toContain(r.code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(containersLeft(engine)).toEqual([]);
      expect(tempDirsLeft(tmp)).toEqual([]);
    },
  );

  it('engine dies removing the container: the output is written, a warning names the container and the command that removes it', async () => {
    const out = join(tmp, 'engine-dies-rm');
    const r = await trace(['--event', GREET, '-o', out], dying('rm'));
    const left = containersLeft(engine);
    expect(left).toHaveLength(1);
    engineSync(engine, ['rm', '-f', left[0]!]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: the container ${left[0]} could not be removed (${engine.bin} rm was killed by SIGKILL); remove it with: ${engine.bin} rm -f ${left[0]}`,
    );
    expect(types(out)).toContain('example.Greeting');
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('wait dies while the container runs: that is no exit, the container is watched by its state and the trace goes on', async () => {
    const out = join(tmp, 'wait-dies');
    const r = await trace(['--runtime-api', '--events', 'events/*.json', '-o', out, '--json'], dying('wait'));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'success']);
    expect(types(out)).toContain('example.Greeting');
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('the engine stops answering once the container runs (wait fails, then everything): the engine is blamed, not the agent or an exit', async () => {
    const out = earlier(join(tmp, 'engine-gone'));
    const said =
      engine.name === 'docker'
        ? 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
        : 'Error: unable to connect to Podman socket: dial unix /run/podman/podman.sock: connect: connection refused';
    const code = engine.name === 'docker' ? 1 : 125;
    const { env } = shim(
      'gone',
      `[ "$1" = wait ] && touch "$HERE/gone"\nif [ -f "$HERE/gone" ]; then echo '${said}' >&2; exit ${code}; fi`,
    );
    const r = await trace(['--runtime-api', '--events', 'events/*.json', '-o', out], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${engine.bin} stopped answering while the container ran (${engine.bin} wait exited with ${code}: ${said}; ${engine.bin} container inspect exited with ${code}: ${said}), so whether it still runs is not known`,
    );
    expect(r.stderr).not.toMatch(/agent wrote no configuration|code \?|loadable/);
    expect(r.stderr).toMatch(/remove it with: \S+ rm -f ni-config-trace-/);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it.each([
    ['crashed', ['--event', '{"action":"crash"}']],
    ['timed out', ['--event', '{"action":"sleep","ms":"9000"}', '--timeout', '5']],
  ] as const)(
    'the last event %s (RIE mode) while cp is refused during a teardown: no signal to a JVM that is gone, what was written is collected',
    async (what, last) => {
      // the engine refuses cp for 5 s after a kill, as podman does into a container being torn down
      const s = shim(
        `teardown-${what.replace(' ', '-')}`,
        `if [ "$1" = kill ]; then date +%s > "$HERE/killed"; fi\nif [ "$1" = cp ] && [ -f "$HERE/killed" ] && [ $(( $(date +%s) - $(cat "$HERE/killed") )) -lt 5 ]; then echo 'Error: open /proc/4242/ns/mnt: no such file or directory' >&2; exit 125; fi`,
      );
      const out = join(tmp, `last-${what.replace(' ', '-')}`);
      const r = await trace(['--event', GREET, ...last, '--period', '1', '-o', out, '--json'], { env: s.env });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as TraceJson;
      expect(report.events[0]!.status).toBe('success');
      // the JVM was already gone: nothing to signal, and no warning that it could not be
      expect(report.warnings.join('\n')).not.toMatch(/could not be signalled/);
      expect(shimCalls(s.dir).filter((c) => c.startsWith('kill '))).toEqual([]);
      expect(types(out)).toContain('example.Greeting');
      expect(containersLeft(engine)).toEqual([]);
      expect(tempDirsLeft(tmp)).toEqual([]);
    },
  );

  it('the init failed (RIE mode): the init error is reported, and whatever the agent wrote is collected', async () => {
    const r = await trace(['--event', GREET, '-e', 'HANDLER=example.Missing', '-o', join(tmp, 'init'), '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.initError?.errorType).toBe('java.lang.ClassNotFoundException');
    expect(report.warnings.join('\n')).not.toMatch(/could not be signalled/);
    expect(containersLeft(engine)).toEqual([]);
  });

  it('cp fails for a reason of the engine: an engine error, never "the agent wrote nothing"', async () => {
    const out = earlier(join(tmp, 'cp-fails'));
    const { env } = shim(
      'cp-fails',
      `[ "$1" = cp ] && { echo 'Error: open /proc/4242/ns/mnt: no such file or directory' >&2; exit 125; }`,
    );
    const r = await trace(['--event', GREET, '-o', out], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /copying the agent's output out of the container failed: \S+ cp exited with 125: Error: open \/proc\/4242\/ns\/mnt: no such file or directory/,
    );
    expect(r.stderr).not.toMatch(/agent wrote no configuration/);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    expect(containersLeft(engine)).toEqual([]);
  });

  it.each(['rie', 'runtime-api'] as const)(
    'a JVM that cannot start (%s mode: a wrong main class): each crash shows what the JVM said, not the emulator',
    async (mode) => {
      const r = await trace([
        ...(mode === 'runtime-api' ? ['--runtime-api'] : []),
        '--events',
        'events/*.json',
        '-e',
        'MAIN_CLASS=example.NoSuch',
        '-o',
        join(tmp, `no-main-${mode}`),
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as TraceJson;
      expect(report.events.map((e) => e.status)).toEqual(['crash', 'crash']);
      for (const e of report.events) {
        expect(e.output).toEqual([
          'Error: Could not find or load main class example.NoSuch',
          'Caused by: java.lang.ClassNotFoundException: example.NoSuch',
        ]);
      }
      const text = await trace([
        ...(mode === 'runtime-api' ? ['--runtime-api'] : []),
        '--event',
        GREET,
        '-e',
        'MAIN_CLASS=example.NoSuch',
        '-o',
        join(tmp, `no-main-${mode}-text`),
      ]);
      expect(text.stderr).toContain(
        '  the function printed last:\n    Error: Could not find or load main class example.NoSuch\n',
      );
      expect(text.stderr).not.toMatch(/\(rapid\)|RequestId:/);
      expect(containersLeft(engine)).toEqual([]);
      expect(tempDirsLeft(tmp)).toEqual([]);
    },
  );

  it('--rie that does not exist: a usage error naming it, before anything runs; one that does is mounted as the file alone', async () => {
    const s = shim('rie-mount', '');
    const missing = join(tmp, 'no-such-rie-dir', 'aws-lambda-rie');
    const r = await trace(['--rie', missing, '--event', GREET, '-o', join(tmp, 'rie-missing')], { env: s.env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--rie ${missing}: no such file`);
    expect(existsSync(join(tmp, 'no-such-rie-dir'))).toBe(false);
    expect(shimCalls(s.dir).filter((c) => c.startsWith('run '))).toEqual([]);

    const rie = rieScript(tmp, 'aws-lambda-rie', 'exec /rie/aws-lambda-rie "$@"');
    const ok = await trace(['--rie', rie, '--event', GREET, '-o', join(tmp, 'rie-ok')], { env: s.env });
    expect(ok.code, ok.stderr).toBe(0);
    const run = shimCalls(s.dir).find((c) => c.startsWith('run '))!;
    expect(run).toContain(` -v ${rie}:/ni-config-rie/aws-lambda-rie:ro `);
    expect(run).toContain(` --entrypoint /ni-config-rie/aws-lambda-rie ${IMAGE} /lambda-bootstrap.sh`);
    expect(types(join(tmp, 'rie-ok'))).toContain('example.Greeting');
    expect(containersLeft(engine)).toEqual([]);
  });

  it('is killed from outside mid-event: the event is a crash, what the agent wrote before is kept, nothing left behind', async () => {
    const out = join(tmp, 'killed');
    let killed = '';
    const r = await trace(
      [
        '--event',
        GREET,
        '--event',
        '{"action":"sleep","ms":"60000"}',
        '--period',
        '1',
        '--timeout',
        '90',
        '-o',
        out,
        '--json',
      ],
      {
        onStart: () => {
          void (async () => {
            // once the first event has been answered and a periodic write has landed
            for (let i = 0; i < 300 && killed === ''; i++) {
              await new Promise((resolve) => setTimeout(resolve, 100));
              const name = containersLeft(engine)[0];
              if (name === undefined) continue;
              const written = engineSync(engine, [
                'exec',
                name,
                'sh',
                '-c',
                'cat /tmp/ni-config-agent/*/reflect-config.json 2>/dev/null',
              ]).stdout;
              if (written.includes('example.Greeting')) {
                await new Promise((resolve) => setTimeout(resolve, 500));
                engineSync(engine, ['kill', name]);
                killed = name;
              }
            }
          })();
        },
      },
    );
    expect(killed).not.toBe('');
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'crash']);
    expect(types(out)).toContain('example.Greeting');
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });

  it('two traces at once do not collide: containers, ports, agent dirs and outputs are their own', async () => {
    const outs = ['a', 'b'].map((x) => join(tmp, `together-${x}`));
    const [a, b] = await Promise.all([
      trace(['--events', 'events/*.json', '-o', outs[0]!, '--json']),
      trace([
        '--runtime-api',
        '--event',
        '{"action":"greet","model":"Greeting","name":"Bo"}',
        '-o',
        outs[1]!,
        '--json',
      ]),
    ]);
    for (const [r, out] of [
      [a, outs[0]],
      [b, outs[1]],
    ] as const) {
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as TraceJson).runs).toBe(1);
      expect(types(out!)).toContain('example.Greeting');
    }
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });
});
