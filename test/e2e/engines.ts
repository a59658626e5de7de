/**
 * The container engines the e2e suites run on, the test image they share, and what a test run
 * leaves behind.
 *
 * - `engines`: podman when `podman info` works, docker when `docker info` works with the current
 *   environment (DOCKER_HOST; test/container/setup-docker.sh starts a daemon and prints it) and is
 *   not podman behind the docker CLI. NI_CONFIG_TEST_ENGINES=podman,docker narrows the list.
 *   A suite runs on each with `describe.each(engines)('... on $name', (engine) => ...)`.
 * - `ensureTestImage(engine)` builds the image when it is missing or its inputs label
 *   (test/container/inputs-hash.sh) differs, so that a stale image is never reused.
 * - Every container and image a test creates carries `RUN_LABEL` (`runLabel()` gives the
 *   arguments): `containersLeft` and `imagesLeft` see only this run's, `cleanupRun` removes only
 *   those, one `rm -f` per id. Containers of other runs and of users are never touched.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isMainThread } from 'node:worker_threads';
import { REPO } from '../helpers.js';

export type EngineName = 'podman' | 'docker';

export interface TestEngine {
  readonly name: EngineName;
  /** The executable (on PATH). */
  readonly bin: string;
}

/** The test image: built from scratch by test/container/build-image.sh, the same tag on every engine. */
export const IMAGE = 'localhost/ni-config-test/hello-java:latest';

/** The image label that holds the hash of the image's inputs. */
export const INPUTS_LABEL = 'ni-config-test-inputs';

/** The label key that marks what a test run created. */
export const RUN_LABEL_KEY = 'ni-config-test-run';

/**
 * This run's id: NI_CONFIG_TEST_RUN when set, else one per vitest process (the main process's pid
 * and start time, so every test file of one run shares it; random outside vitest workers).
 */
export const TEST_RUN: string = process.env.NI_CONFIG_TEST_RUN || defaultRunId();

/** `ni-config-test-run=<TEST_RUN>`. */
export const RUN_LABEL = `${RUN_LABEL_KEY}=${TEST_RUN}`;

/** The `--label` arguments every `run`, `create` or `build` in a test passes. */
export function runLabel(): string[] {
  return ['--label', RUN_LABEL];
}

function defaultRunId(): string {
  let pid: number;
  if (!isMainThread)
    pid = process.pid; // a worker thread: the process is vitest's own
  else if (process.env.VITEST && typeof process.send === 'function')
    pid = process.ppid; // a forked worker
  else return `r${randomBytes(6).toString('hex')}`;
  try {
    // field 22 of /proc/<pid>/stat: when the process started, so that a reused pid is another run
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return `p${pid}-${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  } catch {
    return `p${pid}-${randomBytes(4).toString('hex')}`;
  }
}

/** Runs an engine command (argv, no shell) and returns what it did. */
export function engineSync(engine: TestEngine, args: readonly string[], timeoutMs = 120_000): SpawnSyncReturns<string> {
  return spawnSync(engine.bin, [...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

function works(bin: string, args: string[]): string | undefined {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function detectEngines(): TestEngine[] {
  const wanted = (process.env.NI_CONFIG_TEST_ENGINES ?? 'podman,docker')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const found: TestEngine[] = [];
  for (const name of wanted) {
    if (name === 'podman' && works('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}']) !== undefined)
      found.push({ name: 'podman', bin: 'podman' });
    if (name === 'docker' && works('docker', ['info', '--format', '{{.ServerVersion}}']) !== undefined) {
      // the docker CLI in front of a podman service is podman
      const server = works('docker', ['version', '--format', '{{(index .Server.Components 0).Name}}']) ?? '';
      if (!/podman/i.test(server)) found.push({ name: 'docker', bin: 'docker' });
    }
  }
  return found;
}

/** The engines that work here, podman first. */
export const engines: readonly TestEngine[] = detectEngines();

/** The hash of the test image's inputs, as build-image.sh labels the image with it. */
export function inputsHash(): string {
  return execFileSync('bash', [join(REPO, 'test', 'container', 'inputs-hash.sh')], { encoding: 'utf8' }).trim();
}

function imageInfo(engine: TestEngine, image: string): { id: string; inputs: string | undefined } | undefined {
  const r = engineSync(engine, ['image', 'inspect', '--format', '{{.Id}} {{json .Config.Labels}}', image]);
  if (r.status !== 0) return undefined;
  const line = r.stdout.trim();
  const space = line.indexOf(' ');
  const labels = JSON.parse(line.slice(space + 1)) as Record<string, string> | null;
  return { id: line.slice(0, space), inputs: labels?.[INPUTS_LABEL] };
}

/**
 * Builds the test image on this engine when it is missing or was built from other inputs (the
 * label differs). The image it replaces is removed when no container uses it.
 */
export function ensureTestImage(engine: TestEngine): void {
  const want = inputsHash();
  const before = imageInfo(engine, IMAGE);
  if (before?.inputs === want) return;
  execFileSync('bash', [join(REPO, 'test', 'container', 'build-image.sh'), engine.name, IMAGE], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const after = imageInfo(engine, IMAGE);
  if (after?.inputs !== want)
    throw new Error(
      `${engine.name}: ${IMAGE} was built but its ${INPUTS_LABEL} label is ${after?.inputs}, not ${want}`,
    );
  // only that one image, and only if unused (rmi without -f refuses an image a container uses)
  if (before !== undefined && before.id !== after.id) engineSync(engine, ['rmi', before.id]);
}

function listed(r: SpawnSyncReturns<string>): string[] {
  return r.status === 0
    ? r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
    : [];
}

/** Names of this run's containers that still exist (any state). */
export function containersLeft(engine: TestEngine): string[] {
  return listed(engineSync(engine, ['ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', '{{.Names}}']));
}

/** Ids of this run's images that still exist. */
export function imagesLeft(engine: TestEngine): string[] {
  return listed(engineSync(engine, ['images', '--filter', `label=${RUN_LABEL}`, '--format', '{{.ID}}']));
}

/** Removes this run's containers and images (one id at a time), nothing else. */
export function cleanupRun(engine: TestEngine): void {
  const ids = listed(engineSync(engine, ['ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', '{{.ID}}']));
  for (const id of ids) engineSync(engine, ['rm', '-f', id]);
  for (const id of imagesLeft(engine)) engineSync(engine, ['rmi', '-f', id]);
}
