/**
 * A trace session: the work directory every trace and invoke uses (agent output lands in
 * `agent/` below it), removed when the session closes — also on Ctrl-C or SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { onInterrupt } from '../io/cleanup.js';

/** Prefix of every work directory, under the OS temp directory (TMPDIR). */
export const WORK_PREFIX = 'ni-config-trace-';

export interface Session {
  /** The work directory. */
  readonly dir: string;
  /** Where the agent's run directories are written (locally) or copied to (from a container). */
  readonly agentDir: string;
  /** Removes the work directory; safe to call twice. */
  close(): Promise<void>;
}

/** A new work directory, removed on close, Ctrl-C or SIGTERM. */
export async function openSession(): Promise<Session> {
  const dir = await mkdtemp(join(tmpdir(), WORK_PREFIX));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  const unregister = onInterrupt(remove);
  const agentDir = join(dir, 'agent');
  const session: Session = {
    dir,
    agentDir,
    close: async () => {
      await remove();
      unregister();
    },
  };
  if (agentDir.includes(',')) {
    await session.close();
    throw new InputError(
      `the temp directory ${agentDir} contains a comma, which the agent's option syntax cannot carry`,
    );
  }
  return session;
}
