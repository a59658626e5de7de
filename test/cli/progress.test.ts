/** The one line per event that trace and invoke print while they run. */
import { describe, expect, it } from 'vitest';
import { answerStart, eventLine } from '../../src/cli/context.js';
import { classifyRieAnswer } from '../../src/trace/rie.js';
import type { InvocationResult } from '../../src/trace/runtime-api.js';

const ok: InvocationResult = {
  requestId: 'r1',
  status: 'success',
  durationMs: 12,
  body: '{"ok":true}',
  answer: '{"ok":true}',
};
const answered = (answer: string): InvocationResult => ({ ...ok, body: answer, answer });

describe('the progress line of an event', () => {
  it('says the agent has not written yet instead of counting zero writes', () => {
    const line = eventLine({ kind: 'event', done: 1, total: 3, name: 'events/a.json', result: ok, agentWrites: 0 });
    expect(line).toBe('[1/3] events/a.json: success (12 ms) {"ok":true} · waiting for the first agent write\n');
  });

  it('counts the writes once there are some, and says nothing of them when they are not counted', () => {
    expect(eventLine({ kind: 'event', done: 2, total: 3, name: 'b', result: ok, agentWrites: 2 })).toBe(
      '[2/3] b: success (12 ms) {"ok":true} · agent writes seen: 2\n',
    );
    expect(eventLine({ kind: 'event', done: 3, total: 3, name: 'c', result: ok, agentWrites: undefined })).toBe(
      '[3/3] c: success (12 ms) {"ok":true}\n',
    );
  });

  it('gives the start of an error on one printable line', () => {
    const line = eventLine({
      kind: 'event',
      done: 1,
      total: 1,
      name: 'e',
      result: { ...answered('line 1\nline 2\u001b[31m'), status: 'function-error', errorType: 'Boom' },
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

  it("shows the function's answer after the status, whole when it is one short line", () => {
    const line = eventLine({
      kind: 'event',
      done: 1,
      total: 1,
      name: 'a',
      result: answered('{"message":"Hello, Ada"}'),
      agentWrites: undefined,
    });
    expect(line).toBe('[1/1] a: success (12 ms) {"message":"Hello, Ada"}\n');
  });

  it('cuts a long answer to the first 200 characters of its first line and gives its size', () => {
    const long = `{"pad":"${'x'.repeat(1000)}"}`;
    expect(eventLine({ kind: 'event', done: 1, total: 1, name: 'a', result: answered(long), agentWrites: 3 })).toBe(
      `[1/1] a: success (12 ms) ${long.slice(0, 200)}… (1010 bytes) · agent writes seen: 3\n`,
    );
    const lines = '{\n  "a": 1,\n  "é": 2\n}\n';
    expect(
      eventLine({ kind: 'event', done: 1, total: 1, name: 'a', result: answered(lines), agentWrites: undefined }),
    ).toBe('[1/1] a: success (12 ms) {… (24 bytes)\n');
    // never half a character: the cut falls before a surrogate pair, not inside it
    const emoji = `${'x'.repeat(199)}\u{1F600}${'y'.repeat(10)}`;
    expect(answerStart(emoji)).toBe(`${'x'.repeat(199)}… (213 bytes)`);
    expect(answerStart('')).toBe('(empty answer)');
    expect(answerStart('\u001b[31mred')).toBe('\\u001b[31mred');
  });

  it("shows a function error's answer after its type, cut the same way", () => {
    const body = `{"errorMessage":"${'m'.repeat(300)}","errorType":"Boom"}`;
    const line = eventLine({
      kind: 'event',
      done: 1,
      total: 1,
      name: 'e',
      result: { ...answered(body), status: 'function-error', errorType: 'Boom' },
      agentWrites: undefined,
    });
    expect(line).toBe(`[1/1] e: function-error (12 ms) Boom ${body.slice(0, 200)}… (${body.length} bytes)\n`);
  });
});
