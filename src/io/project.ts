/**
 * The project file `ni-config.jsonc`: JSON with comments holding the defaults every command
 * reads. Flags override it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { finding, type Finding } from '../model/findings.js';
import { settingsFindings } from '../ops/settings-findings.js';
import type { ProjectConfig } from '../ops/settings.js';
import { parseJsonText } from '../model/json-text.js';
import { describeIoError } from './inputs.js';

export const PROJECT_FILE = 'ni-config.jsonc';

export type { ProjectConfig } from '../ops/settings.js';

export interface ProjectLoad {
  /** Undefined when there is no project file (and none was asked for). */
  readonly path: string | undefined;
  readonly text: string | undefined;
  readonly config: ProjectConfig;
  readonly findings: readonly Finding[];
}

/**
 * Reads the project file: the one named by `--config`, else `ni-config.jsonc` in the working
 * directory when there is one.
 */
export async function loadProject(explicit: string | undefined, cwd = process.cwd()): Promise<ProjectLoad> {
  const path = explicit ?? PROJECT_FILE;
  let text: string;
  try {
    // read at once (a small file): most runs then never load node:fs/promises
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    if (explicit === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path: undefined, text: undefined, config: {}, findings: [] };
    }
    return {
      path,
      text: undefined,
      config: {},
      findings: [finding('unreadable', path, '', describeIoError(e, 'cannot read the project file'))],
    };
  }
  const parsed = parseJsonText(text, path, true);
  if (!parsed.ok) return { path, text, config: {}, findings: [parsed.finding] };
  // the settings' validators (84 KB of code) are loaded only when there is a project file to check
  const { project: validateProject } = await import('../generated/settings.js');
  if (!validateProject(parsed.value)) {
    const findings = settingsFindings(
      validateProject.errors ?? [],
      path,
      (key) => `unknown setting '${key}' (see schemas/ni-config.schema.json)`,
      parsed.value,
    );
    return { path, text, config: {}, findings };
  }
  return { path, text, config: parsed.value as ProjectConfig, findings: [] };
}
