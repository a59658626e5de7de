/** podman's CLI (docker-compatible for everything trace uses, apart from what is overridden here). */
import { CliEngine } from './cli-engine.js';
import type { EngineResult } from './engine.js';

/** podman's CLI. */
export class PodmanEngine extends CliEngine {
  constructor(bin = 'podman') {
    super('podman', bin);
  }

  /**
   * `rm -f` stops with podman's 10 s timeout first, which a PID 1 that ignores SIGTERM (an entry
   * script without `exec`) sits out; by then the output has been copied out, so it is killed at once,
   * as docker's `rm -f` does.
   */
  override remove(name: string): Promise<EngineResult> {
    return this.command(['rm', '-f', '--time', '0', name]);
  }

  /** Remote podman (CONTAINER_HOST, CONTAINER_CONNECTION) talks to a service; local podman needs its storage and runtime. */
  protected override unreachableMessage(): string {
    const remote = process.env.CONTAINER_HOST ?? process.env.CONTAINER_CONNECTION;
    return remote
      ? `podman cannot reach its service (${process.env.CONTAINER_HOST ? 'CONTAINER_HOST' : 'CONTAINER_CONNECTION'}=${remote}): start it or point the variable at it, or use --engine docker`
      : 'podman is not working here (podman info fails too): check its setup, or use --engine docker';
  }
}
