/**
 * ni-config's own evidence file (`ni-config-evidence.json`, written beside a trace's output):
 * every entry the agent recorded with the call paths of its lookups, so that a later prune,
 * explain or diff decides as the trace did. Paths are kept short — the frames that decide
 * (namespace loading) and the innermost ones, which name the caller — and each distinct path
 * once. Also reads the agent's own evidence files, whatever the form: traces.json (one caller
 * per lookup) and partial-config-with-origins.json (call trees).
 */
import { finding, pointerAppend, type Finding } from '../../model/findings.js';
import { compareStrings } from '../../model/model.js';
import { loadStart, loadingFrame } from './clojure.js';
import { partialConfigEvidence } from './origins.js';
import { traceLookupEvidence } from './traces.js';
import {
  EVIDENCE_SECTIONS,
  EvidenceBuilder,
  splitEvidenceKey,
  type CallPath,
  type EvidenceSection,
  type Frame,
  type LookupEvidence,
} from './types.js';

export const EVIDENCE_FILE = 'ni-config-evidence.json';
const SCHEMA_VERSION = 1;
/** Frames kept at the inner end of a path: the lookup and the code that made it. */
const INNER_FRAMES = 6;

/** Where an entry was first needed (trace --attribute). */
export interface Attribution {
  readonly event: string;
  readonly run: string;
}

/** The file's JSON. */
export interface EvidenceFileJson {
  readonly schemaVersion: 1;
  readonly precision: LookupEvidence['precision'];
  /** What the evidence was read from, for people. */
  readonly source: string;
  /** Frames as `class#method`, shared by every path. */
  readonly frames: readonly string[];
  readonly entries: readonly {
    readonly section: EvidenceSection;
    readonly name: string;
    /** Frame indexes, outermost first. */
    readonly paths: readonly (readonly number[])[];
    readonly firstNeededBy?: Attribution;
  }[];
}

/**
 * A path cut to what decides and what names the caller: every namespace-loading frame, the frame
 * that says whether loading ran at build or run time, and the innermost frames. The cut path
 * gets the same verdict as the whole one.
 */
function shorten(path: CallPath, precision: LookupEvidence['precision']): CallPath {
  if (precision === 'caller' || path.length <= INNER_FRAMES) return path;
  const inner = path.length - INNER_FRAMES;
  const decidedBy = loadStart(path)?.decidedBy;
  return path.filter((f, i) => i >= inner || i === decidedBy || loadingFrame(f));
}

const frameText = (f: Frame): string => `${f.className}#${f.method}`;

/** The evidence as the file holds it: sorted, each shortened path once. */
export function evidenceFileJson(
  evidence: LookupEvidence,
  source: string,
  attributions: ReadonlyMap<string, Attribution> = new Map(),
): EvidenceFileJson {
  const frames = new Map<string, number>();
  // entries with lookups, and those only attributed to an event (a run without call trees)
  const keys = new Map<string, readonly CallPath[]>(evidence.paths);
  for (const key of attributions.keys()) if (!keys.has(key)) keys.set(key, []);
  const entries = [...keys]
    .map(([key, paths]) => {
      const { section, name } = splitEvidenceKey(key);
      const short = new Map<string, CallPath>();
      for (const p of paths) {
        const s = shorten(p, evidence.precision);
        short.set(s.map(frameText).join('\n'), s);
      }
      const attribution = attributions.get(key);
      return { section, name, paths: [...short.keys()].sort(compareStrings).map((k) => short.get(k)!), attribution };
    })
    .sort((a, b) => compareStrings(a.section, b.section) || compareStrings(a.name, b.name));
  // frame indexes in the order they are first met in the sorted entries: the same bytes for the same evidence
  const index = (f: Frame): number => {
    const t = frameText(f);
    let i = frames.get(t);
    if (i === undefined) frames.set(t, (i = frames.size));
    return i;
  };
  const out = entries.map((e) => ({
    section: e.section,
    name: e.name,
    paths: e.paths.map((p) => p.map(index)),
    ...(e.attribution ? { firstNeededBy: e.attribution } : {}),
  }));
  return {
    schemaVersion: SCHEMA_VERSION,
    precision: evidence.precision,
    source,
    frames: [...frames.keys()],
    entries: out,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads ni-config's evidence file back. */
export function readEvidenceFile(
  value: unknown,
  file: string,
): { evidence: LookupEvidence; attributions: Map<string, Attribution>; findings: Finding[] } {
  const findings: Finding[] = [];
  const attributions = new Map<string, Attribution>();
  const bad = (pointer: string, message: string): void => void findings.push(finding('schema', file, pointer, message));
  const doc = isObject(value) ? value : {};
  const precision = doc.precision === 'caller' ? 'caller' : 'tree';
  const builder = new EvidenceBuilder(precision);
  if (doc.schemaVersion !== SCHEMA_VERSION)
    bad('/schemaVersion', `expected schemaVersion ${SCHEMA_VERSION}, found ${JSON.stringify(doc.schemaVersion)}`);
  const frames = Array.isArray(doc.frames) ? doc.frames : [];
  const parsedFrames: (Frame | undefined)[] = frames.map((t, i) => {
    const m = typeof t === 'string' ? /^(.*)#(.*)$/.exec(t) : null;
    if (m) return builder.frame(m[1]!, m[2]!);
    bad(pointerAppend('/frames', i), 'expected a frame "class#method"');
    return undefined;
  });
  const entries = Array.isArray(doc.entries) ? doc.entries : [];
  entries.forEach((e, i) => {
    const at = pointerAppend('/entries', i);
    if (!isObject(e) || typeof e.name !== 'string' || !EVIDENCE_SECTIONS.includes(e.section as EvidenceSection)) {
      bad(at, `expected {section: one of ${EVIDENCE_SECTIONS.join(', ')}, name, paths}`);
      return;
    }
    const section = e.section as EvidenceSection;
    (Array.isArray(e.paths) ? e.paths : []).forEach((p, j) => {
      const path = Array.isArray(p) ? p.map((n) => (typeof n === 'number' ? parsedFrames[n] : undefined)) : [undefined];
      if (path.some((f) => f === undefined))
        bad(pointerAppend(pointerAppend(at, 'paths'), j), 'expected frame indexes into /frames');
      else builder.add(section, e.name as string, path as Frame[]);
    });
    const a = e.firstNeededBy;
    if (isObject(a) && typeof a.event === 'string' && typeof a.run === 'string')
      attributions.set(`${section}\u0000${e.name as string}`, { event: a.event, run: a.run });
  });
  return { evidence: builder.build(), attributions, findings };
}

/** The evidence in a file of any form: ni-config's own, the agent's traces.json, or its partial-config-with-origins.json. */
export function readAnyEvidence(
  value: unknown,
  file: string,
): { evidence: LookupEvidence; attributions: Map<string, Attribution>; findings: Finding[] } {
  if (Array.isArray(value)) return { ...traceLookupEvidence(value, file), attributions: new Map() };
  if (isObject(value) && 'configuration-with-origins' in value) {
    const r = partialConfigEvidence(value, file);
    return { evidence: r.evidence, attributions: new Map(), findings: r.findings };
  }
  if (isObject(value) && 'schemaVersion' in value) return readEvidenceFile(value, file);
  return {
    evidence: new EvidenceBuilder('tree').build(),
    attributions: new Map(),
    findings: [
      finding(
        'unknown-file',
        file,
        '',
        `not lookup evidence: expected ${EVIDENCE_FILE}, the agent's traces.json (trace-output) or partial-config-with-origins.json`,
      ),
    ],
  };
}

/** Merges the evidence of several runs of one kind (paths of the same entry joined); undefined when there is none. */
export function mergeEvidence(all: readonly LookupEvidence[]): LookupEvidence | undefined {
  if (all.length === 0) return undefined;
  if (all.length === 1) return all[0];
  const precision = all[0]!.precision;
  if (all.some((e) => e.precision !== precision)) throw new Error('evidence of different precision cannot be merged');
  const builder = new EvidenceBuilder(precision);
  for (const e of all)
    for (const [key, paths] of e.paths) {
      const { section, name } = splitEvidenceKey(key);
      for (const p of paths)
        builder.add(
          section,
          name,
          p.map((f) => builder.frame(f.className, f.method)),
        );
    }
  return builder.build();
}
