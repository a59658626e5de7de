/** The Runtime API server against a real HTTP client playing the runtime, as the Java RIC does. */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD, RuntimeApiServer } from '../../src/trace/runtime-api.js';

let server: RuntimeApiServer | undefined;
afterEach(async () => server?.close());

async function next(api: string): Promise<{ id: string; deadline: number; body: string; arn: string | null }> {
  const r = await fetch(`http://${api}/2018-06-01/runtime/invocation/next`);
  return {
    id: r.headers.get('lambda-runtime-aws-request-id')!,
    deadline: Number(r.headers.get('lambda-runtime-deadline-ms')),
    body: await r.text(),
    arn: r.headers.get('lambda-runtime-invoked-function-arn'),
  };
}

describe('RuntimeApiServer', () => {
  it('hands events to /next one at a time and classifies responses and errors', async () => {
    server = new RuntimeApiServer();
    const api = await server.start();
    const first = server.invoke('{"n":1}', 10_000);
    const second = server.invoke('{"n":2}', 10_000);
    const a = await next(api);
    expect(a.body).toBe('{"n":1}');
    expect(a.deadline).toBeGreaterThan(Date.now());
    expect(a.arn).toMatch(/^arn:aws:lambda:/);
    expect(
      (await fetch(`http://${api}/2018-06-01/runtime/invocation/${a.id}/response`, { method: 'POST', body: '"ok"' }))
        .status,
    ).toBe(202);
    expect(await first).toMatchObject({ status: 'success', body: '"ok"', answer: '"ok"' });
    const b = await next(api);
    expect(b.body).toBe('{"n":2}');
    await fetch(`http://${api}/2018-06-01/runtime/invocation/${b.id}/error`, {
      method: 'POST',
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' },
      body: JSON.stringify({ errorMessage: 'boom', errorType: 'java.lang.IllegalStateException' }),
    });
    expect(await second).toMatchObject({
      status: 'function-error',
      errorType: 'Unhandled',
      answer: JSON.stringify({ errorMessage: 'boom', errorType: 'java.lang.IllegalStateException' }),
    });
  });

  it('times an invocation out from when the runtime takes it, and rejects late or wrong answers', async () => {
    server = new RuntimeApiServer();
    const api = await server.start();
    const result = server.invoke('{}', 200);
    const a = await next(api);
    const late = await result;
    expect(late).toMatchObject({ status: 'timeout', body: 'Task timed out after 0.20 seconds' });
    expect(late.answer).toBeUndefined();
    expect(
      (await fetch(`http://${api}/2018-06-01/runtime/invocation/${a.id}/response`, { method: 'POST', body: 'late' }))
        .status,
    ).toBe(400);
  });

  it('records init errors, ends queued work as a crash, and refuses payloads over 6 MB', async () => {
    server = new RuntimeApiServer();
    const api = await server.start();
    await fetch(`http://${api}/2018-06-01/runtime/init/error`, {
      method: 'POST',
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ClassNotFound' },
      body: '{"errorMessage":"no handler"}',
    });
    expect(server.initFailure).toEqual({ errorType: 'Runtime.ClassNotFound', body: '{"errorMessage":"no handler"}' });
    const queued = server.invoke('{}', 10_000);
    server.crash('the JVM exited with code 1');
    expect(await queued).toMatchObject({ status: 'crash', body: 'the JVM exited with code 1' });
    const big = server.invoke('{}', 10_000);
    const a = await next(api);
    expect(
      (
        await fetch(`http://${api}/2018-06-01/runtime/invocation/${a.id}/response`, {
          method: 'POST',
          body: 'x'.repeat(MAX_PAYLOAD + 200),
        })
      ).status,
    ).toBe(413);
    server.crash('done');
    await big;
  });

  it("keeps an invocation open when the runtime's answer is cut off mid-body, and takes its retry", async () => {
    server = new RuntimeApiServer();
    const api = await server.start();
    const result = server.invoke('{}', 10_000);
    const a = await next(api);
    const [host, port] = api.split(':') as [string, string];
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), host, () => {
        socket.write(
          `POST /2018-06-01/runtime/invocation/${a.id}/response HTTP/1.1\r\nHost: ${api}\r\nContent-Length: 100\r\n\r\n"half`,
        );
        setTimeout(() => {
          socket.resetAndDestroy();
          resolve();
        }, 50);
      });
    });
    let settled = false;
    void result.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    expect(
      (await fetch(`http://${api}/2018-06-01/runtime/invocation/${a.id}/response`, { method: 'POST', body: '"whole"' }))
        .status,
    ).toBe(202);
    expect(await result).toMatchObject({ status: 'success', body: '"whole"' });
  });
});
