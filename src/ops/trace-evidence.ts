/**
 * Reads the agent's `trace-output` file (a JSON array of events) into who looked up which
 * class: the evidence that lets a prune remove name-only entries only the Clojure runtime named.
 */
import { finding, pointerAppend, type Finding } from '../model/findings.js';
import { normaliseTypeName } from '../model/names.js';
import type { TraceEvidence } from './prune/engine.js';

/** Functions whose first argument is the class looked up by name. */
const BY_NAME = new Set(['forName', 'loadClass', 'findClass', 'FindClass']);

/** Who looked up which class, from the agent's trace-output file. */
export function traceEvidence(events: unknown, file: string): { evidence: TraceEvidence; findings: Finding[] } {
  const findings: Finding[] = [];
  const callers = new Map<string, Set<string>>();
  if (!Array.isArray(events)) {
    findings.push(
      finding(
        'wrong-type',
        file,
        '',
        `expected the agent's trace (an array of events), found ${events === null ? 'null' : typeof events}`,
      ),
    );
    return { evidence: { callers }, findings };
  }
  events.forEach((e: unknown, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      findings.push(finding('wrong-type', file, pointerAppend('', i), 'expected a trace event (an object)'));
      return;
    }
    const ev = e as Record<string, unknown>;
    if (ev.tracer !== 'reflect' && ev.tracer !== 'jni') return;
    const fn = typeof ev.function === 'string' ? ev.function : '';
    const args = Array.isArray(ev.args) ? ev.args : [];
    const raw = BY_NAME.has(fn) ? args[0] : ev.class;
    const caller = ev.caller_class;
    if (typeof raw !== 'string' || typeof caller !== 'string') return;
    const name = normaliseTypeName(raw.includes('/') && !raw.includes('/0x') ? raw.replaceAll('/', '.') : raw);
    let set = callers.get(name);
    if (set === undefined) callers.set(name, (set = new Set()));
    set.add(caller);
  });
  return { evidence: { callers }, findings };
}
