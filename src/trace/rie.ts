/**
 * A client of the Lambda Runtime Interface Emulator (RIE), as it really behaves: no readiness
 * endpoint (its HTTP server answers GET / with 404 once it listens; a TCP connect alone can
 * succeed earlier through port forwarding), one invocation at a time (concurrent invokes crash
 * it), function errors and timeouts answered with HTTP 200, a runtime crash with 502.
 */
import type { InvocationResult, InvocationStatus } from './runtime-api.js';

export const INVOKE_PATH = '/2015-03-31/functions/function/invocations';

/** Polls GET / until the emulator's HTTP server answers (any HTTP status counts), bounded. */
export async function waitForRie(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      return;
    } catch (e) {
      last = (e as Error).message;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the emulator at ${base} did not answer within ${Math.round(timeoutMs / 1000)} s (${last})`);
}

/** What an emulator answer means; RIE has no X-Amz-Function-Error header. */
export function classifyRieAnswer(status: number, body: string): { status: InvocationStatus; errorType?: string } {
  if (status === 502 || status >= 500) return { status: 'crash' };
  if (/^Task timed out after [\d.]+ seconds$/.test(body.trim())) return { status: 'timeout' };
  try {
    const v = JSON.parse(body) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && ('errorMessage' in v || 'errorType' in v)) {
      const errorType = (v as { errorType?: unknown }).errorType;
      return typeof errorType === 'string' ? { status: 'function-error', errorType } : { status: 'function-error' };
    }
  } catch {
    // a response that is not JSON is still a response
  }
  return status === 200 ? { status: 'success' } : { status: 'crash' };
}

/** Sends one event and classifies the answer; callers send one at a time. */
export async function invokeRie(base: string, event: string, timeoutMs: number): Promise<InvocationResult> {
  const started = performance.now();
  try {
    const r = await fetch(`${base}${INVOKE_PATH}`, {
      method: 'POST',
      body: event,
      headers: { 'Content-Type': 'application/json' },
      signal: AbortSignal.timeout(timeoutMs + 5000),
    });
    const body = await r.text();
    const c = classifyRieAnswer(r.status, body);
    return {
      requestId: r.headers.get('x-amzn-requestid') ?? '',
      status: c.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      body,
      ...(c.errorType ? { errorType: c.errorType } : {}),
    };
  } catch (e) {
    // a connection reset mid-response: the emulator (or its container) went down
    return {
      requestId: '',
      status: 'crash',
      durationMs: Math.round(performance.now() - started),
      body: (e as Error).message,
    };
  }
}
