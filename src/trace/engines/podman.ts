/** podman's CLI (docker-compatible for everything trace uses). */
import { CliEngine } from './cli-engine.js';

/** podman's CLI. */
export class PodmanEngine extends CliEngine {
  constructor(bin = 'podman') {
    super('podman', bin);
  }
}
