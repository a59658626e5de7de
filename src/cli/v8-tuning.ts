/**
 * V8 settings for a command's process, set by the bin before a command runs (never by tests that
 * run the CLI in-process).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * How much a function runs (in bytecode executed) before V8 considers optimizing it: about six
 * times V8's default of 67,584. A command is a short run of much code, most of it hot only
 * briefly, and with the default V8 optimizes hundreds of functions on its second thread that
 * the command has all but finished with. Measured on this project's corpus (medians of 9 paired
 * runs): validate 1.60 → 1.21 s CPU, merge 2.01 → 1.60 s CPU, wall the same or lower; the 50 MB
 * merge, where the hot loops run long enough either way, 5.8 → 5.4 s.
 */
export const INTERRUPT_BUDGET_FLAG = '--interrupt-budget=400000';

/**
 * The same flag at V8's default (Node 20's V8 11.3; a test asks this node). A code cache is made
 * under the flags the bundle was compiled under, or the next run's V8 turns it down; the bin sets
 * this back before it makes one after a command (io/code-cache.ts).
 */
export const INTERRUPT_BUDGET_DEFAULT_FLAG = '--interrupt-budget=67584';

/**
 * No bytecode is let go of while a command runs. V8 drops the bytecode of a function that has not
 * run for a few full collections (a long command has many), and the code cache the bin makes
 * after a command (io/code-cache.ts) would then lose code of the commands it was made by before,
 * while it still lists them. What is kept is a few megabytes at most: the CLI's own code.
 */
export const BYTECODE_FLUSH_FLAG = '--no-flush-bytecode';
/** The same flag at V8's default. */
export const BYTECODE_FLUSH_DEFAULT_FLAG = '--flush-bytecode';

/** Sets the settings above. An unknown flag would be ignored without a word, so a test asks this node for each. */
export function tuneV8(): void {
  setFlagsFromString(INTERRUPT_BUDGET_FLAG);
  setFlagsFromString(BYTECODE_FLUSH_FLAG);
}

/** Sets V8's defaults back for the settings above. */
export function untuneV8(): void {
  setFlagsFromString(INTERRUPT_BUDGET_DEFAULT_FLAG);
  setFlagsFromString(BYTECODE_FLUSH_DEFAULT_FLAG);
}
