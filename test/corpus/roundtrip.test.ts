/**
 * Acceptance on the whole shared corpus: every file loads, every file round-trips, and the
 * legacy ↔ unified conversions change exactly what the notes say they change.
 */
import { expect, it } from 'vitest';
import { emitLegacy, emitUnified, toJsonText } from '../../src/model/emit/index.js';
import { FILE_KINDS, kindOfFileName } from '../../src/model/kinds.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUP_NAMES,
  type ConfigSet,
  type TypeEntry,
  type TypeFlag,
} from '../../src/model/model.js';
import { schemaCheck } from '../../src/ops/schema.js';
import { loadSources } from '../../src/ops/load.js';
import { canonical, corpusFiles, describeCorpus, loadFile, roundTripLegacy, roundTripUnified } from '../helpers.js';

const STRUCTURAL = new Set([
  'json-syntax',
  'json-bom',
  'json-comment',
  'wrong-type',
  'missing-key',
  'unknown-file',
  'schema',
  'unreadable',
]);
const files = corpusFiles();
const legacy = files.filter((f) => FILE_KINDS[f.kind].format === 'legacy');
const unified = files.filter((f) => f.kind === 'unified');

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify(la[i])} vs ${JSON.stringify(lb[i])}`;
  }
  return 'equal';
}

/** What reachability-metadata.json keeps of a type entry: accessed members and the flags it has keys for. */
function keptInUnified(t: TypeEntry, forJni: boolean): TypeEntry {
  const kept: TypeFlag[] = ['allDeclaredFields', 'allPublicFields', 'unsafeAllocated'];
  const groups = { ...t.groups };
  for (const g of MEMBER_GROUP_NAMES) if (groups[g] !== Access.Accessed) groups[g] = Access.None;
  return {
    ...t,
    flags: new Set([...t.flags].filter((f) => kept.includes(f))),
    groups,
    // all-overload methods go to a legacy reflect-config.json side file: reflection only
    methods: t.methods.filter((m) => m.access === Access.Accessed && !(forJni && m.params === null)),
    fields: t.fields.map((f) => ({ name: f.name, allowWrite: false, allowUnsafeAccess: false })),
  };
}

/**
 * The documented effect of writing a set as reachability-metadata.json and reading it back:
 * implied parts dropped, one entry per type for reflection and JNI (so each widens to the
 * other), Everything else unchanged.
 */
function expectedAfterUnified(s: ConfigSet): ConfigSet {
  const b = new ConfigBuilder();
  const key = (t: { condition: string; type: TypeEntry['type'] }): string =>
    `${t.condition}\u0000${JSON.stringify(t.type)}`;
  const jniKeys = new Set(s.jni.map(key));
  for (const t of s.reflection) {
    b.addType('reflection', keptInUnified(t, false));
    if (jniKeys.has(key(t))) b.addType('jni', keptInUnified(t, true));
  }
  for (const t of s.jni) {
    b.addType('jni', keptInUnified(t, true));
    b.addType('reflection', keptInUnified(t, false));
  }
  for (const e of s.serialization) {
    b.addSerialization(e);
  }
  const rest = new ConfigBuilder().addSet({ ...s, reflection: [], jni: [], serialization: [] }).build();
  return b.addSet(rest).build();
}

describeCorpus('the shared corpus', () => {
  it('holds the expected files', () => {
    expect(files.length).toBeGreaterThan(2000);
    expect(new Set(files.map((f) => f.kind))).toEqual(
      new Set(['reflect', 'jni', 'resource', 'proxy', 'serialization', 'predefined', 'unified']),
    );
  });

  it('loads every file without a structural error', () => {
    const failures: string[] = [];
    for (const f of files) {
      const { file } = loadFile(f.path, f.kind);
      for (const finding of file.findings)
        if (STRUCTURAL.has(finding.code)) failures.push(`${f.rel}: ${finding.code} ${finding.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('round-trips every legacy file: parse → emit → parse is equal', () => {
    const failures: string[] = [];
    for (const f of legacy) {
      const { set } = loadFile(f.path, f.kind);
      const again = roundTripLegacy(set);
      const a = canonical(set);
      const b = canonical(again);
      if (a !== b) failures.push(`${f.rel}: ${firstDifference(a, b)}`);
    }
    expect(failures).toEqual([]);
  });

  it('round-trips every unified file: parse → emit → parse is equal, and emitting twice is byte-identical', () => {
    const failures: string[] = [];
    for (const f of unified) {
      const { set } = loadFile(f.path, f.kind);
      const again = roundTripUnified(set);
      const a = canonical(set);
      const b = canonical(again);
      if (a !== b) failures.push(`${f.rel}: ${firstDifference(a, b)}`);
      const t1 = [...emitUnified(set).files.values()].map(toJsonText).join('');
      const t2 = [...emitUnified(again).files.values()].map(toJsonText).join('');
      if (t1 !== t2) failures.push(`${f.rel}: unified emission differs after a round trip: ${firstDifference(t1, t2)}`);
    }
    expect(failures).toEqual([]);
  });

  it('legacy → unified → legacy changes only what the conversion notes name', () => {
    const failures: string[] = [];
    let noted = 0;
    for (const f of legacy) {
      const { set } = loadFile(f.path, f.kind);
      const emitted = emitUnified(set);
      noted += emitted.notes.length;
      const after = roundTripLegacy(roundTripUnified(set));
      const a = canonical(expectedAfterUnified(set));
      const b = canonical(after);
      if (a !== b) failures.push(`${f.rel}: ${firstDifference(a, b)}`);
      // A change must come with a note: when the set is not equal to its round trip, notes exist.
      if (canonical(set) !== b && emitted.notes.length === 0) failures.push(`${f.rel}: changed without a note`);
    }
    expect(failures).toEqual([]);
    expect(noted).toBeGreaterThan(0);
  });

  it('unified → legacy → unified keeps everything but comments and resource reasons, which are noted', () => {
    const failures: string[] = [];
    for (const f of unified) {
      const { set } = loadFile(f.path, f.kind);
      const emitted = emitLegacy(set);
      const after = roundTripUnified(roundTripLegacy(set));
      const strip = (s: ConfigSet): ConfigSet => ({
        ...s,
        comments: [],
        resources: s.resources.map((r) => ({ ...r, reasons: [] })),
        bundles: s.bundles.map((r) => ({ ...r, reasons: [] })),
      });
      const a = canonical(strip(set));
      const b = canonical(strip(after));
      if (a !== b) failures.push(`${f.rel}: ${firstDifference(a, b)}`);
      if (set.comments.length > 0 && !emitted.notes.some((n) => n.code === 'dropped-comments'))
        failures.push(`${f.rel}: comments dropped without a note`);
    }
    expect(failures).toEqual([]);
  });

  it('writes files that satisfy the schemas (no error, no ignored key) for every corpus file', async () => {
    const schemaFindings = await schemaCheck();
    const failures: string[] = [];
    for (const f of files) {
      const { set } = loadFile(f.path, f.kind);
      for (const emitted of [emitLegacy(set), emitUnified(set)]) {
        const sources = [...emitted.files].map(([name, value]) => ({
          file: name,
          text: toJsonText(value),
          kind: kindOfFileName(name),
        }));
        const r = loadSources(sources, { schema: schemaFindings });
        for (const x of r.findings) {
          if (
            x.code === 'schema' ||
            x.code === 'ignored-key' ||
            x.code === 'missing-key' ||
            x.code === 'wrong-type' ||
            x.code === 'wrong-condition-key'
          ) {
            failures.push(`${f.rel} → ${x.file}${x.jsonPointer}: ${x.code} ${x.message}`);
          }
        }
      }
      if (failures.length > 20) break;
    }
    expect(failures).toEqual([]);
  });
});
