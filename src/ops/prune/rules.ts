/**
 * Prune rules: what they match, and GraalVM's class-name glob semantics. Pure data and
 * predicates; the engine that applies them is engine.ts.
 */

import { PARTS, type Section } from '../../model/sections.js';

/** The sections a rule can apply to: those with entries that prune judges. */
export const RULE_SECTIONS: readonly Section[] = [
  ...new Set(Object.values(PARTS).flatMap((p) => (p.prunable ? [p.section] : []))),
];

export interface Rule {
  /** Stable name shown by --explain: `clojure/N1`, `rules.jsonc#3`, `filter.json/rules/0`. */
  readonly id: string;
  readonly action: 'exclude' | 'include';
  /** Sections the rule applies to; all class sections when absent. */
  readonly sections?: readonly Section[];
  /** GraalVM filter glob over class names (`pkg.*`, `pkg.**`, exact), matched against the type (or the condition). */
  readonly classes?: string;
  /** Regular expression that must match the whole class name (or resource path). */
  readonly regex?: string;
  /** Glob over resource paths and bundle names (`*` one segment, `**` any depth). */
  readonly resources?: string;
  /** Match the entry's condition class instead of its type. */
  readonly onCondition?: boolean;
  /** Only entries of this shape: `name-only` registers the type and nothing else. */
  readonly shape?: 'name-only' | 'with-members';
  /** Only entries that register `main(String[])` and nothing else: how the launcher starts the app. */
  readonly launcherMain?: boolean;
  /** Only name-only types in the package of a namespace that has an `__init` entry (Clojure protocols, records). */
  readonly namespaceMember?: boolean;
  /**
   * What the lookup evidence must say of the entry (docs/evidence.md): `loading` — it has
   * evidence and every lookup happened while namespaces loaded; `runtime` — at least one lookup
   * came from code running after that; `none` — there is no evidence of it at all; `not-runtime`
   * — `none` or `loading`. Without this field the rule ignores evidence.
   */
  readonly evidence?: EvidenceCondition;
  /**
   * Only entries of namespaces that are AOT-compiled: their `__init.class` is on the class path
   * (so they load at build time). Without a class path every namespace counts as compiled.
   */
  readonly compiledNamespace?: boolean;
  /** Why: shown by --explain (and cites the catalogue of docs/noise.md). */
  readonly reason: string;
}

export const EVIDENCE_CONDITIONS = ['loading', 'runtime', 'none', 'not-runtime'] as const;
export type EvidenceCondition = (typeof EVIDENCE_CONDITIONS)[number];

/** Compiled predicates of a rule, built once per prune. */
export interface CompiledRule extends Rule {
  readonly matchClass: ((name: string) => boolean) | undefined;
  readonly matchText: ((text: string) => boolean) | undefined;
}

/**
 * GraalVM's filter glob (HierarchyFilterNode): `pkg.*` names the classes directly in `pkg`,
 * `pkg.**` every class below `pkg` at any depth, `**` everything, anything else one exact name.
 * Matching is token-wise on `.`; `$` is not a separator, so nested classes follow their outer
 * class. Array types match as their element type.
 */
export function classGlobMatcher(pattern: string): (name: string) => boolean {
  if (pattern === '**') return () => true;
  if (pattern === '*') return (name) => !elementName(name).includes('.');
  if (pattern.endsWith('.**')) {
    const prefix = pattern.slice(0, -2);
    return (name) => elementName(name).startsWith(prefix);
  }
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return (name) => {
      const n = elementName(name);
      return n.startsWith(prefix) && !n.slice(prefix.length).includes('.');
    };
  }
  return (name) => elementName(name) === pattern;
}

function elementName(name: string): string {
  let end = name.length;
  while (end >= 2 && name.charCodeAt(end - 1) === 0x5d && name.charCodeAt(end - 2) === 0x5b) end -= 2;
  return end === name.length ? name : name.slice(0, end);
}

/** Glob over resource paths: `*` within one path segment, `**` across segments, `?` one character. */
export function pathGlobMatcher(pattern: string): (path: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  return (path) => compiled.test(path);
}

/** Why a rule is not usable, or undefined. */
export function ruleProblem(rule: Rule): string | undefined {
  if (
    rule.classes === undefined &&
    rule.regex === undefined &&
    rule.resources === undefined &&
    rule.shape === undefined &&
    !rule.namespaceMember &&
    !rule.launcherMain &&
    rule.evidence === undefined
  ) {
    return 'the rule matches nothing: give classes, regex, resources or shape';
  }
  if (rule.regex !== undefined) {
    try {
      new RegExp(rule.regex);
    } catch (e) {
      return `the regex ${JSON.stringify(rule.regex)} does not compile: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
    }
  }
  const c = rule.classes;
  if (c !== undefined && c.includes('*') && !(c === '*' || c === '**' || /^[^*]+\.\*\*?$/.test(c))) {
    return `'${c}' is not a class filter pattern: '*' and '**' may only stand as the whole last segment (pkg.*, pkg.**)`;
  }
  return undefined;
}

/** A rule with its matchers compiled once. */
export function compileRule(rule: Rule): CompiledRule {
  const regex = rule.regex === undefined ? undefined : new RegExp(`^(?:${rule.regex})$`);
  const classGlob = rule.classes === undefined ? undefined : classGlobMatcher(rule.classes);
  const resourceGlob = rule.resources === undefined ? undefined : pathGlobMatcher(rule.resources);
  const matchClass =
    classGlob === undefined && regex === undefined
      ? undefined
      : (name: string) => (classGlob === undefined || classGlob(name)) && (regex === undefined || regex.test(name));
  const matchText =
    resourceGlob === undefined && regex === undefined
      ? undefined
      : (text: string) =>
          (resourceGlob === undefined || resourceGlob(text)) && (regex === undefined || regex.test(text));
  return { ...rule, matchClass, matchText };
}
