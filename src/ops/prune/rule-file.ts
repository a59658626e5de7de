/**
 * Rule files: ni-config's JSONC rules, and the agent's filter files (`rules` / `regexRules` with
 * `includeClasses` / `excludeClasses`) as they are. Pure: the text was read and parsed by the caller.
 */
import { rules as validateRules } from '../../generated/settings.js';
import { finding, pointerAppend, type Finding } from '../../model/findings.js';
import type { Section } from '../../model/sections.js';
import { ruleProblem, type Rule } from './rules.js';
import { settingsFindings } from '../settings-findings.js';

type RuleJson = {
  includeClasses?: string;
  excludeClasses?: string;
  includeRegex?: string;
  excludeRegex?: string;
  includeResources?: string;
  excludeResources?: string;
  sections?: Section[];
  shape?: 'name-only' | 'with-members';
  condition?: boolean;
  reason?: string;
};

const MATCH_KEYS = [
  'includeClasses',
  'excludeClasses',
  'includeRegex',
  'excludeRegex',
  'includeResources',
  'excludeResources',
] as const;

/** The rules of a rule file (ni-config's JSONC or the agent's filter format), or findings that say what is wrong. */
export function parseRuleFile(value: unknown, file: string): { rules: Rule[]; findings: Finding[] } {
  const findings: Finding[] = [];
  if (!validateRules(value)) {
    findings.push(
      ...settingsFindings(
        validateRules.errors ?? [],
        file,
        (key) =>
          `unknown key '${key}'; expected one of ${MATCH_KEYS.join(', ')}, sections, shape, condition, reason (schemas/ni-config-rules.schema.json)`,
        value,
      ),
    );
    return { rules: [], findings };
  }
  const doc = value as { rules?: RuleJson[]; regexRules?: { includeClasses?: string; excludeClasses?: string }[] };
  const rules: Rule[] = [];
  (doc.rules ?? []).forEach((r, i) => {
    const ptr = pointerAppend('/rules', i);
    const keys = MATCH_KEYS.filter((k) => r[k] !== undefined);
    if (keys.length !== 1) {
      findings.push(
        finding(
          'schema',
          file,
          ptr,
          `a rule needs exactly one of ${MATCH_KEYS.join(', ')}; found ${keys.length === 0 ? 'none' : keys.join(' and ')}`,
        ),
      );
      return;
    }
    const key = keys[0]!;
    const pattern = r[key]!;
    const rule: Rule = {
      id: `${file}${ptr}`,
      action: key.startsWith('include') ? 'include' : 'exclude',
      ...(key.endsWith('Classes')
        ? { classes: pattern }
        : key.endsWith('Regex')
          ? { regex: pattern }
          : { resources: pattern }),
      ...(r.sections
        ? { sections: r.sections }
        : key.endsWith('Resources')
          ? { sections: ['resources', 'bundles'] as Section[] }
          : {}),
      ...(r.shape ? { shape: r.shape } : {}),
      ...(r.condition ? { onCondition: true } : {}),
      reason: r.reason ?? `${key} ${pattern} (${file})`,
    };
    const problem = ruleProblem(rule);
    if (problem)
      findings.push(finding(key.endsWith('Regex') ? 'bad-regex' : 'schema', file, pointerAppend(ptr, key), problem));
    else rules.push(rule);
  });
  (doc.regexRules ?? []).forEach((r, i) => {
    const ptr = pointerAppend('/regexRules', i);
    const include = r.includeClasses !== undefined;
    const rule: Rule = {
      id: `${file}${ptr}`,
      action: include ? 'include' : 'exclude',
      regex: (include ? r.includeClasses : r.excludeClasses)!,
      reason: `${include ? 'includeClasses' : 'excludeClasses'} ${(include ? r.includeClasses : r.excludeClasses)!} (${file})`,
    };
    const problem = ruleProblem(rule);
    if (problem)
      findings.push(
        finding('bad-regex', file, pointerAppend(ptr, include ? 'includeClasses' : 'excludeClasses'), problem),
      );
    else rules.push(rule);
  });
  return { rules, findings };
}
