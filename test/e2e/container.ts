/** The test image the container trace tests share, and what they check is left behind. */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../helpers.js';

export const IMAGE = 'localhost/ni-config-test/hello-java:latest';

/** Builds the test image when it is missing (.ci/run builds it first; building takes a few seconds). */
export function ensureTestImage(): void {
  if (spawnSync('podman', ['image', 'exists', IMAGE]).status !== 0)
    execFileSync('bash', [join(REPO, 'test', 'container', 'build-image.sh'), 'podman', IMAGE], { stdio: 'inherit' });
}

/** Names of trace containers that still exist, one per line ('' when none). */
export function containersLeft(): string {
  return spawnSync('podman', ['ps', '-a', '--filter', 'name=ni-config-trace-', '--format', '{{.Names}}'], {
    encoding: 'utf8',
  }).stdout.trim();
}
