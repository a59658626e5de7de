/** The project file every command reads first. */
import { InputError } from '../errors.js';
import { loadProject } from '../io/project.js';
import type { ProjectConfig } from '../ops/settings.js';
import type { CommandDeps, GlobalOptions } from './deps.js';

/** Loads ni-config.jsonc (or the file --config names); a broken project file is an input error. */
export async function readProject(
  options: GlobalOptions,
  deps: Pick<CommandDeps, 'cwd'>,
): Promise<{ config: ProjectConfig; path: string | undefined }> {
  const loaded = await loadProject(options.config, deps.cwd);
  if (loaded.findings.length > 0) {
    const texts = new Map(loaded.path !== undefined && loaded.text !== undefined ? [[loaded.path, loaded.text]] : []);
    throw new InputError(`the project file ${loaded.path ?? ''} is not valid`, loaded.findings, texts);
  }
  return { config: loaded.config, path: loaded.path };
}
