/**
 * Why an entry is in (or out of) a prune's output: every rule that matches it in order (the last
 * decides), the pin that kept it, the library that ships it, and the lookups the evidence shows —
 * which caller, at load or at run time.
 */
import type { ConfigSet } from '../../model/model.js';
import { PART_NAMES, PARTS, itemOf, partEntries, type Item, type Section } from '../../model/sections.js';
import { loadStart, namespaceLoading, pathSummary, type EvidenceVerdict } from '../evidence/clojure.js';
import { evidenceKeyOf } from '../evidence/types.js';
import { isStale } from './classpath.js';
import { Matcher, candidate, evidenceVerdict, prune, type PrunePlan } from './engine.js';

/** One lookup of the entry, as explain shows it. */
export interface LookupJson {
  /** Frames as `class#method`, outermost first (shortened to the caller and what it asked for). */
  readonly frames: readonly string[];
  readonly loading: boolean;
  /** A namespace loaded while the function ran (a `require` in the handler): run time, so the entry is needed. */
  readonly loadsAtRunTime: boolean;
}

export interface Explanation {
  readonly section: Section;
  readonly entry: string;
  /** What the prune does with it. */
  readonly decision: 'kept' | 'removed' | 'trimmed';
  /** The rule that decided (the last that matched), or the library that ships it. */
  readonly decidedBy: string | undefined;
  readonly reason: string | undefined;
  /** Every rule that matches, in order. */
  readonly rules: readonly { readonly id: string; readonly action: 'include' | 'exclude'; readonly reason: string }[];
  /** Rules that would match it but for what the evidence says (a run-time lookup keeps what a name rule would remove). */
  readonly overruled: readonly {
    readonly id: string;
    readonly action: 'include' | 'exclude';
    readonly reason: string;
  }[];
  /** The keep file that pins it, when one does. */
  readonly pinnedBy: string | undefined;
  /** Libraries (jars, directories) that ship it, wholly or in part. */
  readonly shippedBy: readonly string[];
  readonly evidence: { readonly verdict: EvidenceVerdict; readonly lookups: readonly LookupJson[] };
  /** Its key in the evidence (what an evidence file records it under); undefined for predefined classes. */
  readonly evidenceKey: string | undefined;
  /** Names a class that neither the class path nor the JDK has (N15); undefined without a class path. */
  readonly stale: boolean | undefined;
}

/** Lookups shown per entry: the first ones, by loading last (what keeps an entry comes first). */
const SHOWN = 8;

/** Explains every entry of `set` that `wanted` selects, under `plan`. */
export function explainEntries(set: ConfigSet, plan: PrunePlan, wanted: (item: Item) => boolean): Explanation[] {
  const result = prune(set, plan);
  const matcher = new Matcher(plan.rules, set, plan.evidence, plan.classpath);
  const pinned =
    plan.keep &&
    new Set(PART_NAMES.flatMap((p) => partEntries(plan.keep!.set, p).map((e) => `${p}\u0000${itemOf(p, e).key}`)));
  const out: Explanation[] = [];
  for (const p of PART_NAMES) {
    if (!PARTS[p].prunable) continue;
    for (const e of partEntries(set, p)) {
      const c = candidate(p, e);
      if (!wanted(c)) continue;
      const removals = result.removed.filter((r) => r.section === c.section && r.entry.startsWith(c.label));
      const whole = removals.find((r) => r.whole && r.entry === c.label);
      const trimmed = removals.find((r) => !r.whole);
      const key = evidenceKeyOf(c);
      const paths = key === undefined ? undefined : plan.evidence?.paths.get(key);
      const lookups = (paths ?? [])
        .map((path) => ({
          frames: pathSummary(path),
          loading: namespaceLoading(path, plan.evidence!.precision),
          loadsAtRunTime: plan.evidence!.precision === 'tree' && loadStart(path)?.atRunTime === true,
        }))
        .sort((a, b) => Number(a.loading) - Number(b.loading));
      const decided = whole ?? trimmed;
      const rules = matcher.matching(c).map((r) => ({ id: r.id, action: r.action, reason: r.reason }));
      const last = rules.at(-1);
      out.push({
        section: c.section,
        entry: c.label,
        decision: whole ? 'removed' : trimmed ? 'trimmed' : 'kept',
        decidedBy: decided?.rule ?? last?.id,
        reason: decided?.reason ?? last?.reason,
        rules,
        overruled: matcher.overruledByEvidence(c).map((r) => ({ id: r.id, action: r.action, reason: r.reason })),
        pinnedBy: pinned?.has(`${p}\u0000${c.key}`) ? plan.keep!.source : undefined,
        shippedBy: removals.filter((r) => r.rule.startsWith('library:')).map((r) => r.rule.slice('library:'.length)),
        evidence: { verdict: evidenceVerdict(c, plan.evidence), lookups: lookups.slice(0, SHOWN) },
        evidenceKey: key,
        stale: plan.classpath?.jdk === undefined ? undefined : c.classNames.some((n) => isStale(n, plan.classpath!)),
      });
    }
  }
  return out;
}

/** A query that selects entries: a class name, a resource path or bundle name, or a glob over them (`*`, `**`). */
export function entryQuery(query: string): (item: Item) => boolean {
  const glob = /[*?]/.test(query)
    ? new RegExp(
        `^${query
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*/g, '\u0000')
          .replace(/\*/g, '[^./]*')
          .replace(/\u0000/g, '.*')
          .replace(/\?/g, '.')}$`,
      )
    : undefined;
  const test = (name: string): boolean => (glob ? glob.test(name) : name === query);
  return (item) => (item.text !== undefined ? test(item.text) : item.classNames.some(test) || test(item.base));
}
