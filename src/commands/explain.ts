/**
 * `ni-config explain ENTRY... [IN]`: why entries are in the metadata, or would leave it: the
 * rules that match them, the pin that keeps them, the jar that ships them, and where their
 * lookups came from.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { entryQuery, explainEntries, type Explanation } from '../ops/prune/explain.js';
import { pruneSettings, type PruneSettings } from '../ops/prune/plan.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { inputPaths, readableInputs } from './inputs.js';
import { evidenceBeside, readEvidenceWithAttributions, resolvePrunePlan } from './prune-plan.js';
import type { Attribution } from '../ops/evidence/file.js';
import { readProject } from './project.js';

export interface ExplainOptions extends GlobalOptions, Partial<PruneSettings> {
  /** Class names, resource paths or bundle names, or globs over them; a last one that names an existing path is the input. */
  readonly entries: readonly string[];
  /** The metadata to explain; default: the project file's `inputs`. */
  readonly paths?: readonly string[] | undefined;
}

/** The result of explain: its `--json` output. */
export interface ExplainResult {
  readonly ok: boolean;
  readonly inputs: readonly string[];
  /** Where the evidence came from, when there was some. */
  readonly evidence: string | undefined;
  readonly explanations: readonly (Explanation & { readonly neededBy: Attribution | undefined })[];
  /** Queries that matched no entry. */
  readonly unmatched: readonly string[];
}

/** Reads the inputs, resolves the prune plan, and explains the entries the queries select. */
export async function runExplain(options: ExplainOptions, deps: CommandDeps): Promise<ExplainResult> {
  const { config } = await readProject(options, deps);
  const queries = [...options.entries];
  let paths = [...(options.paths ?? [])];
  // `explain a.B out/`: a last argument that is a file or directory is the input
  if (paths.length === 0 && queries.length > 1 && existsSync(resolve(deps.cwd, queries.at(-1)!)))
    paths = [queries.pop()!];
  if (queries.length === 0) throw new UsageError('name an entry to explain: a class, a resource path or a glob');
  const settings = pruneSettings(options, config.prune);
  const inputs = inputPaths(paths, config);
  const beside = settings.evidence === undefined ? await evidenceBeside(inputs, deps.cwd) : undefined;
  const { plan } = await resolvePrunePlan(settings, config, deps, beside ? { evidence: beside.evidence } : {});
  const loaded = await readableInputs(inputs, config, deps);
  // trace --attribute: the event that first needed each entry, where the evidence file records it
  const attributions =
    beside?.attributions ??
    (settings.evidence !== undefined
      ? (await readEvidenceWithAttributions(settings.evidence, deps.cwd)).attributions
      : new Map<string, Attribution>());
  const explanations: (Explanation & { neededBy: Attribution | undefined })[] = [];
  const unmatched: string[] = [];
  for (const q of queries) {
    const found = explainEntries(loaded.set, plan, entryQuery(q));
    if (found.length === 0) unmatched.push(q);
    for (const x of found)
      if (!explanations.some((y) => y.section === x.section && y.entry === x.entry))
        explanations.push({
          ...x,
          neededBy: x.evidenceKey === undefined ? undefined : attributions.get(x.evidenceKey),
        });
  }
  return {
    ok: unmatched.length === 0,
    inputs,
    evidence: settings.evidence ?? beside?.file,
    explanations,
    unmatched,
  };
}
