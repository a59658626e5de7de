/**
 * The container engines trace can use, one row each: a new engine is a row here and its class.
 * Detection: the one asked for, else a working docker (that is not podman), else podman.
 */
import { EngineError } from '../../errors.js';
import type { ContainerEngine, EngineName } from './engine.js';

export type { ContainerEngine, EngineName } from './engine.js';

/**
 * Each engine: how to make it over a given executable. Its code (and child_process) is loaded
 * only when one is made: the CLI names the engines in its flags and help without it.
 */
export const ENGINES = {
  docker: {
    summary: 'Docker (or any docker-compatible CLI)',
    create: async (bin: string) => new (await import('./docker.js')).DockerEngine(bin),
  },
  podman: {
    summary: 'podman',
    create: async (bin: string) => new (await import('./podman.js')).PodmanEngine(bin),
  },
} as const satisfies Record<EngineName, { summary: string; create: (bin: string) => Promise<ContainerEngine> }>;

export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];

/** The engine to use: the one asked for, else a working docker (that is not podman), else podman. `docker` that is really podman counts as podman. */
export async function detectEngine(preferred?: EngineName): Promise<ContainerEngine> {
  const { engineRun } = await import('./cli-engine.js');
  const candidates: EngineName[] = preferred ? [preferred] : ['docker', 'podman'];
  for (const bin of candidates) {
    const v = await engineRun(bin, ['--version'], 10_000).catch(() => undefined);
    if (v === undefined || v.code !== 0) continue;
    const isPodman = /podman/i.test(v.stdout);
    if (bin === 'docker' && !isPodman && !preferred) {
      // a docker client without a daemon cannot run anything: try podman then
      const info = await engineRun(bin, ['info', '--format', '{{.ServerVersion}}'], 10_000).catch(() => undefined);
      if (info === undefined || info.code !== 0) continue;
    }
    return ENGINES[isPodman ? 'podman' : 'docker'].create(bin);
  }
  throw new EngineError(
    preferred
      ? `${preferred} is not installed (or not on PATH)`
      : 'no container engine found: install docker or podman, or trace a local process with --cmd',
  );
}
