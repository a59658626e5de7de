/**
 * The RIE client over recorded exchanges: a local server answers as the emulator does
 * (lambda-rie.md: 404 on GET / once listening, function errors and timeouts as 200, a crashed
 * runtime as 502 with an empty body, a dropped connection when the container goes down).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { INVOKE_PATH, classifyRieAnswer, invokeRie, waitForRie } from '../../src/trace/rie.js';

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
    expect(classifyRieAnswer(200, '[1,2]')).toEqual({ status: 'success' });
    expect(classifyRieAnswer(200, 'not json')).toEqual({ status: 'success' });
    expect(classifyRieAnswer(200, '{"errorMessage":"x"}')).toEqual({ status: 'function-error' });
    expect(classifyRieAnswer(500, '')).toEqual({ status: 'crash' });
  });
});
