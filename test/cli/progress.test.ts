/** The one line per event that trace and invoke print while they run. */
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../src/cli/context.js';
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
});
