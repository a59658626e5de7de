/**
 * A client of the Lambda Runtime Interface Emulator (RIE), as it really behaves (lambda-rie.md §1,
 * §8): no readiness endpoint (its HTTP server answers GET / with 404 once it listens; a TCP
 * connect alone can succeed earlier through port forwarding), one invocation at a time
 * (concurrent invokes crash it), function errors and timeouts answered with HTTP 200, failures
 * with 502, and no request id in any answer (`x-amzn-requestid` is never sent: results carry an
 * empty one).
 *
 * node:http, not fetch: behind docker-proxy a connection is accepted and closed before the
 * emulator listens, and fetch hangs on that until its abort, while node:http gets ECONNRESET at
 * once. Every wait here holds a timer, so that the process never runs out of work while it waits.
 */
import { request } from 'node:http';
import type { Invoker } from './drive.js';
import type { InvocationResult, InvocationStatus } from './runtime-api.js';

export const INVOKE_PATH = '/2015-03-31/functions/function/invocations';

/** How long one readiness probe may take before the next is tried. */
const PROBE_MS = 1000;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request on its own connection; rejects on a reset, a refusal, `timeoutMs` or `signal`. */
function call(
  url: string,
  o: { method: string; body?: string; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      reject(reasonOf(o.signal));
      return;
    }
    const req = request(url, {
      method: o.method,
      agent: false,
      headers: o.body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    const onAbort = (): void => void req.destroy(reasonOf(o.signal!));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => {
        done();
        reject(e);
      });
      res.on('aborted', () => {
        done();
        reject(new Error('the connection was reset mid-response (aborted)'));
      });
      res.on('end', () => {
        done();
        if (!res.complete) reject(new Error('the connection was reset mid-response (aborted)'));
        else resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (e) => {
      done();
      reject(e);
    });
    req.end(o.body);
  });
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by {@link waitForRie} when `signal` says the emulator is gone (its container exited). */
export class EmulatorGone extends Error {}

/**
 * Polls GET / until the emulator's HTTP server answers (any HTTP status counts), bounded by
 * `timeoutMs`, each probe by a second. `signal` stops the wait at once (the container exited):
 * then it rejects with an {@link EmulatorGone} carrying the signal's reason.
 */
export async function waitForRie(base: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new EmulatorGone(reasonOf(signal).message);
    try {
      await call(`${base}/`, { method: 'GET', timeoutMs: Math.min(PROBE_MS, deadline - Date.now()), signal });
      return;
    } catch (e) {
      last = (e as Error).message;
      if (signal?.aborted) throw new EmulatorGone(reasonOf(signal).message);
      await delay(100);
    }
  }
  throw new Error(`the emulator at ${base} did not answer within ${Math.round(timeoutMs / 1000)} s (${last})`);
}

/** What an emulator answer means, with what the client has seen before it. */
export interface RieAnswer {
  readonly status: InvocationStatus;
  readonly errorType?: string;
  /** For a failure: what happened, in a sentence. */
  readonly reason?: string;
  /** The answer is the runtime's `/init/error` payload: its init failed. */
  readonly initError?: boolean;
  /** The function itself answered (200, or its own answer inside a 502). */
  readonly answered: boolean;
}

/** What the client has seen of the emulator so far, for telling 502s apart. */
export interface RieHistory {
  /** Some earlier invoke was answered by the function itself. */
  readonly answered: boolean;
  /** The body of the init error seen earlier, if any: the emulator repeats it for every later failure. */
  readonly initErrorBody?: string;
}

function errorShape(body: string): { errorType?: string; errorMessage?: string } | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const o = v as { errorType?: unknown; errorMessage?: unknown };
    if (!('errorMessage' in o) && !('errorType' in o)) return undefined;
    return {
      ...(typeof o.errorType === 'string' ? { errorType: o.errorType } : {}),
      ...(typeof o.errorMessage === 'string' ? { errorMessage: o.errorMessage } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The emulator's own messages start with the request id, which says nothing here. */
const withoutRequestId = (message: string): string => message.replace(/^RequestId: \S+\s+(Error: )?/, '');

/**
 * What an emulator answer means; RIE has no X-Amz-Function-Error header, so the status code and
 * the body's shape are all there is. Its 502s (lambda-rie.md §8; FakeRie.java's header) are, in
 * the order tried: an empty body (the runtime failed before its first `/next` — a crash in its
 * init, or a timeout there — and every later failure answers the same); the emulator's own
 * `Runtime.ExitError` or `Runtime.InvalidEntrypoint`; the init error seen before, repeated; an
 * error-shaped body before the function ever answered, its `/init/error` payload; anything else
 * is the function's own answer, posted before it exited without asking for the next event.
 */
export function classifyRieAnswer(status: number, body: string, seen: RieHistory = { answered: false }): RieAnswer {
  const shape = errorShape(body);
  const type = shape?.errorType !== undefined ? { errorType: shape.errorType } : {};
  if (status === 200) {
    if (/^Task timed out after [\d.]+ seconds$/.test(body.trim()))
      return {
        status: 'timeout',
        reason: `${body.trim()}: the emulator stopped the runtime at AWS_LAMBDA_FUNCTION_TIMEOUT, counted from the invoke (the lazy JVM start included)`,
        answered: false,
      };
    if (shape?.errorType === 'Function.ResponseSizeTooLarge')
      return {
        status: 'function-error',
        ...type,
        reason: `the function's response is larger than Lambda allows (${shape.errorMessage ?? 'over 6 MB'}); the caller got this error instead`,
        answered: true,
      };
    if (shape) return { status: 'function-error', ...type, answered: true };
    return { status: 'success', answered: true };
  }
  if (status === 502) {
    if (body.trim() === '')
      return {
        status: 'crash',
        reason:
          'the emulator answered 502 with no body: the runtime failed before it asked for its first event (a crash or a timeout during its init), and the emulator answers every later failure so too',
        answered: false,
      };
    if (shape?.errorType === 'Runtime.ExitError')
      return {
        status: 'crash',
        ...type,
        reason: `the runtime exited: ${withoutRequestId(shape.errorMessage ?? '')}`.replace(/: $/, ''),
        answered: false,
      };
    if (shape?.errorType === 'Runtime.InvalidEntrypoint')
      return {
        status: 'crash',
        ...type,
        reason: `the emulator could not start the runtime: ${withoutRequestId(shape.errorMessage ?? '')}`,
        answered: false,
      };
    if (seen.initErrorBody !== undefined && body === seen.initErrorBody)
      return {
        status: 'crash',
        ...type,
        reason:
          "the runtime failed again; the emulator answers every failure after a failed init with that init's error, so this one's cause is not told",
        answered: false,
      };
    if (shape && !seen.answered)
      return { status: 'crash', ...type, reason: "the function's init failed", initError: true, answered: false };
    return {
      status: 'crash',
      ...type,
      reason:
        'the function answered, then exited before asking for the next event (the emulator answers 502 with what it posted)',
      answered: true,
    };
  }
  return {
    status: 'crash',
    ...type,
    reason: `the emulator answered ${status}${body.trim() === '' ? '' : `: ${body.trim().slice(0, 200)}`}`,
    answered: false,
  };
}

/**
 * Events through the emulator's invoke endpoint, one at a time, each answer classified with what
 * came before it. `signal` ends an invoke at once when the emulator is gone (its container exited).
 *
 * After ni-config's own `exec kill -TERM` of the JVM, the emulator answers the next invoke with
 * a 502 (the runtime exited while idle) and only the one after starts a new runtime: the JVM is
 * signalled only after the last event, so no event meets that.
 */
export class RieClient implements Invoker {
  private answered = false;
  private initError: { errorType: string; body: string } | undefined;

  constructor(
    readonly base: string,
    private readonly signal?: AbortSignal,
  ) {}

  get initFailure(): { errorType: string; body: string } | undefined {
    return this.initError;
  }

  /** Sends one event and classifies the answer; the caller waits `timeoutMs` and 5 s more for it. */
  async invoke(event: string, timeoutMs: number): Promise<InvocationResult> {
    const started = performance.now();
    const ms = (): number => Math.round((performance.now() - started) * 100) / 100;
    let answer: Answer;
    try {
      answer = await call(`${this.base}${INVOKE_PATH}`, {
        method: 'POST',
        body: event,
        timeoutMs: timeoutMs + 5000,
        signal: this.signal,
      });
    } catch (e) {
      // a connection reset mid-response, no answer in time, or the container gone
      const message = (e as Error).message;
      return { requestId: '', status: 'crash', durationMs: ms(), body: message, reason: message };
    }
    const c = classifyRieAnswer(answer.status, answer.body, {
      answered: this.answered,
      ...(this.initError ? { initErrorBody: this.initError.body } : {}),
    });
    if (c.answered) this.answered = true;
    if (c.initError && this.initError === undefined)
      this.initError = { errorType: c.errorType ?? 'Runtime.Unknown', body: answer.body };
    return {
      requestId: '',
      status: c.status,
      durationMs: ms(),
      body: answer.body,
      ...(c.errorType ? { errorType: c.errorType } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.answered ? { answer: answer.body } : {}),
    };
  }
}

/** Sends one event through the emulator at `base`, with no history (a client of its own). */
export function invokeRie(base: string, event: string, timeoutMs: number): Promise<InvocationResult> {
  return new RieClient(base).invoke(event, timeoutMs);
}
