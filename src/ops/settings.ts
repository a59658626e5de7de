/**
 * The project file's shape (`ni-config.jsonc`, schemas/ni-config.schema.json), as commands read
 * it once it is valid. Reading and checking it is io/project.ts.
 */
import type { Format } from '../model/kinds.js';

/** The `prune` section: defaults for prune, and for trace when it prunes. */
export interface PruneSection {
  readonly presets?: readonly string[];
  readonly rules?: readonly string[];
  readonly keep?: readonly string[];
  readonly libraryConfig?: readonly string[];
  /** Lookup evidence: ni-config-evidence.json, or the agent's traces.json or partial-config-with-origins.json. */
  readonly evidence?: string;
  /** The same as `evidence` (its first name, for the agent's traces.json). */
  readonly trace?: string;
  /** The function's class path: jars, directories, globs, @argfiles. */
  readonly classpath?: readonly string[];
  readonly dropStale?: boolean;
  readonly aggressive?: boolean;
}

/** The `write` section: the META-INF/native-image layout. */
export interface WriteSection {
  readonly group?: string;
  readonly artifact?: string;
  readonly root?: string;
  readonly format?: Format;
  readonly args?: readonly string[];
}

/** The `trace` section: what runs and how, for trace and invoke. */
export interface TraceSection {
  readonly cmd?: string;
  readonly container?: string;
  readonly engine?: 'docker' | 'podman';
  readonly runtimeApi?: boolean;
  readonly rie?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly events?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly timeout?: number;
  readonly agentPath?: string;
  readonly period?: number;
  readonly out?: string;
  readonly write?: boolean;
  readonly mergeInto?: string;
  readonly format?: Format;
  readonly allowErrors?: boolean;
  /** Record which event first needed each entry (trace --attribute). */
  readonly attribute?: boolean;
}

export interface ProjectConfig {
  readonly inputs?: readonly string[];
  readonly format?: Format;
  readonly strict?: boolean;
  readonly maxFileSize?: number;
  readonly write?: WriteSection;
  readonly prune?: PruneSection;
  readonly trace?: TraceSection;
}
