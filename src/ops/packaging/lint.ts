/**
 * The packaging lints: what a library's native-image.properties and the place of its metadata
 * files do to a native-image build, reported at the properties line (or the file) with what to
 * do instead. Pure: the files were found and read by io/properties-files.ts. The same analysis
 * gives `write --fix` its plan (fix.ts), so what is reported and what is fixed never disagree.
 */
import { finding, type Finding } from '../../model/findings.js';
import { FILE_KINDS, kindOfFileName } from '../../model/kinds.js';
import { KEYS_RESOURCES_BUNDLES_GLOBS } from '../../model/parse/resources.js';
import { KEYS_TYPES_LAMBDACAPTURINGTYPES_PROXIES } from '../../model/parse/serialization.js';
import { UNIFIED_TOP_KEYS } from '../../model/parse/unified.js';
import { parsePropertiesText, type PropertiesToken } from '../properties.js';
import {
  CONFIGURATION_OPTIONS,
  EXPERIMENTAL_SINCE,
  EXPERIMENTAL_SOURCE,
  configurationOption,
  factsFor,
  parseArg,
} from './options.js';

/** A native-image.properties as io found it. */
export interface PropertiesFile {
  /** The path as shown to the user. */
  readonly file: string;
  /** Absolute, `/`-separated. */
  readonly path: string;
  readonly text: string;
  /** Names of the files in its directory. */
  readonly siblings: readonly string[];
}

/** One change `write --fix` can make to an Args token. */
export interface TokenEdit {
  readonly start: number;
  readonly token: string;
  /** What replaces it; `[]` drops it. */
  readonly replace: readonly string[];
  readonly why: string;
}

/** What the lints found in one native-image.properties, and what fixing it means. */
export interface PropertiesAnalysis {
  readonly file: PropertiesFile;
  readonly findings: readonly Finding[];
  readonly edits: readonly TokenEdit[];
  /** Files in the properties' directory to give their standard name. */
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  /** resource-config.json to create from -H:IncludeResources / -H:IncludeResourceBundles, when there is none. */
  readonly resourceConfig?: { readonly patterns: readonly string[]; readonly bundles: readonly string[] };
  /** What the lints report that --fix leaves for a person, and why. */
  readonly unfixed: readonly string[];
  /** Absolute paths of the files the properties wire in with `${.}/`. */
  readonly wired: readonly string[];
}

const STANDARD_NAMES: ReadonlySet<string> = new Set(Object.values(FILE_KINDS).map((k) => k.fileName));

/** Whether a path lies below a META-INF/native-image directory, and how many directories below it. */
export function metaInfDepth(path: string): number | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 3; i >= 0; i--) {
    if (parts[i] === 'META-INF' && parts[i + 1] === 'native-image') return parts.length - (i + 2) - 1;
  }
  return undefined;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `a/b/../c` → `a/c`; `.` segments go. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.') continue;
    if (part === '..' && out.length > 1) out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Reads one native-image.properties and reports every packaging problem in it. */
export function analyseProperties(p: PropertiesFile): PropertiesAnalysis {
  const parsed = parsePropertiesText(p.text);
  const findings: Finding[] = [];
  const edits: TokenEdit[] = [];
  const renames: { from: string; to: string }[] = [];
  const unfixed: string[] = [];
  const wired: string[] = [];
  const patterns: string[] = [];
  const bundles: string[] = [];
  const resourceTokens: PropertiesToken[] = [];
  const dir = dirOf(p.path);
  const inMetaInf = metaInfDepth(p.path) !== undefined;
  const at = (offset: number, code: Parameters<typeof finding>[0], message: string): void =>
    void findings.push(finding(code, p.file, '', message, offset));
  const taken = new Set(p.siblings);

  if (!inMetaInf) {
    at(
      0,
      'layout',
      'native-image reads native-image.properties only below META-INF/native-image/ of a class-path entry; put it in META-INF/native-image/<groupId>/<artifactId>/',
    );
  }
  const args = parsed.entries.filter((e) => e.key === 'Args');
  let unlocked = false;
  for (const entry of args) {
    for (const token of entry.tokens) {
      const a = parseArg(token.text);
      if (a.form === 'hosted' && a.name === 'UnlockExperimentalVMOptions') {
        unlocked = a.sign === '+';
        continue;
      }
      const unlockNote = unlocked
        ? ' It is unlocked here with -H:+UnlockExperimentalVMOptions, so native-image does not warn, but experimental options may change or go in any release.'
        : '';
      const config = configurationOption(a);
      if (config) {
        configurationToken(token, a.name, a.value!, config, unlockNote);
        continue;
      }
      for (const fact of factsFor(a)) {
        const what =
          fact.code === 'experimental-option'
            ? 'native-image warns that it is experimental'
            : fact.code === 'deprecated-option'
              ? 'deprecated'
              : 'native-image refuses it';
        at(
          token.start,
          fact.code,
          `${token.text}: ${what} since ${fact.since}; ${fact.advice(a)} (${fact.source}).${fact.code === 'experimental-option' ? unlockNote : ''}`,
        );
        if (a.form === 'hosted' && (a.name === 'IncludeResources' || a.name === 'IncludeResourceBundles')) {
          resourceTokens.push(token);
          if (a.name === 'IncludeResources' && a.value) patterns.push(a.value);
          if (a.name === 'IncludeResourceBundles' && a.value)
            bundles.push(...a.value.split(',').filter((b) => b !== ''));
          continue;
        }
        const replace = fact.fix?.(a);
        if (replace !== undefined)
          edits.push({
            start: token.start,
            token: token.text,
            replace,
            why: (typeof fact.fixNote === 'function' ? fact.fixNote(a) : fact.fixNote) ?? fact.advice(a),
          });
        else unfixed.push(`${token.text}: ${fact.advice(a)}`);
      }
    }
  }

  // -H:IncludeResources and -H:IncludeResourceBundles become a resource-config.json when there is none
  let resourceConfig: PropertiesAnalysis['resourceConfig'];
  if (resourceTokens.length > 0) {
    if (!inMetaInf) unfixed.push('-H:IncludeResources: the directory is not below META-INF/native-image');
    else if (taken.has('resource-config.json'))
      unfixed.push(
        '-H:IncludeResources/-H:IncludeResourceBundles: resource-config.json already exists here; add the patterns to it by hand',
      );
    else {
      resourceConfig = { patterns, bundles };
      taken.add('resource-config.json');
      for (const t of resourceTokens)
        edits.push({ start: t.start, token: t.text, replace: [], why: 'now in resource-config.json' });
    }
  }
  return { file: p, findings, edits, renames, ...(resourceConfig ? { resourceConfig } : {}), unfixed, wired };

  function configurationToken(
    token: PropertiesToken,
    name: string,
    value: string,
    config: { kind: string; resources: boolean },
    unlockNote: string,
  ): void {
    const info = CONFIGURATION_OPTIONS[config.kind]!;
    const standard = info.standard;
    const items = value.split(',').filter((i) => i !== '');
    const kept: string[] = [];
    const notes: string[] = [];
    let renamedHere = false;
    for (const item of items) {
      const itemAt = token.start + Math.max(0, token.text.indexOf(item));
      if (!item.startsWith('${.}/')) {
        kept.push(item);
        notes.push(
          `${item} is not relative to this file (\${.}/…), so ni-config cannot tell where it is${standard ? `; name it ${standard} in META-INF/native-image/<groupId>/<artifactId>/` : ''}`,
        );
        continue;
      }
      const rel = item.slice('${.}/'.length);
      const target = normalise(`${dir}/${rel}`);
      wired.push(target);
      if (standard === undefined) {
        kept.push(item);
        continue;
      }
      if (baseOf(rel) === standard) {
        // native-image finds it by itself: the option only repeats it
        if (inMetaInf) continue;
        kept.push(item);
        notes.push(`${rel} is not below META-INF/native-image, where native-image would find it by itself`);
        continue;
      }
      at(
        itemAt,
        'nonstandard-name',
        `${rel} is wired in by -H:${name}, a name native-image does not read by itself: name it ${standard}${rel.includes('/') ? ' in its directory' : ''} and the option is not needed (netty/netty#13595, neo4j/neo4j-java-driver#1498)`,
      );
      if (!inMetaInf) {
        kept.push(item);
        notes.push(
          `${rel}: the directory is not below META-INF/native-image, where native-image would read ${standard} by itself`,
        );
      } else if (rel.includes('/')) {
        kept.push(item);
        notes.push(`${rel} is in another directory; rename it to ${standard} there and drop it from -H:${name}`);
      } else if (!p.siblings.includes(rel)) {
        kept.push(item);
        notes.push(`${rel} is not there`);
      } else if (taken.has(standard)) {
        kept.push(item);
        notes.push(
          `${rel}: ${standard} already exists here; merge the two (ni-config merge) and drop ${rel} from -H:${name}`,
        );
      } else {
        renames.push({ from: rel, to: standard });
        taken.add(standard);
        renamedHere = true;
      }
    }
    const how =
      standard === undefined
        ? 'it has no file native-image reads by itself, so it stays experimental'
        : `native-image reads ${standard} in META-INF/native-image/<groupId>/<artifactId>/ by itself, so the option is not needed (its migration message: "Use a ${standard} in your META-INF/native-image/<groupID>/<artifactID> directory instead")`;
    at(
      token.start,
      'experimental-option',
      `-H:${name}: native-image warns that it is experimental since ${EXPERIMENTAL_SINCE}; ${how} (${EXPERIMENTAL_SOURCE}; ConfigurationFiles.java).${info.deprecated ? ` Also, ${info.deprecated}.` : ''}${unlockNote}`,
    );
    if (kept.length === items.length && notes.length === 0 && standard === undefined) {
      unfixed.push(`${token.text}: no standard file name for -H:${name}`);
      return;
    }
    if (kept.length < items.length)
      edits.push({
        start: token.start,
        token: token.text,
        replace: kept.length === 0 ? [] : [`-H:${name}=${kept.join(',')}`],
        why: renamedHere
          ? `the file is renamed to ${standard}, which native-image reads by itself`
          : `native-image reads ${standard} in this directory by itself`,
      });
    for (const n of notes) unfixed.push(`${token.text}: ${n}`);
  }
}

/**
 * Metadata files under a name ni-config reads but native-image does not (reflection-config.json,
 * resources-config.json) and that no native-image.properties wires in: native-image ignores them.
 */
export function lintFileNames(
  files: readonly { readonly file: string; readonly path: string }[],
  wired: ReadonlySet<string>,
): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    const base = baseOf(f.path);
    const kind = kindOfFileName(base);
    if (kind === undefined || STANDARD_NAMES.has(base) || wired.has(f.path)) continue;
    out.push(
      finding(
        'nonstandard-name',
        f.file,
        '',
        `native-image does not read ${base} by itself (oracle/graal#2277): it only reads ${FILE_KINDS[kind].fileName}; rename it (write --fix leaves it, since renaming makes native-image read what it ignored so far)`,
        0,
      ),
    );
  }
  return out;
}

/**
 * Directories below META-INF/native-image that are not META-INF/native-image/<groupId>/<artifactId>/:
 * one finding per directory, on its native-image.properties or else its first file.
 */
export function lintLayout(files: readonly { readonly file: string; readonly path: string }[]): Finding[] {
  const byDir = new Map<string, { file: string; path: string }[]>();
  for (const f of files) {
    const depth = metaInfDepth(f.path);
    if (depth === undefined || depth >= 2) continue;
    const d = dirOf(f.path);
    let list = byDir.get(d);
    if (list === undefined) byDir.set(d, (list = []));
    list.push(f);
  }
  const out: Finding[] = [];
  for (const [d, list] of byDir) {
    const sorted = [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const on = sorted.find((f) => baseOf(f.path) === 'native-image.properties') ?? sorted[0]!;
    const depth = metaInfDepth(on.path)!;
    const where = depth === 0 ? 'META-INF/native-image/ itself' : `META-INF/native-image/${baseOf(d)}/`;
    out.push(
      finding(
        'layout',
        on.file,
        '',
        `${sorted.length === 1 ? 'this file is' : `${sorted.length} files are`} in ${where}: files of the same name from two jars collide there (in an uber-jar one overwrites the other); the layout native-image documents is META-INF/native-image/<groupId>/<artifactId>/ (BuildConfiguration.md)`,
        0,
      ),
    );
  }
  return out;
}

/** The top-level keys of every metadata format that has an object at its top, as their readers check them. */
const METADATA_KEYS: ReadonlySet<string> = new Set([
  ...UNIFIED_TOP_KEYS,
  ...KEYS_RESOURCES_BUNDLES_GLOBS,
  ...KEYS_TYPES_LAMBDACAPTURINGTYPES_PROXIES,
  // foreign-config.json, carried as it is (its reader checks no keys)
  'downcalls',
  'upcalls',
  'directUpcalls',
]);

/**
 * A file named like no metadata file whose top-level object has none of the keys of any
 * metadata format (package.json, tsconfig.json): not metadata, whatever it would parse as.
 */
export function notMetadata(file: string, value: unknown): Finding | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((k) => METADATA_KEYS.has(k))) return undefined;
  const shown = keys.slice(0, 4).map((k) => `'${k}'`);
  return finding(
    'not-metadata',
    file,
    '',
    `not a metadata file: its name is none of ${[...STANDARD_NAMES].join(', ')}, no native-image.properties wires it in, and none of its keys (${shown.join(', ')}${keys.length > 4 ? ', …' : ''}) is a metadata key`,
    0,
  );
}
