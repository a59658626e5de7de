/** Flags several commands share, declared once. */
import { FORMAT_NAMES, PRESET_NAMES, SECTION_NAMES, SECTIONS } from '../../commands/catalog.js';
import type { Format } from '../../commands/catalog.js';
import type { Section } from '../../model/sections.js';
import { plural, printable } from '../render/text.js';
import type { FlagSpec } from '../flags.js';

export const PRESET_LIST = PRESET_NAMES.join(', ');

export const outFlag = {
  type: 'string',
  flags: '-o, --out <path>',
  help: 'output directory, a .json file (unified), or - for stdout',
} as const satisfies FlagSpec;

export const formatFlag = {
  type: 'choice',
  flags: '--format <format>',
  help: "output format (default: the inputs' format when they agree, else unified)",
  choices: FORMAT_NAMES,
} as const satisfies FlagSpec;

export const dryRunFlag = {
  type: 'boolean',
  flags: '--dry-run',
  help: 'say what would be written, write nothing',
} as const satisfies FlagSpec;

/** The prune settings, for prune and for trace (which prunes what it collected the same way). */
export const pruneFlags = {
  preset: { type: 'list', flags: '--preset <name...>', help: `built-in presets, in order: ${PRESET_LIST}` },
  rules: { type: 'list', flags: '--rules <file...>', help: 'rule files, applied after the presets' },
  evidence: {
    type: 'string',
    flags: '--evidence <file>',
    help: "where the lookups came from: a trace's ni-config-evidence.json, or the agent's traces.json (trace-output) or partial-config-with-origins.json",
  },
  trace: {
    type: 'string',
    flags: '--trace <file>',
    help: "the same as --evidence (its name for the agent's traces.json)",
  },
  classpath: {
    type: 'list',
    flags: '--classpath <path...>',
    help: "the function's class path (jars, directories, globs, @argfiles): what its jars ship goes (lambda-runtime, libraries), stale entries are named, AOT-compiled namespaces told apart",
  },
  dropStale: {
    type: 'boolean',
    flags: '--drop-stale',
    help: 'remove entries whose class is neither on the class path nor in the JDK (N15), instead of only naming them',
  },
  keep: {
    type: 'list',
    flags: '--keep <path...>',
    help: 'pinned metadata: never pruned, and added back when the input lacks it',
  },
  libraryConfig: {
    type: 'list',
    flags: '--library-config <path...>',
    help: 'directories or jars whose META-INF/native-image metadata need not be repeated',
  },
  aggressive: {
    type: 'boolean',
    flags: '--aggressive',
    help: 'also remove name-only JDK and third-party entries and primitive arrays without trace evidence',
  },
} as const satisfies Record<string, FlagSpec>;

/** The prune flags as the use cases take them (undefined: the project file decides). */
export function pruneOptions(f: {
  preset: string[] | undefined;
  rules: string[] | undefined;
  evidence?: string | undefined;
  trace?: string | undefined;
  keep: string[] | undefined;
  libraryConfig: string[] | undefined;
  classpath: string[] | undefined;
  dropStale: boolean;
  aggressive: boolean;
}): {
  presets?: string[];
  rules?: string[];
  evidence?: string;
  keep?: string[];
  libraryConfig?: string[];
  classpath?: string[];
  dropStale?: boolean;
  aggressive?: boolean;
} {
  const evidence = f.evidence ?? f.trace;
  return {
    ...(f.preset ? { presets: f.preset } : {}),
    ...(f.rules ? { rules: f.rules } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
    ...(f.keep ? { keep: f.keep } : {}),
    ...(f.libraryConfig ? { libraryConfig: f.libraryConfig } : {}),
    ...(f.classpath ? { classpath: f.classpath } : {}),
    ...(f.dropStale ? { dropStale: true } : {}),
    ...(f.aggressive ? { aggressive: true } : {}),
  };
}

/** Entries per section, in words: `3 reflection entries, 1 resource`. */
export function entriesText(entries: Readonly<Record<Section, number>>): string {
  const parts = SECTION_NAMES.filter((s) => entries[s] > 0).map((s) => {
    const [one, many] = SECTIONS[s].noun;
    return `${entries[s]} ${entries[s] === 1 ? one : many}`;
  });
  return parts.join(', ') || 'no entries';
}

/** What was (or would be) written, and where: format, entries per section, files. */
export function summaryLine(
  format: Format,
  entries: Readonly<Record<Section, number>>,
  result: { readonly written: readonly string[]; readonly unchanged: readonly string[] },
  dryRun: boolean,
  output: string,
): string {
  const n = result.written.length + result.unchanged.length;
  const unchanged = result.unchanged.length > 0 ? `, ${result.unchanged.length} unchanged` : '';
  return `${dryRun ? 'would write' : 'wrote'} ${format} metadata (${entriesText(entries)}) to ${printable(output)} (${plural(n, 'file')}${unchanged})`;
}

/** Notes and warnings of an emit, one line each, printable. */
export function noteLines(
  notes: readonly { severity: string; message: string; entries: readonly string[] }[],
  warnings: readonly string[],
): string[] {
  const lines: string[] = [];
  for (const n of notes)
    lines.push(
      printable(
        `${n.severity}: ${n.message}${n.entries.length <= 5 ? `: ${n.entries.join('; ')}` : `: ${n.entries.slice(0, 5).join('; ')}; …`}`,
      ),
    );
  for (const w of warnings) lines.push(`warning: ${printable(w)}`);
  return lines;
}
