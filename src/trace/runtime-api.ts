/**
 * The Lambda Runtime API (2018-06-01), served by ni-config itself: a function whose entrypoint
 * honours `AWS_LAMBDA_RUNTIME_API` polls `/next` here, so every invocation's start, end and
 * outcome are known exactly, with no emulator in between.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type InvocationStatus = 'success' | 'function-error' | 'timeout' | 'crash';

export interface InvocationResult {
  readonly requestId: string;
  readonly status: InvocationStatus;
  readonly durationMs: number;
  /** The function's response or error body, as text (for a crash or a timeout here: what happened). */
  readonly body: string;
  readonly errorType?: string;
  /** For a crash or a timeout (or an emulator's answer that says more than its status): what happened, a sentence. */
  readonly reason?: string;
  /** For a crash: the function's own last lines of output (stderr and stdout), when there were any. */
  readonly output?: readonly string[];
  /**
   * The function's own answer, whole, when it answered: its response (success) or error body
   * (function error), or what it posted before it exited (an emulator's 502 that carries it).
   */
  readonly answer?: string;
}

/** Lambda's limit on a synchronous payload (the emulator allows 6 MiB + 100 bytes for responses). */
export const MAX_PAYLOAD = 6 * 1024 * 1024;
const PREFIX = '/2018-06-01/runtime';

interface Pending {
  readonly requestId: string;
  readonly event: string;
  /** Counted from when the runtime takes the event, as Lambda counts it. */
  readonly timeoutMs: number;
  readonly settle: (r: InvocationResult) => void;
  started: number;
  timer: NodeJS.Timeout | undefined;
}

export interface RuntimeApiOptions {
  readonly functionArn?: string;
}

/** The Lambda Runtime API for one runtime: events handed out one at a time, each answer classified. */
export class RuntimeApiServer {
  private server: Server | undefined;
  private readonly queue: Pending[] = [];
  private current: Pending | undefined;
  private waiting: ServerResponse | undefined;
  private initError: { errorType: string; body: string } | undefined;
  /** Each call of `/next`: how often the runtime asked for work. */
  nextCalls = 0;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly options: RuntimeApiOptions = {}) {}

  /** Listens on 127.0.0.1 (an ephemeral port unless given); resolves to `host:port` for AWS_LAMBDA_RUNTIME_API. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    // no Nagle delay on the answers: every exchange is one small request and one small response
    const server = createServer({ noDelay: true }, (req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return `${host}:${address.port}`;
  }

  /** Resolves when the runtime asks for an event and none is in flight: its init is done (at once when it waits already). */
  runtimeReady(): Promise<void> {
    if (this.waiting !== undefined && this.current === undefined) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The error the runtime reported from its init, if it did. */
  get initFailure(): { errorType: string; body: string } | undefined {
    return this.initError;
  }

  /**
   * Queues one event and resolves when the function answers, fails, runs out of time, or the
   * process dies (`crash()`). Invocations run one at a time, in the order queued.
   */
  invoke(event: string, timeoutMs: number): Promise<InvocationResult> {
    return new Promise((resolve) => {
      this.queue.push({ requestId: randomUUID(), event, timeoutMs, settle: resolve, started: 0, timer: undefined });
      this.dispatch();
    });
  }

  /** The runtime process ended: the invocation in flight, and those queued, end as crashes. */
  crash(reason: string): void {
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    for (const p of all) this.finish(p, 'crash', reason);
  }

  async close(): Promise<void> {
    this.crash('the runtime API server stopped');
    this.waiting?.destroy();
    this.waiting = undefined;
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private dispatch(): void {
    if (this.current !== undefined || this.waiting === undefined) return;
    const p = this.queue.shift();
    if (p === undefined) return;
    const res = this.waiting;
    this.waiting = undefined;
    this.current = p;
    const started = Date.now();
    p.started = performance.now();
    p.timer = setTimeout(() => {
      if (this.current === p) {
        this.current = undefined;
        this.finish(p, 'timeout', `Task timed out after ${(p.timeoutMs / 1000).toFixed(2)} seconds`);
      }
    }, p.timeoutMs);
    // one write with a Content-Length: no chunked framing for the runtime's client to undo
    const body = Buffer.from(p.event, 'utf8');
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': body.length,
      'Lambda-Runtime-Aws-Request-Id': p.requestId,
      'Lambda-Runtime-Deadline-Ms': String(started + p.timeoutMs),
      'Lambda-Runtime-Invoked-Function-Arn':
        this.options.functionArn ?? 'arn:aws:lambda:us-east-1:000000000000:function:ni-config-trace',
      'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(started / 1000).toString(16)}-${p.requestId.replaceAll('-', '').slice(0, 24)};Parent=0000000000000000;Sampled=0`,
    });
    res.end(body);
  }

  private finish(p: Pending, status: InvocationStatus, body: string, errorType?: string): void {
    if (p.timer) clearTimeout(p.timer);
    const durationMs = p.started === 0 ? 0 : Math.round((performance.now() - p.started) * 100) / 100;
    p.settle({
      requestId: p.requestId,
      status,
      durationMs,
      body,
      ...(errorType !== undefined ? { errorType } : {}),
      ...(status === 'crash' || status === 'timeout' ? { reason: body } : { answer: body }),
    });
    this.dispatch();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
      this.nextCalls++;
      if (this.waiting) this.waiting.destroy(); // one runtime, one poll at a time
      this.waiting = res;
      res.on('close', () => {
        if (this.waiting === res) this.waiting = undefined;
      });
      if (this.current === undefined) for (const ready of this.readyWaiters.splice(0)) ready();
      this.dispatch();
      return;
    }
    const read = await readBody(req);
    // a connection reset mid-request: the runtime never finished saying anything, so the
    // invocation stays open (it may retry; a runtime that died is seen by its exit)
    if (read === 'aborted') return;
    if (read === 'too-large')
      return reply(res, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${MAX_PAYLOAD} bytes).`,
        errorType: 'RequestEntityTooLarge',
      });
    const body = read;
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      this.initError = {
        errorType: String(req.headers['lambda-runtime-function-error-type'] ?? 'Runtime.Unknown'),
        body,
      };
      reply(res, 202, { status: 'OK' });
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && m) {
      const p = this.current;
      if (p === undefined || p.requestId !== decodeURIComponent(m[1]!)) {
        reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      this.current = undefined;
      reply(res, 202, { status: 'OK' });
      if (m[2] === 'response') this.finish(p, 'success', body);
      else
        this.finish(
          p,
          'function-error',
          body,
          String(req.headers['lambda-runtime-function-error-type'] ?? errorTypeOf(body) ?? 'Runtime.Unknown'),
        );
      return;
    }
    reply(res, 404, { errorMessage: `no such Runtime API path: ${req.method ?? ''} ${url}`, errorType: 'NotFound' });
  }
}

function errorTypeOf(body: string): string | undefined {
  try {
    const v = JSON.parse(body) as { errorType?: unknown };
    return typeof v.errorType === 'string' ? v.errorType : undefined;
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request body as text, or why there is none: larger than Lambda allows, or cut off. */
function readBody(req: IncomingMessage): Promise<string | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let ended = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_PAYLOAD + 100) over = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      ended = true;
      resolve(over ? 'too-large' : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', () => resolve('aborted'));
    req.on('close', () => {
      if (!ended) resolve('aborted');
    });
  });
}
