/** Docker's CLI, where it differs from podman's (lambda-rie.md §8). */
import { CliEngine } from './cli-engine.js';
import type { EngineResult } from './engine.js';

/** Docker's CLI. */
export class DockerEngine extends CliEngine {
  constructor(bin = 'docker') {
    super('docker', bin);
  }

  /** `docker port` on a container with nothing published (or one that exited) exits 1: no addresses, not a failure. */
  override async port(name: string, containerPort: string): Promise<{ addresses: string[]; result: EngineResult }> {
    const r = await super.port(name, containerPort);
    if (r.result.code !== 0 && /no public port/i.test(r.result.stderr))
      return { addresses: [], result: { ...r.result, code: 0 } };
    return r;
  }

  /** The CLI talks to a daemon: DOCKER_HOST (or the default socket) names it. */
  protected override unreachableMessage(): string {
    const host = process.env.DOCKER_HOST;
    return `the Docker daemon is not reachable (${host ? `DOCKER_HOST=${host}` : 'DOCKER_HOST is not set, so the default socket'}): start it, point DOCKER_HOST at it, or use --engine podman`;
  }
}
