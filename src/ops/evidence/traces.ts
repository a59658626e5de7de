/**
 * Lookup evidence from the agent's `trace-output` file (traces.json): one event per intercepted
 * call, naming only the calling class. Each event the agent would have turned into config gives
 * a two-frame path: the caller, then the intercepted call; see docs/evidence.md for how far one
 * caller goes.
 */
import { finding, pointerAppend, type Finding } from '../../model/findings.js';
import { normaliseTypeName } from '../../model/names.js';
import { builtinCallerIncluded } from './caller-filter.js';
import { EvidenceBuilder, type CallPath, type EvidenceSection, type LookupEvidence } from './types.js';

/** Functions whose first argument is the class looked up by name. */
const BY_NAME = new Set(['forName', 'loadClass', 'findClass', 'findSystemClass', 'FindClass']);
const RESOURCE_FIRST = new Set([
  'getResource',
  'getResourceAsStream',
  'getSystemResource',
  'getSystemResourceAsStream',
  'getResources',
  'getSystemResources',
  'getEntry',
]);
/** Resource lookups of GraalVM for JDK 23+: args are (module, name). */
const RESOURCE_SECOND = new Set(['findResource', 'findResourceAsStream']);
/** The bundle's base name: the argument at this index. */
const BUNDLE_ARG: Readonly<Record<string, number>> = {
  getBundleImplJDK8OrEarlier: 0,
  getBundleImplJDK11OrLater: 2,
  getBundleImpl: 2,
};

function className(raw: string): string {
  // JNI names are internal (java/lang/String); hidden classes keep their /0x suffix
  return normaliseTypeName(raw.includes('/') && !raw.includes('/0x') ? raw.replaceAll('/', '.') : raw);
}

/**
 * Reads traces.json (already parsed). As the agent's trace processor: events before the VM's
 * `live` phase and after `dead` are ignored, and so are failed lookups (`result` false) and
 * reflection or JNI lookups whose caller the built-in caller filter excludes (JDK code).
 * Resource lookups are not filtered by caller, as the agent does not filter them.
 */
export function traceLookupEvidence(events: unknown, file: string): { evidence: LookupEvidence; findings: Finding[] } {
  const findings: Finding[] = [];
  const builder = new EvidenceBuilder('caller');
  if (!Array.isArray(events)) {
    const what = events === null ? 'null' : Array.isArray(events) ? 'an array' : `a ${typeof events}`;
    findings.push(finding('wrong-type', file, '', `expected the agent's trace (an array of events), found ${what}`));
    return { evidence: builder.build(), findings };
  }
  let live = false;
  events.forEach((e: unknown, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      findings.push(finding('wrong-type', file, pointerAppend('', i), 'expected a trace event (an object)'));
      return;
    }
    const ev = e as Record<string, unknown>;
    if (ev.tracer === 'meta') {
      if (ev.event === 'phase_change') live = ev.phase === 'live';
      return;
    }
    if (ev.tracer !== 'reflect' && ev.tracer !== 'jni') return;
    if (!live || ev.result === false || ev.result === 'false') return;
    const fn = typeof ev.function === 'string' ? ev.function : '';
    const args = Array.isArray(ev.args) ? (ev.args as unknown[]) : [];
    const caller = typeof ev.caller_class === 'string' ? ev.caller_class : undefined;
    // the caller, then the intercepted call (as a call tree ends): what was asked decides which part of an entry it explains
    const path: CallPath =
      caller === undefined
        ? []
        : [builder.frame(caller, ''), builder.frame(typeof ev.class === 'string' ? ev.class : '', fn)];
    const add = (section: EvidenceSection, name: unknown): void => {
      if (typeof name === 'string' && name !== '')
        builder.add(section, section === 'resources' || section === 'bundles' ? name : className(name), path);
    };
    if (ev.tracer === 'reflect' && (RESOURCE_FIRST.has(fn) || RESOURCE_SECOND.has(fn))) {
      add('resources', args[RESOURCE_FIRST.has(fn) ? 0 : 1]);
      return;
    }
    if (caller !== undefined && !builtinCallerIncluded(caller)) return;
    if (ev.tracer === 'jni') {
      add('jni', BY_NAME.has(fn) ? args[0] : ev.class);
      if (typeof ev.declaring_class === 'string' && ev.declaring_class !== ev.class) add('jni', ev.declaring_class);
      return;
    }
    if (fn in BUNDLE_ARG) return add('bundles', args[BUNDLE_ARG[fn]!]);
    if (fn === 'getProxyClass' || fn === 'newProxyInstance' || fn === 'newMethodHandleProxyInstance') {
      const list = args[fn === 'newMethodHandleProxyInstance' ? 0 : 1];
      if (Array.isArray(list) && list.length > 0 && list.every((n) => typeof n === 'string')) {
        const names = (list as string[]).map(className);
        if (fn === 'newMethodHandleProxyInstance') names.push('sun.invoke.WrapperInstance');
        builder.add('proxies', names.join(','), path);
      }
      return;
    }
    if (BY_NAME.has(fn)) return add('reflection', args[0]);
    if (fn === 'methodTypeDescriptor') {
      if (Array.isArray(args[0])) for (const t of args[0] as unknown[]) add('reflection', t);
      return;
    }
    if (fn === 'newInstance' && ev.class === 'java.lang.reflect.Array') return add('reflection', args[0]);
    add('reflection', ev.class);
    if (typeof ev.declaring_class === 'string' && ev.declaring_class !== ev.class)
      add('reflection', ev.declaring_class);
  });
  return { evidence: builder.build(), findings };
}
