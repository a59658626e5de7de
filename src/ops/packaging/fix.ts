/**
 * `write --fix`: what the packaging lints found, turned into one change per directory: files
 * renamed to the names native-image reads by itself, the Args options that made unnecessary
 * dropped, deprecated options with a known replacement replaced, everything else kept as it
 * was. Pure: the caller reads the files to rename and applies the plan in one transaction.
 */
import { createTwoFilesPatch } from 'diff';
import { toJsonText } from '../../model/emit/index.js';
import { editArgs } from '../properties.js';
import type { PropertiesAnalysis } from './lint.js';

export const PROPERTIES_FILE = 'native-image.properties';

export interface FixPlan {
  /** The properties file as the user sees it. */
  readonly file: string;
  /** Absolute, `/`-separated directory of the properties file: where everything happens. */
  readonly dir: string;
  /** Name → new content of every file written (the properties, renamed files, resource-config.json). */
  readonly files: ReadonlyMap<string, string>;
  /** Names removed (the old names of renamed files). */
  readonly deletions: readonly string[];
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  readonly created: readonly string[];
  /** One line per change, with its reason. */
  readonly changes: readonly string[];
  /** A unified diff of native-image.properties, then the renames and new files. */
  readonly diff: string;
  /** What the lints reported that is left for a person. */
  readonly unfixed: readonly string[];
}

/** The plan for one properties file; `contents` holds the text of each file to rename. */
export function planFix(a: PropertiesAnalysis, contents: ReadonlyMap<string, string>): FixPlan {
  const before = a.file.text;
  const edits = new Map(a.edits.map((e) => [e.start, e.replace]));
  const after = editArgs(before, edits);
  const files = new Map<string, string>();
  const deletions: string[] = [];
  const renames: { from: string; to: string }[] = [];
  const changes: string[] = [];
  const unfixed = [...a.unfixed];
  for (const e of a.edits)
    changes.push(
      e.replace.length === 0 ? `drop ${e.token}: ${e.why}` : `replace ${e.token} with ${e.replace.join(' ')}: ${e.why}`,
    );
  for (const r of a.renames) {
    const text = contents.get(r.from);
    if (text === undefined) {
      unfixed.push(`${r.from}: could not be read, so it is not renamed`);
      continue;
    }
    files.set(r.to, text);
    deletions.push(r.from);
    renames.push(r);
    changes.push(`rename ${r.from} → ${r.to}: native-image reads ${r.to} by itself`);
  }
  const created: string[] = [];
  if (a.resourceConfig) {
    const { patterns, bundles } = a.resourceConfig;
    const doc: Record<string, unknown> = {};
    if (patterns.length > 0) doc.resources = { includes: patterns.map((pattern) => ({ pattern })) };
    if (bundles.length > 0) doc.bundles = bundles.map((name) => ({ name }));
    files.set('resource-config.json', toJsonText(doc));
    created.push('resource-config.json');
    changes.push(
      `create resource-config.json with ${patterns.length} pattern${patterns.length === 1 ? '' : 's'} and ${bundles.length} bundle${bundles.length === 1 ? '' : 's'} from -H:IncludeResources/-H:IncludeResourceBundles`,
    );
  }
  // a rename that could not be read keeps its option
  if (renames.length < a.renames.length) {
    const missing = new Set(a.renames.filter((r) => !renames.includes(r)).map((r) => r.from));
    return planFix(
      {
        ...a,
        renames,
        edits: a.edits.filter((e) => ![...missing].some((m) => e.token.includes(`\${.}/${m}`))),
        unfixed,
      },
      contents,
    );
  }
  // a file left with nothing in it goes: native-image needs no empty native-image.properties
  const emptied = after !== before && after.trim() === '';
  if (emptied) {
    deletions.push(PROPERTIES_FILE);
    changes.push(`remove ${PROPERTIES_FILE}: nothing is left in it`);
  } else if (after !== before) files.set(PROPERTIES_FILE, after);
  const shown = a.file.file;
  const prefix = shown.slice(0, shown.length - PROPERTIES_FILE.length);
  let diff =
    after === before ? '' : createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, '', '', { context: 3 });
  diff = diff
    .replace(/^=+\n/m, '')
    .replace(/^Index: .*\n/m, '')
    .replace(/^(---|\+\+\+) (.*?)\t$/gm, '$1 $2');
  for (const r of renames) diff += `rename ${prefix}${r.from} → ${prefix}${r.to}\n`;
  for (const c of created) diff += `create ${prefix}${c}\n`;
  if (emptied) diff += `delete ${shown}\n`;
  return { file: shown, dir: dirOf(a.file.path), files, deletions, renames, created, changes, diff, unfixed };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
