/**
 * The few typed errors that reach the one exit point (cli/main.ts). Every layer may throw them;
 * each carries the fields a `--json` error object shows. Bad input that can be reported as
 * findings is returned as findings, not thrown; these are for what stops a command.
 */
import type { Finding } from './model/findings.js';

/** The exit codes: 0 ok, 1 findings or differences, 2 usage, input or environment error. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a failed command's `--json` output says of its error, beside `ok: false` and `error` (the message). */
export interface ErrorJson {
  readonly type: 'usage' | 'input' | 'engine' | 'git' | 'write' | 'jar' | 'internal';
  readonly [field: string]: unknown;
}

/** Base of every error the CLI reports by type; `json()` is what `--json` shows of it. */
export abstract class ReportedError extends Error {
  abstract json(): ErrorJson;
}

/** Wrong flags or arguments. */
export class UsageError extends ReportedError {
  override readonly name = 'UsageError';
  json(): ErrorJson {
    return { type: 'usage' };
  }
}

/** Bad input files or settings. Carries the findings that say where. */
export class InputError extends ReportedError {
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
  json(): ErrorJson {
    return { type: 'input' };
  }
}

/** A container engine command that failed, or an engine that cannot be used. */
export class EngineError extends ReportedError {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    /** The engine command, when one ran. */
    readonly argv: readonly string[] = [],
    readonly exitCode: number | null = null,
    /** The last lines of its stderr. */
    readonly stderrTail = '',
    options?: ErrorOptions & {
      /** What else went wrong on the way out (a container that could not be removed, with the command that removes it). */
      readonly warnings?: readonly string[];
    },
  ) {
    super(message, options);
    this.warnings = options?.warnings ?? [];
  }
  readonly warnings: readonly string[];
  json(): ErrorJson {
    return {
      type: 'engine',
      argv: this.argv,
      exitCode: this.exitCode,
      stderr: this.stderrTail,
      ...(this.warnings.length > 0 ? { warnings: this.warnings } : {}),
    };
  }
}

/** A git command that failed: unknown revision, path missing, not a repository. */
export class GitError extends ReportedError {
  override readonly name = 'GitError';
  constructor(
    message: string,
    readonly argv: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  json(): ErrorJson {
    return { type: 'git', argv: this.argv };
  }
}

/** A file that could not be written; nothing was replaced. */
export class WriteError extends ReportedError {
  override readonly name = 'WriteError';
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  json(): ErrorJson {
    const code = (this.cause as NodeJS.ErrnoException | undefined)?.code;
    return { type: 'write', path: this.path, ...(code ? { code } : {}) };
  }
}

/** A jar that could not be read. */
export class JarError extends ReportedError {
  override readonly name = 'JarError';
  constructor(
    message: string,
    readonly path: string = '',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  json(): ErrorJson {
    return { type: 'jar', path: this.path };
  }
}

/** A bug. */
export class InternalError extends ReportedError {
  override readonly name = 'InternalError';
  json(): ErrorJson {
    return { type: 'internal' };
  }
}
