/**
 * `validate --profile reachability-repo`: the checks the GraalVM Reachability Metadata
 * Repository (github.com/oracle/graalvm-reachability-metadata) runs on a contribution, on a
 * tree shaped like its `metadata/<groupId>/<artifactId>/<version>/` with the artifact's
 * `index.json`. Pure: io/repo-tree.ts finds and reads the tree.
 *
 * What is checked, and where the repository says so:
 * - MC: tests/tck-build-logic/src/main/java/org/graalvm/internal/tck/MetadataFilesCheckerTask.java
 *   (the version that checks reachability-metadata.json against
 *   metadata/schemas/reachability-metadata-schema-v1.2.0.json), task `checkMetadataFiles`:
 *   only reachability-metadata.json in a version directory ("Unexpected file", "Missing"), schema
 *   v1.2.0 (a top-level legacy "serialization" array allowed), no duplicated entry in reflection,
 *   resources, serialization, foreign.downcalls/upcalls/directUpcalls, typeReached not starting
 *   with java.lang, typeReached containing one of the index entry's allowed-packages (both
 *   waived when typeReached and the entry's name both contain java.lang or java.util), the index
 *   entry found by metadata-version, else by tested-versions.
 * - CG: docs/CONTRIBUTING.md: index.json at metadata/<groupId>/<artifactId>/ with the required
 *   keys metadata-version, tested-versions, allowed-packages; conditional metadata "is a hard
 *   requirement" (the earlier MetadataFilesCheckerTask @1dfdfb25 reported an entry "with missing
 *   condition field"; the current one skips entries without typeReached, so this is a warning: the
 *   repository's snapshot of 2026-05-22 has 610 such entries).
 */
import { finding, pointerAppend, type Finding } from '../../model/findings.js';
import { parseJsonText } from '../../model/json-text.js';

export const REPO_METADATA_FILE = 'reachability-metadata.json';

export interface RepoVersion {
  readonly version: string;
  /** The directory as shown to the user. */
  readonly dir: string;
  /** Its entries (files and directories). */
  readonly entries: readonly string[];
  /** reachability-metadata.json as shown and its text, when it is there and readable. */
  readonly metadataFile?: string;
  readonly metadataText?: string;
}

export interface RepoArtifact {
  readonly group: string;
  readonly artifact: string;
  /** metadata/<group>/<artifact>/index.json as shown, and its text (undefined: not there). */
  readonly indexFile: string;
  readonly indexText?: string;
  readonly versions: readonly RepoVersion[];
}

const ILLEGAL_TYPE_PREFIXES = ['java.lang'];
const PREDEFINED_ALLOWED_PACKAGES = ['java.lang', 'java.util'];
const REQUIRED_INDEX_KEYS = ['metadata-version', 'tested-versions', 'allowed-packages'] as const;
/** The sections MC looks into for duplicates and conditions. */
const SECTIONS: readonly (readonly string[])[] = [
  ['reflection'],
  ['resources'],
  ['serialization'],
  ['foreign', 'downcalls'],
  ['foreign', 'upcalls'],
  ['foreign', 'directUpcalls'],
];
/** The sections whose entries must be conditional (CG; the legacy files @1dfdfb25 checked). */
const CONDITIONAL_SECTIONS: ReadonlySet<string> = new Set(['reflection', 'resources', 'serialization']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every check of the profile, for every artifact and version given. */
export function checkReachabilityRepo(artifacts: readonly RepoArtifact[]): Finding[] {
  const out: Finding[] = [];
  for (const a of artifacts) {
    const index = readIndex(a, out);
    for (const v of a.versions) checkVersion(a, v, index, out);
  }
  return out;
}

function readIndex(a: RepoArtifact, out: Finding[]): Obj[] | undefined {
  if (a.indexText === undefined) {
    out.push(
      finding(
        'repo-index',
        a.indexFile,
        '',
        `missing artifact-level index.json for ${a.group}:${a.artifact}: each artifact directory must have one (CONTRIBUTING.md)`,
        0,
      ),
    );
    return undefined;
  }
  const parsed = parseJsonText(a.indexText, a.indexFile);
  if (!parsed.ok) {
    out.push(parsed.finding);
    return undefined;
  }
  if (!Array.isArray(parsed.value)) {
    out.push(
      finding('repo-index', a.indexFile, '', 'invalid artifact-level index.json: expected a JSON array of entries', 0),
    );
    return undefined;
  }
  const entries: Obj[] = [];
  parsed.value.forEach((e, i) => {
    const at = pointerAppend('', i);
    if (!isObj(e)) {
      out.push(finding('repo-index', a.indexFile, at, 'expected an index entry object'));
      return;
    }
    for (const key of REQUIRED_INDEX_KEYS)
      if (!(key in e))
        out.push(finding('repo-index', a.indexFile, at, `the entry has no '${key}' (a required key, CONTRIBUTING.md)`));
    if (
      'allowed-packages' in e &&
      !(Array.isArray(e['allowed-packages']) && e['allowed-packages'].every((p) => typeof p === 'string'))
    )
      out.push(
        finding(
          'repo-index',
          a.indexFile,
          pointerAppend(at, 'allowed-packages'),
          'expected an array of package prefixes',
        ),
      );
    entries.push(e);
  });
  return entries;
}

function checkVersion(a: RepoArtifact, v: RepoVersion, index: Obj[] | undefined, out: Finding[]): void {
  for (const name of v.entries) {
    if (name.toLowerCase() === REPO_METADATA_FILE) continue;
    out.push(
      finding(
        'repo-file',
        `${v.dir}/${name}`,
        '',
        `unexpected file in a metadata version directory: the repository's checkMetadataFiles allows only ${REPO_METADATA_FILE} there`,
        0,
      ),
    );
  }
  if (!v.entries.some((n) => n.toLowerCase() === REPO_METADATA_FILE))
    out.push(finding('repo-file', v.dir, '', `missing ${REPO_METADATA_FILE} in ${v.dir}`, 0));

  let allowed: readonly string[] | undefined;
  if (index !== undefined) {
    const match =
      index.find((e) => e['metadata-version'] === v.version) ??
      index.find((e) => Array.isArray(e['tested-versions']) && e['tested-versions'].includes(v.version));
    if (match === undefined) {
      const known = index.map((e) => e['metadata-version']).filter((x) => typeof x === 'string');
      out.push(
        finding(
          'repo-index',
          a.indexFile,
          '',
          `no index entry for ${a.group}:${a.artifact} matching version ${v.version} (known metadata-versions: ${known.join(', ') || 'none'})`,
          0,
        ),
      );
    } else if (Array.isArray(match['allowed-packages']))
      allowed = match['allowed-packages'].filter((p): p is string => typeof p === 'string');
  }
  if (v.metadataFile === undefined || v.metadataText === undefined) return;
  const parsed = parseJsonText(v.metadataText, v.metadataFile);
  if (!parsed.ok || !isObj(parsed.value)) return; // validate reports it as it does for any file
  const doc = parsed.value;
  const file = v.metadataFile;
  for (const key of ['jni', 'bundles'])
    if (key in doc)
      out.push(
        finding(
          'repo-schema',
          file,
          pointerAppend('', key),
          `the repository checks ${REPO_METADATA_FILE} against reachability-metadata-schema-v1.2.0.json, which has no top-level '${key}'${key === 'jni' ? ' (mark the reflection entries "jniAccessible": true)' : ' (use {"bundle": …} entries in resources)'}`,
        ),
      );
  for (const path of SECTIONS) {
    let list: unknown = doc;
    for (const p of path) list = isObj(list) ? list[p] : undefined;
    if (!Array.isArray(list)) continue;
    const section = path.join('.');
    const base = path.reduce((ptr, p) => pointerAppend(ptr, p), '');
    const seen = new Map<string, number>();
    list.forEach((entry, i) => {
      const at = pointerAppend(base, i);
      const key = canonical(entry);
      const first = seen.get(key);
      if (first !== undefined)
        out.push(
          finding('repo-duplicate', file, at, `duplicated ${section} entry: the same as ${pointerAppend(base, first)}`),
        );
      else seen.set(key, i);
      if (!isObj(entry)) return;
      const condition = entry.condition;
      const typeReached =
        isObj(condition) && typeof condition.typeReached === 'string' ? condition.typeReached : undefined;
      if (typeReached === undefined) {
        if (CONDITIONAL_SECTIONS.has(section))
          out.push(
            finding(
              'repo-unconditional',
              file,
              at,
              `the ${section} entry has no {"condition": {"typeReached": …}}: the repository asks for conditional metadata (CONTRIBUTING.md: "a hard requirement"), though its current checkMetadataFiles lets such entries pass`,
            ),
          );
        return;
      }
      const name =
        typeof entry.name === 'string' ? entry.name : typeof entry.type === 'string' ? entry.type : undefined;
      if (
        name !== undefined &&
        PREDEFINED_ALLOWED_PACKAGES.some((p) => typeReached.includes(p)) &&
        PREDEFINED_ALLOWED_PACKAGES.some((p) => name.includes(p))
      )
        return;
      const cond = pointerAppend(pointerAppend(at, 'condition'), 'typeReached');
      if (ILLEGAL_TYPE_PREFIXES.some((p) => typeReached.startsWith(p)))
        out.push(
          finding(
            'repo-condition',
            file,
            cond,
            `typeReached '${typeReached}' is a java.lang type: the repository refuses it (it is reached by every program, so the entry is in effect unconditional)`,
          ),
        );
      if (allowed !== undefined && !allowed.some((p) => typeReached.includes(p)))
        out.push(
          finding(
            'repo-condition',
            file,
            cond,
            `typeReached '${typeReached}' doesn't belong to any of the index entry's allowed-packages (${allowed.join(', ') || 'none'})`,
          ),
        );
    });
  }
}

/** JSON with object keys sorted: equal for entries Jackson's JsonNode.equals calls equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
