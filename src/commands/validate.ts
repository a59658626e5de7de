/**
 * `ni-config validate PATH...`: JSON Schema and semantic checks, the packaging lints of every
 * native-image.properties and of the layout, and with `--profile reachability-repo` the checks
 * of the GraalVM Reachability Metadata Repository; findings placed at file:line:col.
 */
import { UsageError } from '../errors.js';
import { PROPERTIES_FILE_NAME, existingFiles, findPropertiesFiles, slashed } from '../io/properties-files.js';
import { readRepoTree } from '../io/repo-tree.js';
import { TreeListings } from '../io/walk.js';
import { countBySeverity, type Finding } from '../model/findings.js';
import { parseJsonText } from '../model/json-text.js';
import { kindOfFileName, type FileKind } from '../model/kinds.js';
import { placeFindings, type FindingJson } from '../model/placed.js';
import { analyseProperties, lintFileNames, lintLayout, notMetadata } from '../ops/packaging/lint.js';
import type { Profile } from '../ops/packaging/profiles.js';
import { checkReachabilityRepo } from '../ops/packaging/reachability-repo.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { inputPaths, loadInputs } from './inputs.js';
import { readProject } from './project.js';

export interface ValidateOptions extends GlobalOptions {
  readonly paths: readonly string[];
  /** Warnings fail too; default: the project file's `strict`. */
  readonly strict?: boolean | undefined;
  /** Only errors in `findings` (counts still count everything). */
  readonly quiet?: boolean | undefined;
  /** Fail when there are more warnings than this. */
  readonly maxWarnings?: number | undefined;
  readonly profile?: Profile | undefined;
}

/** The result of validate: its `--json` output. */
export interface ValidateResult {
  readonly ok: boolean;
  readonly strict: boolean;
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  /** Findings about reading the inputs at all (unreadable, missing, too large): exit 2. */
  readonly inputErrors: number;
  readonly files: readonly { readonly file: string; readonly kind: FileKind | null }[];
  /** The native-image.properties files the packaging lints read (absent when there were none). */
  readonly properties?: readonly string[];
  /** Set when `--max-warnings` was given. */
  readonly maxWarnings?: number;
  /** Set when `--profile` was given. */
  readonly profile?: Profile;
  /** True when `findings` holds only errors (`--quiet`). */
  readonly quiet?: true;
  readonly findings: readonly FindingJson[];
}

function isPropertiesPath(p: string): boolean {
  return p === PROPERTIES_FILE_NAME || p.endsWith(`/${PROPERTIES_FILE_NAME}`);
}

/** Reads the inputs with the schema check on and reports every finding. */
export async function runValidate(options: ValidateOptions, deps: CommandDeps): Promise<ValidateResult> {
  if (options.maxWarnings !== undefined && !(Number.isInteger(options.maxWarnings) && options.maxWarnings >= 0))
    throw new UsageError(`--max-warnings expects a whole number of 0 or more, found '${options.maxWarnings}'`);
  const { config } = await readProject(options, deps);
  const strict = options.strict ?? config.strict ?? false;
  const paths = inputPaths(options.paths, config);

  // the packaging lints: every native-image.properties below the paths, the names and the layout
  // (one walk of each tree, for these and for the metadata files)
  const listings = new TreeListings();
  const props = await findPropertiesFiles(paths, deps.cwd, {
    ...(config.maxFileSize !== undefined ? { maxFileSize: config.maxFileSize } : {}),
    listings,
  });
  const analyses = props.files.map(analyseProperties);
  const wired = new Set(analyses.flatMap((a) => a.wired));

  // a native-image.properties given by name is no metadata file: the files it wires in are
  const named = new Set(paths.filter(isPropertiesPath));
  const wiredByNamed = existingFiles(
    deps.cwd,
    analyses
      .filter((a) => named.has(a.file.file))
      .flatMap((a) => {
        const dir = a.file.file.slice(0, a.file.file.length - PROPERTIES_FILE_NAME.length);
        const base = a.file.path.slice(0, a.file.path.length - PROPERTIES_FILE_NAME.length);
        return a.wired.filter((w) => w.startsWith(base)).map((w) => `${dir}${w.slice(base.length)}`);
      }),
  );
  const metadataPaths = [...paths.filter((p) => !named.has(p)), ...wiredByNamed];
  const inputs = await loadInputs(metadataPaths, config, deps, {
    schema: true,
    listings,
    findingsOnly: true,
  });
  const texts = new Map(inputs.texts);
  const located = inputs.files.flatMap((f) => {
    const path = inputs.paths.get(f.file);
    return path === undefined ? [] : [{ file: f.file, path: slashed(path) }];
  });
  const packaging: Finding[] = [
    ...analyses.flatMap((a) => a.findings),
    ...lintFileNames(located, wired),
    ...lintLayout([...located, ...props.files.map((p) => ({ file: p.file, path: p.path }))]),
  ];
  for (const p of props.files) if (packaging.some((f) => f.file === p.file)) texts.set(p.file, p.text);

  // a file named like no metadata file, not wired in, whose keys are no metadata keys: refused as a whole
  const refused = new Map<string, Finding>();
  for (const f of inputs.files) {
    const base = f.file.slice(f.file.lastIndexOf('/') + 1);
    if (kindOfFileName(base) !== undefined) continue;
    const path = inputs.paths.get(f.file);
    if (path !== undefined && wired.has(slashed(path))) continue;
    const text = texts.get(f.file);
    if (text === undefined) continue; // no findings: it read as metadata
    const parsed = parseJsonText(text, f.file);
    const refusal = parsed.ok ? notMetadata(f.file, parsed.value) : undefined;
    if (refusal) refused.set(f.file, refusal);
  }

  const profile: Finding[] = [];
  if (options.profile === 'reachability-repo') {
    const tree = await readRepoTree(paths, deps.cwd);
    profile.push(...tree.findings, ...checkReachabilityRepo(tree.artifacts));
    for (const a of tree.artifacts) {
      if (a.indexText !== undefined) texts.set(a.indexFile, a.indexText);
      for (const v of a.versions)
        if (v.metadataFile && v.metadataText !== undefined) texts.set(v.metadataFile, v.metadataText);
    }
  }

  // a native-image.properties below a metadata path is read by both walks: its problem is said once
  const problem = (f: Finding): string => `${f.code}\u0000${f.file}`;
  const reported = new Set(inputs.ioFindings.map(problem));
  const ioFindings = [...inputs.ioFindings, ...props.findings.filter((f) => !reported.has(problem(f)))];
  const content = [
    ...inputs.findings.filter((f) => !refused.has(f.file)),
    ...refused.values(),
    ...packaging,
    ...profile,
  ];
  const all = [...ioFindings, ...content];
  const counts = countBySeverity(all);
  const inputErrors = ioFindings.filter((f) => f.severity === 'error').length;
  const tooManyWarnings = options.maxWarnings !== undefined && counts.warning > options.maxWarnings;
  const shown = options.quiet ? all.filter((f) => f.severity === 'error') : all;
  return {
    ok: inputErrors === 0 && counts.error === 0 && (!strict || counts.warning === 0) && !tooManyWarnings,
    strict,
    counts,
    inputErrors,
    files: inputs.files.map((f) => ({ file: f.file, kind: refused.has(f.file) ? null : (f.kind ?? null) })),
    ...(props.files.length > 0 ? { properties: props.files.map((p) => p.file) } : {}),
    ...(options.maxWarnings !== undefined ? { maxWarnings: options.maxWarnings } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.quiet ? { quiet: true as const } : {}),
    findings: placeFindings(shown, texts),
  };
}
