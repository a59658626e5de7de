/**
 * `ni-config init`: reads the build (and the Dockerfile) in the working directory, and writes a
 * commented ni-config.jsonc filled with what it found, with a TODO and a placeholder for what it
 * did not, and one sample event. read → compute → apply; `--dry-run` skips only the last step.
 * Nothing is overwritten, except ni-config.jsonc with `--force` (and then a diff says what changes).
 */
import { readFile, readdir, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { structuredPatch } from 'diff';
import { InputError, InternalError, UsageError } from '../errors.js';
import { project as validateProject } from '../generated/settings.js';
import { detectProject, type Found, type ProjectDetection } from '../io/build-files.js';
import { describeIoError } from '../io/inputs.js';
import { PROJECT_FILE } from '../io/project.js';
import { writeFilesAtomically } from '../io/write.js';
import { parseJsonText } from '../model/json-text.js';
import type { CommandDeps, GlobalOptions } from './deps.js';

export type { BuildInfo, ContainerInfo, Found, ProjectDetection } from '../io/build-files.js';

export interface InitOptions extends GlobalOptions {
  /** Replace an existing ni-config.jsonc (the result carries the diff). */
  readonly force?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

/** A file init writes, would write, or leaves as it is. */
export interface InitFile {
  /** Relative to the working directory (the project file: as `--config` names it). */
  readonly path: string;
  readonly action: 'create' | 'replace' | 'unchanged' | 'kept';
  /** The content written (or that would be); absent for a file kept as it is. */
  readonly text?: string;
}

/** The result of init: its `--json` output. */
export interface InitResult {
  readonly ok: true;
  readonly dryRun: boolean;
  readonly detected: ProjectDetection;
  /** How the trace section runs the function: the jar as a local process, or the image under its emulator. */
  readonly mode: 'cmd' | 'container';
  readonly files: readonly InitFile[];
  /** A unified diff of the project file, when `--force` replaces it with something else. */
  readonly diff: string | undefined;
  /** Absolute paths of the files written (none with --dry-run). */
  readonly written: readonly string[];
  /** What the project file leaves to fill in (marked TODO in it): `key: why`. */
  readonly placeholders: readonly string[];
  /** The commands to run next, in order. */
  readonly next: readonly string[];
  readonly warnings: readonly string[];
}

export const SAMPLE_EVENT = 'events/sample.json';
/** Where trace writes when the project file cannot name the layout yet. */
const TRACE_OUT = 'traced';
const SCHEMA = 'node_modules/ni-config/schemas/ni-config.schema.json';
const NO_BUILD = 'no build file here (pom.xml, build.gradle[.kts], build.sbt, project.clj, deps.edn)';

/** An API Gateway HTTP API (payload format 2.0) request, as Lambda hands it to the function. */
const SAMPLE_TEXT =
  JSON.stringify(
    {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', host: 'localhost' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'sample',
        domainName: 'localhost',
        http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'ni-config' },
        requestId: 'sample-request',
        routeKey: '$default',
        stage: '$default',
        time: '01/Jan/2024:00:00:00 +0000',
        timeEpoch: 1704067200000,
      },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    },
    null,
    2,
  ) + '\n';

/** Detects the build and writes the project file and the sample event. */
export async function runInit(options: InitOptions, deps: Pick<CommandDeps, 'cwd'>): Promise<InitResult> {
  const cwd = deps.cwd;
  const projectPath = options.config ?? PROJECT_FILE;
  const projectAbs = resolve(cwd, projectPath);
  const dryRun = Boolean(options.dryRun);
  const force = Boolean(options.force);

  // read: what is there already, and the build
  const existing = await readExisting(projectAbs, projectPath);
  const eventsDir = join(cwd, 'events');
  const events = await readdir(eventsDir).catch(() => undefined);
  const sampleExists = events?.includes(basename(SAMPLE_EVENT)) ?? false;
  const present = [...(existing.exists ? [projectPath] : []), ...(sampleExists ? [SAMPLE_EVENT] : [])];
  if (present.length > 0 && !force)
    throw new UsageError(
      `${present.join(' and ')} ${present.length === 1 ? 'exists' : 'exist'}; nothing was written (--force replaces ${projectPath}, showing what changes${sampleExists ? `, and keeps ${SAMPLE_EVENT}` : ''})`,
    );
  const detected = await detectProject(cwd);

  // compute: the project file, checked as every command will read it
  const plan = planProject(detected, schemaPath(projectAbs, cwd));
  checkProject(plan.text, projectPath);
  const otherEvents = (events ?? []).filter((n) => n.endsWith('.json') && n !== basename(SAMPLE_EVENT));
  const warnings = [...plan.warnings];
  let sample: InitFile | undefined;
  if (sampleExists) sample = { path: SAMPLE_EVENT, action: 'kept' };
  else if (otherEvents.length > 0)
    warnings.push(`events/ already holds ${otherEvents.length} event file(s): no sample event is added`);
  else sample = { path: SAMPLE_EVENT, action: 'create', text: SAMPLE_TEXT };
  const action = existing.text === undefined ? 'create' : existing.text === plan.text ? 'unchanged' : 'replace';
  const project: InitFile = { path: projectPath, action, text: plan.text };
  const diff = action === 'replace' ? unifiedDiff(projectPath, existing.text!, plan.text) : undefined;

  // apply: the sample first, so that a failure leaves no project file pointing at missing events
  const written: string[] = [];
  if (!dryRun) {
    let created: string | undefined;
    if (sample?.action === 'create') {
      created = (await writeFilesAtomically(eventsDir, new Map([[basename(SAMPLE_EVENT), SAMPLE_TEXT]]))).written[0];
      if (created) written.push(created);
    }
    try {
      if (action !== 'unchanged')
        written.push(
          ...(await writeFilesAtomically(dirname(projectAbs), new Map([[basename(projectAbs), plan.text]]))).written,
        );
    } catch (e) {
      if (created) {
        await unlink(created).catch(() => undefined);
        if (events === undefined) await rmdir(eventsDir).catch(() => undefined);
      }
      throw e;
    }
  }
  return {
    ok: true,
    dryRun,
    detected,
    mode: plan.mode,
    files: [project, ...(sample ? [sample] : [])],
    diff,
    written,
    placeholders: plan.placeholders,
    next: plan.next,
    warnings,
  };
}

async function readExisting(abs: string, shown: string): Promise<{ exists: boolean; text?: string }> {
  try {
    return { exists: true, text: await readFile(abs, 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new InputError(`${shown}: ${describeIoError(e, 'cannot read the existing project file')}`);
  }
}

/** The schema the package ships, relative to the project file (editors resolve it from there). */
function schemaPath(projectAbs: string, cwd: string): string {
  const rel = relative(dirname(projectAbs), resolve(cwd, SCHEMA)).split(sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

function checkProject(text: string, file: string): void {
  const parsed = parseJsonText(text, file, true);
  if (!parsed.ok || !validateProject(parsed.value))
    throw new InternalError(`the project file init made does not validate: ${JSON.stringify(validateProject.errors)}`);
}

function unifiedDiff(file: string, before: string, after: string): string {
  const patch = structuredPatch(file, file, before, after, '', '', { context: 3 });
  const lines = [
    `--- ${file}`,
    `+++ ${file}`,
    ...patch.hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]),
  ];
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// The project file

/** One key of the project file, with its one-line comment; `off`: written commented out (a placeholder). */
interface Entry {
  readonly key: string;
  readonly comment: string;
  readonly value?: unknown;
  readonly entries?: readonly Entry[];
  readonly off?: boolean;
}

/** JSONC text: every key under its comment, no trailing commas. */
export function renderJsonc(header: readonly string[], entries: readonly Entry[]): string {
  // one line: a line break (or any control character) in a value read from a build file ends no comment
  const one = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  const inline = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v);
  const body = (list: readonly Entry[], indent: string): string[] => {
    const lastLive = list.map((e) => !e.off).lastIndexOf(true);
    return list.flatMap((e, i) => {
      const comma = i < lastLive ? ',' : '';
      const lines = [`${indent}// ${one(e.comment)}`];
      if (e.entries)
        lines.push(`${indent}${JSON.stringify(e.key)}: {`, ...body(e.entries, indent + '  '), `${indent}}${comma}`);
      else if (e.off) lines.push(`${indent}// ${JSON.stringify(e.key)}: ${inline(e.value)},`);
      else lines.push(`${indent}${JSON.stringify(e.key)}: ${inline(e.value)}${comma}`);
      return lines;
    });
  };
  return [...header.map((h) => `// ${one(h)}`), '{', ...body(entries, '  '), '}', ''].join('\n');
}

/** A word a command line can carry as it is, else single-quoted (as trace splits it, like a shell would). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./<>-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const unknown = (placeholder: string): Found => ({ placeholder, from: NO_BUILD });

interface Plan {
  readonly text: string;
  readonly mode: 'cmd' | 'container';
  readonly placeholders: string[];
  readonly next: string[];
  readonly warnings: string[];
}

/** The project file for what was detected, and what to do next. */
export function planProject(d: ProjectDetection, schema: string): Plan {
  const b = d.build;
  const c = d.container;
  const placeholders: string[] = [];
  const warnings: string[] = [];
  const todo = (key: string, why: string): string => {
    placeholders.push(`${key}: ${why}`);
    return `TODO: ${why}`;
  };
  const coordinate = (key: 'group' | 'artifact', what: string, f: Found): Entry => {
    // one directory name of the layout, as write requires
    const bad = f.value !== undefined && (/[/\\\0]/.test(f.value) || ['', '.', '..'].includes(f.value));
    if (f.value !== undefined && !bad) return { key, value: f.value, comment: `${what}, from ${f.from}` };
    const why = bad ? `${f.from} is '${f.value}', which is not one directory name` : f.from;
    return {
      key,
      value: f.placeholder ?? `<${key}>`,
      off: true,
      comment: todo(`write.${key}`, `set the ${what} (${why})`),
    };
  };
  const group = coordinate('group', 'groupId', b?.group ?? unknown('<group>'));
  const artifact = coordinate('artifact', 'artifactId', b?.artifact ?? unknown('<artifact>'));
  const root = b?.resourceRoot ?? { value: 'src/main/resources', from: 'the Maven and Gradle convention' };
  const layoutKnown = !group.off && !artifact.off;

  const presets = b?.clojure ? ['clojure', 'default'] : ['default'];
  const mode = c?.lambdaBase ? 'container' : 'cmd';
  let target: Entry;
  if (mode === 'container') {
    const image = c!.image;
    const what = `the function's image, built from ${c!.dockerfile} (FROM ${c!.from}), run under the emulator its base image ships`;
    target =
      image.value !== undefined
        ? { key: 'container', value: image.value, comment: `${what}; its name from ${image.from}` }
        : {
            key: 'container',
            value: image.placeholder,
            comment: todo('trace.container', `the image's name (${image.from}): ${what}`),
          };
  } else {
    const jar = b?.jar ?? unknown('<jar>');
    const main = b?.mainClass;
    const made = `the jar ${b?.buildCommand ? `\`${b.buildCommand}\`` : 'the build'} makes`;
    const runs =
      main?.value !== undefined
        ? `its Main-Class (${main.value}) must run a Lambda Runtime API client`
        : 'java -jar needs a Main-Class that runs a Lambda Runtime API client';
    const cmd = `java -jar ${shellWord(jar.value ?? jar.placeholder ?? '<jar>')}`;
    target =
      jar.value !== undefined
        ? { key: 'cmd', value: cmd, comment: `the function as a local process: ${made} (${jar.from}); ${runs}` }
        : { key: 'cmd', value: cmd, comment: todo('trace.cmd', `the jar's path (${jar.from}); ${runs}`) };
    if (b && jar.value !== undefined && b.packagers.length === 0)
      warnings.push(
        `${b.files[0]}: nothing in the build makes a jar with the dependencies; java -jar ${jar.value} needs them on the class path`,
      );
    if (c)
      warnings.push(
        `${c.dockerfile} is FROM ${c.from ?? '(no FROM)'}, not an AWS Lambda Java base image: the trace runs the jar locally (an image with its own Runtime API client can be traced with "container" and "runtimeApi": true instead)`,
      );
  }
  if (b && mode === 'cmd' && b.jar.value !== undefined && b.mainClass.value === undefined)
    warnings.push(
      `${b.mainClass.from}: java -jar ${b.jar.value} needs a Main-Class that runs a Lambda Runtime API client`,
    );

  const entries: Entry[] = [
    {
      key: '$schema',
      value: schema,
      comment: 'the JSON Schema editors check this file against (it ships in the ni-config package)',
    },
    {
      key: 'inputs',
      value: [`${shownValue(root)}/META-INF/native-image`],
      comment: 'the metadata that validate, merge, convert, prune, write and diff read when given no paths',
    },
    {
      key: 'write',
      comment: 'write: the layout <root>/META-INF/native-image/<group>/<artifact>/ and its native-image.properties',
      entries: [
        group,
        artifact,
        root.value !== undefined
          ? {
              key: 'root',
              value: root.value,
              comment: `the resource root the layout goes under, which the build puts in the jar (${root.from})`,
            }
          : { key: 'root', value: root.placeholder, comment: todo('write.root', root.from) },
        {
          key: 'args',
          value: [],
          comment: 'native-image options for the Args line of native-image.properties (none yet)',
        },
      ],
    },
    {
      key: 'prune',
      comment: 'prune, and trace after it collects: the noise removed',
      entries: [
        {
          key: 'presets',
          value: presets,
          comment: b?.clojure
            ? 'built-in rule sets, in order: clojure removes the namespace-loading noise of AOT-compiled Clojure, default what no function needs'
            : "built-in rule sets: default removes what no function needs (the launcher's calls, hidden classes, .class resources, the Lambda runtime's own metadata)",
        },
      ],
    },
    {
      key: 'trace',
      comment: 'trace and invoke: what runs and how, so that `ni-config trace` alone repeats the trace',
      entries: [
        target,
        {
          key: 'events',
          value: ['events/*.json'],
          comment: `the event files, sent one at a time in name order (${SAMPLE_EVENT}: an API Gateway HTTP API request)`,
        },
        layoutKnown
          ? {
              key: 'write',
              value: true,
              comment: 'prune, validate and write the layout of the write section (instead of out)',
            }
          : {
              key: 'out',
              value: TRACE_OUT,
              comment: `where the collected metadata goes; \`ni-config write ${TRACE_OUT}\` puts it in the layout once write.group and write.artifact are set`,
            },
      ],
    },
  ];

  const sources = [...(b?.files ?? []), ...(c ? [c.dockerfile] : [])];
  const header = [
    'ni-config project file: the defaults every ni-config command reads (flags override them).',
    `Written by \`ni-config init\` from ${sources.length > 0 ? sources.join(', ') : 'no build file'}${placeholders.length > 0 ? '; TODO marks what it could not find' : ''}.`,
  ];

  for (const f of d.otherBuilds) warnings.push(`${f} is here too and was not read: the build is ${b!.files[0]}`);
  if (c && c.others.length > 0)
    warnings.push(`${c.others.join(', ')} not read: the image is built from ${c.dockerfile}`);

  const next: string[] = [];
  if (b?.buildCommand && !(mode === 'container' && c!.stages > 1)) next.push(b.buildCommand);
  if (mode === 'container')
    next.push(
      `docker build -t ${shellWord(shownValue(c!.image))}${c!.dockerfile === 'Dockerfile' ? '' : ` -f ${shellWord(c!.dockerfile)}`} .`,
    );
  next.push('ni-config trace');
  if (!layoutKnown) next.push(`ni-config write ${TRACE_OUT}`);
  return { text: renderJsonc(header, entries), mode, placeholders, next, warnings };
}

const shownValue = (f: Found): string => f.value ?? f.placeholder ?? '';
