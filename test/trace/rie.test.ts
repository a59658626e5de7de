/**
 * The RIE client over recorded exchanges: a local server answers as the emulator does
 * (lambda-rie.md: 404 on GET / once listening, function errors and timeouts as 200, a crashed
 * runtime as 502 with an empty body, a dropped connection when the container goes down).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EmulatorGone, INVOKE_PATH, RieClient, classifyRieAnswer, invokeRie, waitForRie } from '../../src/trace/rie.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Replays one recorded answer per invocation, in order. */
async function emulator(
  answers: { status: number; body: string; drop?: boolean; half?: boolean }[],
): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  let concurrent = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/') {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found\n');
        return;
      }
      if (req.url !== INVOKE_PATH) throw new Error(`unexpected ${req.url}`);
      concurrent++;
      if (concurrent > 1) throw new Error('concurrent invoke: the emulator would crash');
      seen.push(body);
      const a = answers.shift()!;
      setTimeout(() => {
        concurrent--;
        if (a.drop) res.socket?.destroy();
        else if (a.half) {
          // headers and part of the body, then a reset
          res.writeHead(a.status, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
          res.write(a.body);
          setTimeout(() => res.socket?.resetAndDestroy(), 20);
        } else {
          res.writeHead(a.status, { 'Content-Type': 'application/json' });
          res.end(a.body);
        }
      }, 10);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the RIE client', () => {
  it('waits for the HTTP server (a 404 on / means ready) and classifies recorded answers', async () => {
    const { base, seen } = await emulator([
      { status: 200, body: '{"message":"hello"}' },
      {
        status: 200,
        body: '{"errorMessage":"asked to fail","errorType":"java.lang.IllegalStateException","stackTrace":[]}',
      },
      { status: 200, body: 'Task timed out after 3.00 seconds' },
      { status: 502, body: '' },
      { status: 0, body: '', drop: true },
      { status: 200, body: '{"message":"hel', half: true },
    ]);
    await waitForRie(base, 5000);
    const statuses = [];
    for (const e of ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}', '{"n":6}'])
      statuses.push(await invokeRie(base, e, 5000));
    expect(statuses.map((s) => [s.status, s.errorType])).toEqual([
      ['success', undefined],
      ['function-error', 'java.lang.IllegalStateException'],
      ['timeout', undefined],
      ['crash', undefined],
      ['crash', undefined],
      ['crash', undefined],
    ]);
    // a reset mid-response says so
    expect(statuses[5]!.body).toMatch(/terminated|reset|aborted|socket/i);
    expect(seen).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}', '{"n":6}']);
  });

  it('gives up on an emulator that never answers, saying so', async () => {
    await expect(waitForRie('http://127.0.0.1:9', 500)).rejects.toThrow(/did not answer within/);
  });

  it('classifies by status and body shape', () => {
    expect(classifyRieAnswer(200, '[1,2]')).toMatchObject({ status: 'success' });
    expect(classifyRieAnswer(200, 'not json')).toMatchObject({ status: 'success' });
    expect(classifyRieAnswer(200, '{"errorMessage":"x"}')).toMatchObject({ status: 'function-error' });
    expect(classifyRieAnswer(500, '')).toMatchObject({ status: 'crash', reason: 'the emulator answered 500' });
  });

  it("tells the emulator's 502s apart (FakeRie.java's header: what the real one answers when)", () => {
    const exit = classifyRieAnswer(
      502,
      '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: 9c1e Error: Runtime exited with error: exit status 3"}',
      { answered: true },
    );
    expect(exit).toEqual({
      status: 'crash',
      errorType: 'Runtime.ExitError',
      reason: 'the runtime exited: Runtime exited with error: exit status 3',
      answered: false,
    });
    // nothing answered before: the runtime's /init/error payload
    const init = '{"errorMessage":"example.Missing","errorType":"java.lang.ClassNotFoundException"}';
    expect(classifyRieAnswer(502, init)).toEqual({
      status: 'crash',
      errorType: 'java.lang.ClassNotFoundException',
      reason: "the function's init failed",
      initError: true,
      answered: false,
    });
    // and the same payload again later: the emulator answers every failure after a failed init with it
    expect(classifyRieAnswer(502, init, { answered: false, initErrorBody: init }).reason).toMatch(
      /answers every failure after a failed init with that init's error/,
    );
    // after a timeout (or a crash) before the runtime's first /next
    expect(classifyRieAnswer(502, '')).toMatchObject({ status: 'crash', reason: expect.stringMatching(/no body/) });
    // the function answered, then exited before asking for the next event
    expect(classifyRieAnswer(502, '{"answered":true}', { answered: true })).toMatchObject({
      status: 'crash',
      reason: expect.stringMatching(/^the function answered, then exited/),
      answered: true,
    });
    expect(
      classifyRieAnswer(
        502,
        '{"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: x Error: fork/exec /nope: no such file or directory"}',
      ),
    ).toMatchObject({
      errorType: 'Runtime.InvalidEntrypoint',
      reason: 'the emulator could not start the runtime: fork/exec /nope: no such file or directory',
    });
    expect(
      classifyRieAnswer(
        200,
        '{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes)."}',
      ),
    ).toMatchObject({
      status: 'function-error',
      errorType: 'Function.ResponseSizeTooLarge',
      reason: expect.stringMatching(/^the function's response is larger than Lambda allows \(Response payload size/),
    });
    expect(classifyRieAnswer(200, 'Task timed out after 5.00 seconds')).toMatchObject({
      status: 'timeout',
      reason: expect.stringMatching(/the lazy JVM start included/),
    });
  });

  it('keeps the init error it saw, and no request id (the emulator sends none)', async () => {
    const init = '{"errorMessage":"example.Missing","errorType":"java.lang.ClassNotFoundException"}';
    const { base } = await emulator([
      { status: 502, body: init },
      { status: 502, body: init },
    ]);
    const client = new RieClient(base);
    const first = await client.invoke('{}', 5000);
    expect(first).toMatchObject({ requestId: '', status: 'crash', errorType: 'java.lang.ClassNotFoundException' });
    expect(client.initFailure).toEqual({ errorType: 'java.lang.ClassNotFoundException', body: init });
    expect((await client.invoke('{}', 5000)).reason).toMatch(/that init's error/);
  });

  it("keeps the function's own answer: a success, a function error, and what it posted before it exited; never the emulator's", async () => {
    const { base } = await emulator([
      { status: 200, body: '{"ok":true}' },
      { status: 200, body: '{"errorMessage":"no","errorType":"Boom"}' },
      { status: 502, body: '{"answered":true}' },
      { status: 502, body: '' },
    ]);
    const client = new RieClient(base);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await client.invoke('{}', 5000));
    expect(results.map((r) => [r.status, r.answer])).toEqual([
      ['success', '{"ok":true}'],
      ['function-error', '{"errorMessage":"no","errorType":"Boom"}'],
      ['crash', '{"answered":true}'],
      ['crash', undefined],
    ]);
  });

  it('a connection accepted and closed before the emulator listens (docker-proxy) is retried at once, not waited out', async () => {
    // a port forwarder's accept-then-close, then the emulator after a second
    const { createServer: net } = await import('node:net');
    let accepted = 0;
    const proxy = net((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const port = (proxy.address() as AddressInfo).port;
    const started = Date.now();
    await expect(waitForRie(`http://127.0.0.1:${port}`, 1500)).rejects.toThrow(/did not answer within 2 s/);
    proxy.close();
    // each probe ended at once: many in the time a fetch would have waited out one
    expect(accepted).toBeGreaterThan(5);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops waiting at once when the container is gone', async () => {
    const gone = new AbortController();
    setTimeout(() => gone.abort(new Error('the container exited (code 1)')), 300);
    const started = Date.now();
    const e = await waitForRie('http://127.0.0.1:9', 60_000, gone.signal).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(EmulatorGone);
    expect((e as Error).message).toBe('the container exited (code 1)');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
