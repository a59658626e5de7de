/**
 * trace --container in RIE mode (the default), on every engine here: events through the
 * emulator's invoke endpoint. The test image carries a stand-in emulator
 * (test/container/rie/FakeRie.java) with the real one's behaviour; with NI_CONFIG_RIE naming a
 * real aws-lambda-rie binary, that one runs instead (mounted over the image's entrypoint with
 * --rie). Each of the emulator's answers is told apart, and at the end only the JVM that holds
 * the agent lock is signalled, never the emulator.
 */
import { readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { TERMINATE_AGENT_JVMS } from '../../src/trace/container.js';
import { invokeRie, waitForRie } from '../../src/trace/rie.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { IMAGE, cleanupRun, containersLeft, engineSync, engines, ensureTestImage, runLabel } from './engines.js';
import {
  GREET,
  GREETING_ENTRY,
  engineShim,
  pathWith,
  suiteDir,
  tempDirsLeft,
  trace as traceOn,
  withDecoy,
} from './trace-suite.js';

const realRie = process.env.NI_CONFIG_RIE;
let agent: string;
beforeAll(() => {
  agent = buildAgent() as string;
}, 120_000);

const types = (out: string): string[] =>
  (
    JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')) as { reflection: { type: string }[] }
  ).reflection.map((e) => e.type);

describe.each(engines)(
  `trace --container on $name, RIE mode (${realRie ? 'aws-lambda-rie' : 'stand-in emulator'})`,
  (engine) => {
    const tmp = suiteDir(`rie-${engine.name}`);
    const trace = (args: string[]) =>
      traceOn(engine, ['--agent-path', agent, '--container', IMAGE, ...(realRie ? ['--rie', realRie] : []), ...args], {
        tmp,
      });

    beforeAll(() => ensureTestImage(engine), 300_000);
    withDecoy(engine);
    afterEach(() => cleanupRun(engine));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('waits for the emulator, sends events one at a time and collects the agent output', async () => {
      const out = join(tmp, 'out1');
      const r = await trace([
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
      // the runtime, not the emulator in front of it
      expect(report.stopped).toEqual([
        { pid: expect.any(Number), command: '/jre/bin/java -cp /var/task example.Bootstrap' },
      ]);
      expect(report.stopped![0]!.pid).not.toBe(1);
      const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8'));
      expect(metadata.reflection).toContainEqual(GREETING_ENTRY);
      expect(containersLeft(engine)).toEqual([]);
      expect(tempDirsLeft(tmp)).toEqual([]);
    });

    it('classifies a crash (502 Runtime.ExitError) and a timeout (200 "Task timed out"), and goes on with the runtime the emulator restarts', async () => {
      const out = join(tmp, 'out2');
      const r = await trace([
        '--event',
        '{"action":"crash"}',
        '--event',
        '{"action":"sleep","ms":"9000"}',
        '--event',
        GREET,
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
      expect(report.events[0]).toMatchObject({
        errorType: 'Runtime.ExitError',
        reason: 'the runtime exited: Runtime exited with error: exit status 3',
      });
      expect(report.events[1]!.reason).toMatch(/^Task timed out after 5\.00 seconds: .*the lazy JVM start included/);
      expect(types(out)).toContain('example.Greeting');
      expect(containersLeft(engine)).toEqual([]);
    });

    it("tells the emulator's other answers apart: an init error, an answer then an exit, a response over 6 MB, and the empty 502s after a timeout in the init", async () => {
      const init = await trace(['--event', GREET, '-e', 'HANDLER=example.Missing', '-o', join(tmp, 'init'), '--json']);
      expect(init.code, init.stderr).toBe(1);
      const i = JSON.parse(init.stdout) as TraceJson;
      expect(i.initError).toMatchObject({ errorType: 'java.lang.ClassNotFoundException' });
      expect(i.initError!.body).toContain('example.Missing');
      expect(i.events[0]).toMatchObject({ status: 'crash', reason: "the function's init failed" });

      const other = await trace([
        '--event',
        '{"action":"answer-then-exit","code":"4"}',
        '--event',
        '{"action":"big","bytes":"6291600"}',
        '-o',
        join(tmp, 'other'),
        '--json',
      ]);
      expect(other.code, other.stderr).toBe(1);
      const o = JSON.parse(other.stdout) as TraceJson;
      expect(o.events[0]).toMatchObject({
        status: 'crash',
        reason: expect.stringMatching(/^the function answered, then exited before asking for the next event/),
      });
      expect(o.events[1]).toMatchObject({
        status: 'function-error',
        errorType: 'Function.ResponseSizeTooLarge',
        reason: expect.stringMatching(
          /^the function's response is larger than Lambda allows \(Response payload size \(6291600 bytes\)/,
        ),
      });

      // the first JVM takes 30 s to ask for its first event: the timeout (10 s, counted from the
      // invoke) ends it in its init, and from then on the emulator answers failures with nothing;
      // 10 s, so that the next JVM (started by the crash event) gets to crash before its own
      // timeout on a loaded machine
      const slow = await trace([
        '--event',
        GREET,
        '--event',
        '{"action":"crash"}',
        '-e',
        'NI_FIXTURE_FIRST_START_DELAY_MS=30000',
        '--timeout',
        '10',
        '-o',
        join(tmp, 'slow'),
        '--json',
      ]);
      const s = JSON.parse(slow.stdout) as TraceJson;
      expect(s.events.map((e) => e.status)).toEqual(['timeout', 'crash']);
      expect(s.events[1]!.reason).toMatch(/^the emulator answered 502 with no body/);
      expect(containersLeft(engine)).toEqual([]);
      expect(tempDirsLeft(tmp)).toEqual([]);
    });

    it('signals exactly the JVM that holds the agent lock: not the emulator, not itself, whatever the pids and command lines', async () => {
      const name = `ni-config-trace-pids-${process.pid}-${engine.name}`;
      const e = (...args: string[]) => engineSync(engine, args);
      // the agent in the JVM the emulator starts, as trace runs it
      const r0 = e(
        'run',
        '-d',
        '--name',
        name,
        ...runLabel(),
        '-p',
        '127.0.0.1::8080',
        '-v',
        `${join(agent, '..')}:/agent:ro`,
        '-e',
        'JAVA_TOOL_OPTIONS=-agentpath:/agent/libnative-image-agent.so=config-output-dir=/tmp/ni-config-agent/run-{pid}-{datetime},config-write-period-secs=600',
        IMAGE,
      );
      expect(r0.status, r0.stderr).toBe(0);
      // node:http, as trace itself: behind docker-proxy, fetch hangs on a connection the proxy accepts before the emulator listens
      const port = e('port', name, '8080/tcp').stdout.split('\n')[0]!.trim();
      const base = `http://127.0.0.1:${port.slice(port.lastIndexOf(':') + 1)}`;
      await waitForRie(base, 30_000);
      expect((await invokeRie(base, GREET, 30_000)).status).toBe('success');
      const procs = () =>
        e('exec', name, 'sh', '-c', 'for p in /proc/[0-9]*; do echo "${p#/proc/} $(tr "\\000" " " < $p/cmdline)"; done')
          .stdout.split('\n')
          .filter((l) => l.includes('java'));
      const jvm = procs().find((l) => l.includes('example.Bootstrap'))!;
      expect(jvm).toBeDefined();
      // enough forks that the next pid (3 digits, "1..") sorts before the JVM's (2 digits)
      e('exec', name, 'sh', '-c', 'i=0; while [ $i -lt 120 ]; do /bin/true; i=$((i+1)); done');
      const r = e('exec', name, 'sh', '-c', `${TERMINATE_AGENT_JVMS}; s=$?; echo "shell $$"; exit $s`);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`@@stopped ${jvm.split(' ')[0]} /jre/bin/java -cp /var/task example.Bootstrap`);
      expect(Number(/shell (\d+)/.exec(r.stdout)![1])).toBeGreaterThanOrEqual(100);
      for (let i = 0; procs().some((l) => l.includes('example.Bootstrap')) && i < 50; i++)
        await new Promise((r) => setTimeout(r, 100));
      // the JVM is gone and wrote at exit; the emulator (a JVM too, with java in its argv) lives on
      expect(procs().filter((l) => l.includes('example.Bootstrap'))).toEqual([]);
      expect(procs().filter((l) => l.includes('FakeRie'))).toHaveLength(1);
      const written = e(
        'exec',
        name,
        'sh',
        '-c',
        'cat /tmp/ni-config-agent/*/reflect-config.json; ls /tmp/ni-config-agent/*/.lock 2>&1',
      );
      expect(written.stdout).toContain('example.Greeting');
      expect(written.stdout).toMatch(/No such file/);
      e('rm', '-f', name);
    });

    it('an entry script that runs the emulator without exec: the emulator (java in its argv) is left alone and the JVM writes at exit', async () => {
      if (realRie) return;
      // the emulator as a child of a shell that stays process 1: its command line names java
      const wrapper = join(tmp, 'no-exec-rie');
      writeFileSync(wrapper, '#!/bin/sh\n/rie/aws-lambda-rie "$@"\n');
      chmodSync(wrapper, 0o755);
      const out = join(tmp, 'no-exec');
      // the container's log, kept just before it is removed: it says whether the emulator got a signal
      const shim = engineShim(
        engine,
        join(tmp, 'shim-no-exec'),
        'if [ "$1" = rm ]; then for last; do :; done; "$REAL" logs "$last" > "$HERE/logs" 2>&1; fi',
      );
      // no periodic write (--period 600): what is collected is the JVM's exit-time write only
      const r = await traceOn(
        engine,
        [
          '--agent-path',
          agent,
          '--container',
          IMAGE,
          '--rie',
          wrapper,
          '--event',
          GREET,
          '--period',
          '600',
          '-o',
          out,
          '--json',
        ],
        { tmp, env: { PATH: pathWith(shim) } },
      );
      expect(r.code, r.stderr).toBe(0);
      // the emulator never got the signal (it would have SIGKILLed the JVM's process group)
      const logs = readFileSync(join(shim, 'logs'), 'utf8');
      expect(logs).toContain('INVOKE START');
      expect(logs).not.toMatch(/Received signal|Sending SIGKILL/);
      const report = JSON.parse(r.stdout) as TraceJson;
      expect(report.stopped).toEqual([
        { pid: expect.any(Number), command: '/jre/bin/java -cp /var/task example.Bootstrap' },
      ]);
      expect(report.staleLocks).toEqual([]);
      expect(types(out)).toContain('example.Greeting');
      expect(containersLeft(engine)).toEqual([]);
      expect(tempDirsLeft(tmp)).toEqual([]);
    });
  },
);
