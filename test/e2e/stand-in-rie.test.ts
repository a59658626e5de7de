/**
 * The test image's emulator (test/container/rie/FakeRie.java) against the real aws-lambda-rie's
 * contract, straight over HTTP, on every engine here. With NI_CONFIG_RIE naming a real
 * aws-lambda-rie binary, that one is mounted over the entrypoint instead, and the same tests
 * check it. node:http, not fetch: behind docker-proxy a connection is accepted and closed before
 * the emulator listens, and fetch hangs on that.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { basename, dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IMAGE,
  cleanupRun,
  containersLeft,
  engineSync,
  engines,
  ensureTestImage,
  runLabel,
  type TestEngine,
} from './engines.js';

const REAL_RIE = process.env.NI_CONFIG_RIE || undefined;
const INVOKE = '/2015-03-31/functions/function/invocations';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TEXT = 'text/plain; charset=utf-8';
const MAX_PAYLOAD = 6 * 1024 * 1024 + 100;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly bytes: number;
  /** From sending the request to the end of the answer. */
  readonly ms: number;
  /** When the request was sent (epoch ms). */
  readonly sentAt: number;
}

interface CallOptions {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** One request on its own connection; rejects when the connection ends without an answer. */
function call(port: number, o: CallOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sentAt = Date.now();
    const started = performance.now();
    const req = httpRequest(
      { host: '127.0.0.1', port, method: o.method ?? 'POST', path: o.path ?? INVOKE, headers: o.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const b = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: b.toString('utf8'),
            bytes: b.length,
            ms: performance.now() - started,
            sentAt,
          });
        });
      },
    );
    req.setTimeout(o.timeoutMs ?? 60_000, () => req.destroy(new Error(`no answer within ${o.timeoutMs ?? 60_000} ms`)));
    req.on('error', reject);
    req.end(o.body ?? '');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StartOptions {
  readonly env?: Record<string, string>;
  /** The emulator's own arguments; by default the image's entrypoint starts it. */
  readonly argv?: readonly string[];
}

/** A container of the test image in RIE mode (no AWS_LAMBDA_RUNTIME_API), port 8080 on 127.0.0.1. */
class Emulator {
  private constructor(
    readonly engine: TestEngine,
    readonly id: string,
    readonly port: number,
  ) {}

  static async start(engine: TestEngine, o: StartOptions = {}): Promise<Emulator> {
    const args = ['run', '-d', ...runLabel(), '-p', '127.0.0.1::8080'];
    for (const [k, v] of Object.entries(o.env ?? {})) args.push('-e', `${k}=${v}`);
    if (o.argv !== undefined || REAL_RIE !== undefined) {
      if (REAL_RIE !== undefined)
        args.push(
          '-v',
          `${dirname(REAL_RIE)}:/ni-config-rie:ro`,
          '--entrypoint',
          `/ni-config-rie/${basename(REAL_RIE)}`,
        );
      else args.push('--entrypoint', '/rie/aws-lambda-rie');
      args.push(IMAGE, ...(o.argv ?? ['/lambda-bootstrap.sh']));
    } else {
      args.push(IMAGE);
    }
    const r = engineSync(engine, args);
    expect(r.status, r.stderr).toBe(0);
    const id = r.stdout.trim();
    started.push({ engine, id });
    const port = engineSync(engine, ['port', id, '8080/tcp'])
      .stdout.split('\n')
      .map((l) => /^(?:\d+\.){3}\d+:(\d+)$/.exec(l.trim()))
      .find((m) => m !== null)?.[1];
    expect(port, `no published port for ${id}`).toBeDefined();
    const e = new Emulator(engine, id, Number(port));
    await e.ready();
    return e;
  }

  /** Until GET / gets any answer (a connection alone can be the port forwarder's). */
  private async ready(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await call(this.port, { method: 'GET', path: '/', timeoutMs: 2000 });
        return;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`the emulator in ${this.id} did not answer: ${(e as Error).message}`);
        await sleep(100);
      }
    }
  }

  invoke(event: unknown, o: Omit<CallOptions, 'body'> = {}): Promise<Answer> {
    return call(this.port, { ...o, body: typeof event === 'string' ? event : JSON.stringify(event) });
  }

  /** stdout and stderr of the container so far. */
  logs(): { stdout: string; stderr: string; all: string } {
    const r = engineSync(this.engine, ['logs', this.id]);
    return { stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
  }

  exec(...args: string[]) {
    return engineSync(this.engine, ['exec', this.id, ...args]);
  }

  /** The state letter of a process in the container (R, S, Z, ...), or undefined when it is gone. */
  processState(pid: number): string | undefined {
    const r = this.exec('cat', `/proc/${pid}/stat`);
    if (r.status !== 0) return undefined;
    return r.stdout.slice(r.stdout.lastIndexOf(')') + 2).split(' ')[0];
  }

  /** Pids of the fixture function's JVMs. */
  functionJvms(): number[] {
    const r = this.exec(
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do echo "${p#/proc/} $(tr "\\000" " " < $p/cmdline)"; done',
    );
    return r.stdout
      .split('\n')
      .filter((l) => l.includes('example.Bootstrap'))
      .map((l) => Number(l.split(' ')[0]));
  }

  /** The container's exit code once it has stopped (bounded). */
  waitExit(timeoutMs = 30_000): number {
    const r = engineSync(this.engine, ['wait', this.id], timeoutMs);
    expect(r.status, r.stderr).toBe(0);
    return Number(r.stdout.trim().split('\n').at(-1));
  }

  running(): boolean {
    return engineSync(this.engine, ['inspect', '--format', '{{.State.Running}}', this.id]).stdout.trim() === 'true';
  }
}

const started: { engine: TestEngine; id: string }[] = [];

afterEach(() => {
  for (const { engine, id } of started.splice(0)) engineSync(engine, ['rm', '-f', id]);
});

const json = (a: Answer) => JSON.parse(a.body) as Record<string, unknown>;
const pidOf = (a: Answer) => Number((json(a) as { pid: number }).pid);
const exitError = (status: string) =>
  new RegExp(
    `^\\{"errorType":"Runtime\\.ExitError","errorMessage":"RequestId: ${UUID} Error: Runtime exited with error: ${status}"\\}$`,
  );

if (engines.length === 0) it.skip('needs podman or docker (DOCKER_HOST for docker)', () => undefined);

describe.each(engines)(`${REAL_RIE ? 'aws-lambda-rie' : 'the stand-in emulator'} on $name`, (engine) => {
  beforeAll(() => ensureTestImage(engine), 600_000);
  afterAll(() => {
    cleanupRun(engine);
    expect(containersLeft(engine)).toEqual([]);
  });

  it("answers every path but the invoke path with Go's 404 page", async () => {
    const e = await Emulator.start(engine);
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/2015-03-31/functions/other/invocations'],
    ] as const) {
      const a = await call(e.port, { method, path });
      expect(a.status).toBe(404);
      expect(a.body).toBe('404 page not found\n');
      expect(a.headers['content-type']).toBe(TEXT);
      expect(a.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it("answers with what the runtime posted as text/plain and logs START, END and REPORT; the END id is the runtime's", async () => {
    const e = await Emulator.start(engine);
    const first = await e.invoke({ action: 'context' });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe(TEXT);
    expect(first.headers['x-amz-function-error']).toBeUndefined();
    const seen = json(first) as Record<string, string>;
    // no AWS_LAMBDA_FUNCTION_TIMEOUT: 300 s from the invoke
    expect(Number(seen['lambda-runtime-deadline-ms']) - first.sentAt).toBeGreaterThan(300_000 - 100);
    expect(Number(seen['lambda-runtime-deadline-ms']) - first.sentAt).toBeLessThan(300_000 + 2_000);
    const second = await e.invoke({ action: 'greet', model: 'Greeting', name: 'Ada' });
    expect(second.body).toBe('{"message":"Greeting: hello, Ada"}');
    expect(second.headers['content-type']).toBe(TEXT);
    const out = e.logs().stdout.split('\n');
    const starts = out.filter((l) => l.startsWith('START'));
    const ends = out.filter((l) => l.startsWith('END'));
    const reports = out.filter((l) => l.startsWith('REPORT'));
    expect(starts).toHaveLength(2);
    for (const s of starts) expect(s).toMatch(new RegExp(`^START RequestId: ${UUID} Version: \\$LATEST$`));
    expect(ends).toHaveLength(2);
    expect(ends[0]).toBe(`END RequestId: ${seen['lambda-runtime-aws-request-id']}`);
    // the id START prints is the handler's own, not the reservation's the runtime gets
    expect(starts[0]).not.toContain(seen['lambda-runtime-aws-request-id']);
    expect(reports[0]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${seen['lambda-runtime-aws-request-id']}\\tInit Duration: \\d+\\.\\d\\d ms\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 3008 MB\\tMax Memory Used: 3008 MB\\t$`,
      ),
    );
    expect(reports[1]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${UUID}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 3008 MB\\tMax Memory Used: 3008 MB\\t$`,
      ),
    );
  });

  it('answers a function error with 200 and the error as the runtime posted it', async () => {
    const e = await Emulator.start(engine);
    const a = await e.invoke({ action: 'throw' });
    expect(a.status).toBe(200);
    expect(a.body).toBe('{"errorMessage":"asked to fail","errorType":"java.lang.IllegalStateException"}');
    expect(a.headers['content-type']).toBe(TEXT);
    expect(a.headers['x-amz-function-error']).toBeUndefined();
  });

  it('answers a crash mid-invoke with 502 and a Runtime.ExitError; the next invoke gets a new runtime', async () => {
    const e = await Emulator.start(engine);
    const before = pidOf(await e.invoke({ action: 'pid' }));
    const crash = await e.invoke({ action: 'crash' });
    expect(crash.status).toBe(502);
    expect(crash.body).toMatch(exitError('exit status 3'));
    expect(crash.headers['content-type']).toBe(TEXT);
    const after = await e.invoke({ action: 'pid' });
    expect(after.status).toBe(200);
    expect(pidOf(after)).not.toBe(before);
    // a failed invoke has no END and no REPORT line
    const out = e.logs().stdout;
    expect(out.match(/^START /gm)).toHaveLength(3);
    expect(out.match(/^END /gm)).toHaveLength(2);
    expect(out.match(/^REPORT /gm)).toHaveLength(2);
  });

  it('answers 502 with the answer when the runtime exits after answering, before asking for the next event', async () => {
    const e = await Emulator.start(engine);
    const a = await e.invoke({ action: 'answer-then-exit', code: '5' });
    expect(a.status).toBe(502);
    expect(a.body).toBe('{"answered":true}');
    expect((await e.invoke({ action: 'pid' })).status).toBe(200);
  });

  it("answers an init failure with 502 and the runtime's /init/error payload, on every invoke", async () => {
    const e = await Emulator.start(engine, { env: { HANDLER: 'example.Nope' } });
    for (let i = 0; i < 2; i++) {
      const a = await e.invoke({ action: 'pid' });
      expect(a.status).toBe(502);
      expect(a.body).toBe('{"errorMessage":"example.Nope","errorType":"java.lang.ClassNotFoundException"}');
      expect(a.headers['content-type']).toBe(TEXT);
    }
  });

  it('fails the next invoke at once after the runtime exited while idle, and starts a new runtime on the one after', async () => {
    const e = await Emulator.start(engine, { env: { AWS_LAMBDA_FUNCTION_TIMEOUT: '10' } });
    const jvm = pidOf(await e.invoke({ action: 'pid' }));
    // SIGTERM to the JVM itself: it exits 143; the emulator stays up and does not start another
    expect(e.exec('kill', '-TERM', String(jvm)).status).toBe(0);
    for (let i = 0; i < 100 && e.processState(jvm) !== undefined; i++) await sleep(50);
    expect(e.processState(jvm)).toBeUndefined();
    await sleep(1500);
    expect(e.functionJvms()).toEqual([]);
    expect(e.running()).toBe(true);
    const failed = await e.invoke({ action: 'pid' }, { timeoutMs: 20_000 });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatch(exitError('exit status 143'));
    expect(failed.ms).toBeLessThan(1000);
    const next = await e.invoke({ action: 'pid' }, { timeoutMs: 20_000 });
    expect(next.status).toBe(200);
    expect(pidOf(next)).not.toBe(jvm);
  });

  it('crashes on a second invoke while one runs: neither gets an answer, the container exits 2', async () => {
    const e = await Emulator.start(engine);
    const first = e.invoke({ action: 'sleep', ms: '3000' }, { timeoutMs: 20_000 });
    await sleep(1000);
    const second = e.invoke({ action: 'pid' }, { timeoutMs: 20_000 });
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(e.waitExit()).toBe(2);
    expect(e.logs().stderr).toContain('ReserveFailed: AlreadyReserved');
  });

  it('refuses an answer over 6 MiB + 100 bytes with 413 and answers the caller Function.ResponseSizeTooLarge', async () => {
    const e = await Emulator.start(engine);
    const at = await e.invoke({ action: 'big', bytes: String(MAX_PAYLOAD) });
    expect(at.status).toBe(200);
    expect(at.bytes).toBe(MAX_PAYLOAD);
    expect(at.headers['content-type']).toBe(TEXT);
    const over = await e.invoke({ action: 'big', bytes: String(MAX_PAYLOAD + 1) });
    expect(over.status).toBe(200);
    expect(over.body).toBe(
      `{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size (${MAX_PAYLOAD + 1} bytes) exceeded maximum allowed payload size (${MAX_PAYLOAD} bytes)."}`,
    );
    expect(e.logs().stderr).toMatch(
      new RegExp(
        `fixture: POST /runtime/invocation/${UUID}/response answered 413 \\{"errorMessage":"Exceeded maximum allowed payload size \\(${MAX_PAYLOAD} bytes\\)\\.","errorType":"RequestEntityTooLarge"\\}`,
      ),
    );
    // the runtime goes on
    expect((await e.invoke({ action: 'pid' })).status).toBe(200);
  });

  it('cuts an event over 6 MiB + 100 bytes to that size', async () => {
    const e = await Emulator.start(engine);
    const event = `{"action":"size","pad":"${'x'.repeat(MAX_PAYLOAD)}"}`;
    const a = await e.invoke(event);
    expect(a.status).toBe(200);
    expect(json(a)).toEqual({ bytes: MAX_PAYLOAD });
    expect(a.headers['content-type']).toBe(TEXT);
  });

  it('counts a timeout before the first runtime asked for an event as a failed init: later failures answer an empty 502', async () => {
    // The timeout counts from the invoke, the JVM's start included, and is whole seconds: 10 s
    // covers a JVM's start on a loaded machine, so that the later runtimes answer in time. The
    // first runtime waits far longer than that before its first /next (the emulator kills it at
    // the timeout), so the timeout always falls in its init.
    const e = await Emulator.start(engine, {
      env: { AWS_LAMBDA_FUNCTION_TIMEOUT: '10', NI_FIXTURE_FIRST_START_DELAY_MS: '600000' },
    });
    const slow = await e.invoke({ action: 'pid' }, { timeoutMs: 30_000 });
    expect(slow.body).toBe('Task timed out after 10.00 seconds');
    // the invoke never took the reservation's id: END names the id START printed
    const out = e.logs().stdout;
    const printed = /^START RequestId: (\S+) /m.exec(out)?.[1];
    expect(out).toContain(`END RequestId: ${printed}\n`);
    // a new runtime answers: the function itself, not another timeout
    const again = await e.invoke({ action: 'pid' }, { timeoutMs: 30_000 });
    expect(again.status).toBe(200);
    expect(again.body).toMatch(/^\{"pid":\d+\}$/);
    const crash = await e.invoke({ action: 'crash' }, { timeoutMs: 30_000 });
    expect(crash.status).toBe(502);
    expect(crash.body).toBe('');
    expect(crash.headers['content-type']).toBeUndefined();
  });

  it('answers 500 to a client context that is not base64 and hands a good one to the runtime decoded', async () => {
    const e = await Emulator.start(engine);
    const bad = await e.invoke({ action: 'context' }, { headers: { 'X-Amz-Client-Context': 'not base64!' } });
    expect(bad.status).toBe(500);
    expect(bad.body).toBe('');
    expect(bad.headers['content-type']).toBeUndefined();
    const context = '{"custom":{"k":"v"}}';
    const good = await e.invoke(
      { action: 'context' },
      { headers: { 'X-Amz-Client-Context': Buffer.from(context).toString('base64') } },
    );
    expect(good.status).toBe(200);
    expect((json(good) as Record<string, string>)['lambda-runtime-client-context']).toBe(context);
  });

  it('on SIGTERM SIGKILLs the runtime (logging it) and exits 0', async () => {
    const e = await Emulator.start(engine);
    const jvm = pidOf(await e.invoke({ action: 'pid' }));
    expect(engineSync(engine, ['kill', '--signal', 'TERM', e.id]).status).toBe(0);
    expect(e.waitExit()).toBe(0);
    expect(e.logs().stderr).toMatch(new RegExp(`\\[INFO\\] \\(rapid\\) Sending SIGKILL to runtime-1\\(${jvm}\\)\\.`));
  });

  it("gives the runtime the container's environment and the emulator's own variables", async () => {
    const e = await Emulator.start(engine, {
      env: { NI_TEST_VAR: 'kept', JAVA_TOOL_OPTIONS: '-Xshare:auto -Dni.test=1' },
    });
    const env = json(await e.invoke({ action: 'env' })) as Record<string, string>;
    expect(env).toMatchObject({
      NI_TEST_VAR: 'kept',
      JAVA_TOOL_OPTIONS: '-Xshare:auto -Dni.test=1',
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
      AWS_LAMBDA_FUNCTION_NAME: 'test_function',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3008',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Functions',
      AWS_LAMBDA_LOG_STREAM_NAME: '$LATEST',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
    });
    expect(Object.keys(env).filter((k) => k.startsWith('NI_RUNTIME') || k === '_HANDLER')).toEqual([]);
  });

  it('hands the event over with its headers; the deadline is the invoke plus AWS_LAMBDA_FUNCTION_TIMEOUT', async () => {
    const e = await Emulator.start(engine, {
      env: { AWS_LAMBDA_FUNCTION_TIMEOUT: '7', AWS_LAMBDA_FUNCTION_NAME: 'fn' },
    });
    const a = await e.invoke(
      { action: 'context' },
      { headers: { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793', 'X-Amz-Tenant-Id': 'tenant-1' } },
    );
    const seen = json(a) as Record<string, string>;
    expect(seen['content-type']).toBe('application/json');
    expect(seen['lambda-runtime-aws-request-id']).toMatch(new RegExp(`^${UUID}$`));
    expect(seen['lambda-runtime-invoked-function-arn']).toBe('arn:aws:lambda:us-east-1:012345678912:function:fn');
    expect(seen['lambda-runtime-aws-tenant-id']).toBe('tenant-1');
    // the emulator's tracer does nothing: no trace id reaches the runtime
    expect(seen['lambda-runtime-trace-id']).toBeUndefined();
    const deadline = Number(seen['lambda-runtime-deadline-ms']);
    expect(deadline - a.sentAt).toBeGreaterThanOrEqual(7000 - 50);
    expect(deadline - a.sentAt).toBeLessThan(7000 + 1000);
    // counted from the invoke, not from when the lazily started JVM got the event
    expect(deadline).toBeLessThan(Number(seen['x-received-at']) + 7000);
  });

  it("drops the invoke's connection when AWS_LAMBDA_FUNCTION_TIMEOUT is not an integer, and stays up", async () => {
    const e = await Emulator.start(engine, { env: { AWS_LAMBDA_FUNCTION_TIMEOUT: '1.5' } });
    await expect(e.invoke({ action: 'pid' }, { timeoutMs: 20_000 })).rejects.toThrow();
    expect((await call(e.port, { method: 'GET', path: '/' })).status).toBe(404);
    expect(e.logs().stderr).toContain('http: panic serving');
    expect(e.logs().stderr).toContain('strconv.ParseInt: parsing "1.5": invalid syntax');
  });

  it('answers a timeout ~100 ms after the deadline, SIGKILLs the process group, and starts a new runtime next', async () => {
    const e = await Emulator.start(engine, { env: { AWS_LAMBDA_FUNCTION_TIMEOUT: '3' } });
    // the first invoke's timer includes the lazy start of the JVM
    const first = await e.invoke({ action: 'sleep', ms: '10000' }, { timeoutMs: 20_000 });
    expect(first.status).toBe(200);
    expect(first.body).toBe('Task timed out after 3.00 seconds');
    expect(first.headers['content-type']).toBe(TEXT);
    expect(first.ms).toBeGreaterThanOrEqual(3000 + 90);
    expect(first.ms).toBeLessThan(3000 + 800);
    expect(e.logs().stderr).toMatch(/Sending SIGKILL to runtime-1\(\d+\)\./);
    const spawned = json(await e.invoke({ action: 'spawn' })) as { pid: number; child: number };
    const second = await e.invoke({ action: 'sleep', ms: '10000' }, { timeoutMs: 20_000 });
    expect(second.body).toBe('Task timed out after 3.00 seconds');
    // the runtime's whole process group: the JVM and what it started
    expect(e.logs().stderr).toContain(`Sending SIGKILL to runtime-3(${spawned.pid}).`);
    for (const pid of [spawned.pid, spawned.child]) expect([undefined, 'Z']).toContain(e.processState(pid));
    expect((await e.invoke({ action: 'pid' })).status).toBe(200);
    const out = e.logs().stdout;
    expect(out).toMatch(new RegExp(`^END RequestId: ${UUID}$`, 'm'));
    expect(out.match(/^REPORT .*\tDuration: 3000\.00 ms\tBilled Duration: 3000 ms\t/gm)).toHaveLength(2);
  }, 60_000);

  it('takes the command and the handler from its arguments, and its own options from anywhere before them', async () => {
    // two or more arguments: the last is the handler
    const withHandler = await Emulator.start(engine, {
      argv: ['/bin/sh', '-c', 'exec /lambda-bootstrap.sh', 'example.Handler'],
    });
    const env = json(await withHandler.invoke({ action: 'env' })) as Record<string, string>;
    expect(env._HANDLER).toBe('example.Handler');
    expect(withHandler.logs().stderr).toContain(
      "[INFO] (rapid) exec '/bin/sh' (cwd=/var/task, handler=example.Handler)",
    );
    // --log-level is the emulator's: no INFO lines, and the command runs without it
    const quiet = await Emulator.start(engine, { argv: ['--log-level', 'error', '/lambda-bootstrap.sh'] });
    expect((await quiet.invoke({ action: 'pid' })).status).toBe(200);
    expect(quiet.logs().stderr).not.toContain('[INFO]');
    expect(quiet.logs().stdout).toMatch(/^START RequestId: /m);
    // no command: /var/task/bootstrap, /opt/bootstrap or /var/runtime/bootstrap, none of them here
    const none = await Emulator.start(engine, { argv: [] });
    const a = await none.invoke({ action: 'pid' });
    expect(a.status).toBe(502);
    expect(a.body).toBe('');
    expect(a.headers['content-type']).toBeUndefined();
  });
});
