/**
 * Work that must happen even when the user presses Ctrl-C or the process gets SIGTERM:
 * removing temp files, and later containers. main.ts installs the signal handlers.
 */
type Cleanup = () => Promise<void> | void;

const pending = new Set<Cleanup>();

/** Registers a cleanup; returns the function that unregisters it once the work is done. */
export function onInterrupt(fn: Cleanup): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

/** Runs every registered cleanup once, in reverse order of registration. */
export async function runCleanups(): Promise<void> {
  const fns = [...pending].reverse();
  pending.clear();
  for (const fn of fns) {
    try {
      await fn();
    } catch {
      // best effort: one failed cleanup must not stop the others
    }
  }
}
