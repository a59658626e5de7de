/** The few error types that reach the one exit point in main.ts. */
import type { Finding } from '../model/findings.js';

/** Wrong flags or arguments: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input files or environment: exit 2. Carries the findings that say where. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly findings: readonly Finding[] = [],
    /** File texts, so that the findings can be placed at line and column. */
    readonly texts: ReadonlyMap<string, string> = new Map(),
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A bug: exit 2 with a short report, the stack only with NI_CONFIG_DEBUG=1. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
