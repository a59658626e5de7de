/** The one line per event that trace and invoke print while they run. */
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../src/cli/context.js';
import { classifyRieAnswer } from '../../src/trace/rie.js';
import type { InvocationResult } from '../../src/trace/runtime-api.js';

const ok: InvocationResult = { requestId: 'r1', status: 'success', durationMs: 12, body: '{"ok":true}' };

describe('the progress line of an event', () => {
  it('says the agent has not written yet instead of counting zero writes', () => {
    const line = eventLine({ kind: 'event', done: 1, total: 3, name: 'events/a.json', result: ok, agentWrites: 0 });
    expect(line).toBe('[1/3] events/a.json: success (12 ms) · waiting for the first agent write\n');
  });

  it('counts the writes once there are some, and says nothing of them when they are not counted', () => {
    expect(eventLine({ kind: 'event', done: 2, total: 3, name: 'b', result: ok, agentWrites: 2 })).toBe(
      '[2/3] b: success (12 ms) · agent writes seen: 2\n',
    );
    expect(eventLine({ kind: 'event', done: 3, total: 3, name: 'c', result: ok, agentWrites: undefined })).toBe(
      '[3/3] c: success (12 ms)\n',
    );
  });

  it('gives the start of an error on one printable line', () => {
    const line = eventLine({
      kind: 'event',
      done: 1,
      total: 1,
      name: 'e',
      result: { ...ok, status: 'function-error', errorType: 'Boom', body: 'line 1\nline 2\u001b[31m' },
      agentWrites: undefined,
    });
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toMatch(/^\[1\/1\] e: function-error \(12 ms\) Boom line 1/);
    expect(line).not.toContain('\u001b');
  });

  it("says what happened when the emulator answers a crash with an empty body, in the report's words", () => {
    // what RieClient makes of an empty 502: the body is the emulator's (empty), the reason its meaning
    const c = classifyRieAnswer(502, '', { answered: true });
    const crash: InvocationResult = { requestId: '', status: 'crash', durationMs: 40, body: '', reason: c.reason! };
    const line = eventLine({ kind: 'event', done: 2, total: 2, name: 'b', result: crash, agentWrites: undefined });
    expect(line).toBe(`[2/2] b: crash (40 ms) ${c.reason}\n`);
    expect(line).toContain(
      'the emulator answered 502 with no body: the runtime failed before it asked for its first event',
    );
  });

  it("gives an emulator's timeout and exit in its sentence, not the raw answer", () => {
    const exit = classifyRieAnswer(
      502,
      '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: 1 Error: exit status 3"}',
    );
    const body = '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: 1 Error: exit status 3"}';
    const crash: InvocationResult = {
      requestId: '',
      status: 'crash',
      durationMs: 5,
      body,
      errorType: exit.errorType!,
      reason: exit.reason!,
    };
    expect(eventLine({ kind: 'event', done: 1, total: 1, name: 'c', result: crash, agentWrites: undefined })).toBe(
      '[1/1] c: crash (5 ms) Runtime.ExitError the runtime exited: exit status 3\n',
    );
    const late = classifyRieAnswer(200, 'Task timed out after 1.00 seconds');
    const timeout: InvocationResult = {
      requestId: '',
      status: 'timeout',
      durationMs: 1000,
      body: 'Task timed out after 1.00 seconds',
      reason: late.reason!,
    };
    expect(
      eventLine({ kind: 'event', done: 1, total: 1, name: 't', result: timeout, agentWrites: undefined }),
    ).toContain(
      'timeout (1000 ms) Task timed out after 1.00 seconds: the emulator stopped the runtime at AWS_LAMBDA_FUNCTION_TIMEOUT',
    );
  });
});
