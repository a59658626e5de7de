/**
 * The function's class path, read from disk: jars (with their manifests' Class-Path, as the
 * JVM follows them), directories, globs and @argfiles; what each jar ships in its own
 * META-INF/native-image; and the classes of a JDK (`jimage list`), for stale entries.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import fg from 'fast-glob';
import { finding, type Finding } from '../model/findings.js';
import type { ClasspathElement } from '../ops/prune/classpath.js';
import { describeIoError, propertiesReferences, type Source } from './inputs.js';
import { withJar } from './jar.js';
import { JarError } from '../errors.js';
import { kindOfFileName } from '../model/kinds.js';

/** A jar's own metadata (its META-INF/native-image/**), for subtracting what it ships (N16). */
export interface JarMetadata {
  /** The jar, as named. */
  readonly jar: string;
  /** The directory below META-INF/native-image/ each file is in (`com.amazonaws/aws-lambda-java-runtime-interface-client/`). */
  readonly sources: readonly (Source & { readonly dir: string })[];
}

export interface ReadClasspath {
  readonly elements: ClasspathElement[];
  readonly metadata: JarMetadata[];
  /** Elements that could not be read (missing, not a jar): the JVM skips them too, so they are warnings. */
  readonly findings: Finding[];
}

/**
 * The elements a list of class path items stands for: each item may be `a.jar:b/`, a glob
 * (`lib/*.jar`), Java's `lib/*` (every jar in lib), or `@file` (items one per line). Relative
 * paths are resolved against `cwd`.
 */
export function expandClasspath(items: readonly string[], cwd: string): { paths: string[]; findings: Finding[] } {
  const paths: string[] = [];
  const findings: Finding[] = [];
  const add = (item: string, base: string): void => {
    if (item === '') return;
    if (item.startsWith('@')) {
      const file = resolve(base, item.slice(1));
      try {
        for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) add(line.trim(), dirname(file));
      } catch (e) {
        findings.push(finding('unreadable', item.slice(1), '', describeIoError(e, 'cannot read the argfile')));
      }
      return;
    }
    if (item.includes(delimiter) && !existsSync(resolve(base, item))) {
      for (const part of item.split(delimiter)) add(part, base);
      return;
    }
    // Java's wildcard: `dir/*` is every jar in dir
    const pattern = item.endsWith('/*') ? `${item}.jar` : item;
    if (/[*?[\]{}]/.test(pattern)) {
      const matched = fg.sync(pattern, { cwd: base, absolute: true, onlyFiles: false }).sort();
      if (matched.length === 0)
        findings.push(finding('no-match', item, '', `no file matches the class path glob ${item}`));
      paths.push(...matched);
      return;
    }
    paths.push(resolve(base, item));
  };
  for (const item of items) add(item, cwd);
  return { paths, findings };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) pending.push(path);
      else if (e.isFile()) out.push(path);
    }
  }
  return out.sort();
}

/** The files a jar names in its manifest's Class-Path, resolved as the JVM does (relative to the jar's directory). */
function manifestClassPath(value: string | undefined, jar: string): string[] {
  if (value === undefined) return [];
  return value
    .split(/\s+/)
    .filter((u) => u !== '')
    .map((u) => {
      const path = decodeURIComponent(u.replace(/^file:/, ''));
      return isAbsolute(path) ? path : join(dirname(jar), path);
    });
}

/** Reads every element: its entries, and for jars their metadata and the jars their manifests add. */
export async function readClasspath(
  paths: readonly string[],
  shown: (abs: string) => string = (p) => p,
): Promise<ReadClasspath> {
  const elements: ClasspathElement[] = [];
  const metadata: JarMetadata[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const queue = [...paths];
  while (queue.length > 0) {
    const path = queue.shift()!;
    let real: string;
    try {
      real = realpathSync(path);
    } catch (e) {
      findings.push(finding('unreadable', shown(path), '', describeIoError(e, 'class path element')));
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const name = shown(path);
    try {
      if (statSync(real).isDirectory()) {
        elements.push({ source: name, entries: walk(real) });
        continue;
      }
      await withJar(real, async (jar) => {
        const entries = jar.names();
        elements.push({ source: name, entries });
        const sources: (Source & { dir: string })[] = [];
        for (const entry of entries) {
          if (!entry.startsWith('META-INF/native-image/')) continue;
          const base = entry.slice(entry.lastIndexOf('/') + 1);
          const dir = entry.slice('META-INF/native-image/'.length, entry.length - base.length);
          const kind = kindOfFileName(base);
          if (kind) sources.push({ file: `${name}!/${entry}`, text: await jar.readText(entry), kind, dir });
          else if (base === 'native-image.properties') {
            for (const ref of propertiesReferences(await jar.readText(entry))) {
              const target = `META-INF/native-image/${dir}${ref.path}`;
              if (jar.has(target) && !sources.some((s) => s.file.endsWith(`!/${target}`)))
                sources.push({ file: `${name}!/${target}`, text: await jar.readText(target), kind: ref.kind, dir });
            }
          }
        }
        if (sources.length > 0) metadata.push({ jar: name, sources });
        const manifest = await jar.manifest();
        queue.push(...manifestClassPath(manifest?.get('Class-Path'), real));
      });
    } catch (e) {
      const message = e instanceof JarError ? e.message.replace(`${real}: `, '') : describeIoError(e, 'cannot read it');
      findings.push(finding('unreadable', name, '', `class path element: ${message}`));
    }
  }
  return { elements, metadata, findings };
}

/** The class path a `java` command line runs with: -cp/-classpath/--class-path, -jar's manifest, else CLASSPATH, else `.`. */
export function javaClasspath(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { items: string[]; jar: string | undefined } | undefined {
  if (argv.length === 0 || !/(^|\/)java$/.test(argv[0]!)) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-cp' || a === '-classpath' || a === '--class-path')
      return { items: [argv[i + 1] ?? ''], jar: undefined };
    if (a.startsWith('--class-path=')) return { items: [a.slice('--class-path='.length)], jar: undefined };
    if (a === '-jar') return { items: [argv[i + 1] ?? ''], jar: argv[i + 1] };
    // the main class (or -m module) ends the JVM's own options
    if (!a.startsWith('-') || a === '-m' || a === '--module') break;
  }
  return { items: [env.CLASSPATH ?? '.'], jar: undefined };
}

/** The home of the JDK a `java` command runs from (this machine's `java` for a bare name). */
export function javaHome(java = 'java'): string | undefined {
  try {
    const path = realpathSync(isAbsolute(java) ? java : (which(java) ?? ''));
    return dirname(dirname(path));
  } catch {
    return undefined;
  }
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * What a trace knows of the JVM it ran: the `java` it started (locally), or its JDK's modules file
 * copied out of a container (null: none could be).
 */
export interface TracedJvm {
  readonly java?: string;
  readonly modules?: string | null;
}

/**
 * Which JDK's jimage lists a traced JVM's classes, and from which modules file: the JDK of the
 * `java` that ran (locally), or this machine's JDK reading the modules file copied out of the
 * container (never this machine's own classes for a container's JVM). Undefined `home`: no JDK
 * here to list them.
 */
export function jdkLister(traced: TracedJvm | undefined): { home: string | undefined; modules: string | undefined } {
  const modules = traced?.modules ?? undefined;
  return { home: javaHome(modules === undefined ? traced?.java : undefined), modules };
}

/**
 * Starts listing a traced JVM's JDK classes now, while the trace goes on, so that the prune after
 * it finds the listing done ({@link jdkClasses} keeps it): `jimage list` of a full JDK takes
 * seconds. Nothing is started when there is nothing to list; the listing under way is returned.
 */
export function listTracedJdkEarly(traced: TracedJvm | undefined): Promise<string[] | undefined> | undefined {
  if (traced?.modules === null) return undefined;
  const { home, modules } = jdkLister(traced);
  return home === undefined ? undefined : jdkClasses(home, modules);
}

const jdkCache = new Map<string, Promise<string[] | undefined>>();

/**
 * The classes of a JDK, listed by the `jimage` of the JDK at `home`: its own `lib/modules`, or
 * another JDK's modules file (one copied out of a container); undefined when there is no jimage
 * (a JRE) or it cannot read the file.
 */
export function jdkClasses(home: string, modules = join(home, 'lib', 'modules')): Promise<string[] | undefined> {
  const key = `${home}\u0000${modules}`;
  let hit = jdkCache.get(key);
  if (hit === undefined) {
    hit = new Promise((resolvePromise) => {
      const jimage = join(home, 'bin', 'jimage');
      if (!existsSync(jimage) || !existsSync(modules)) return resolvePromise(undefined);
      execFile(jimage, ['list', modules], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
        if (err) return resolvePromise(undefined);
        const out: string[] = [];
        for (const line of stdout.split('\n')) {
          const t = line.trim();
          if (t.endsWith('.class') && !t.endsWith('module-info.class')) out.push(t.slice(0, -6).replaceAll('/', '.'));
        }
        resolvePromise(out);
      });
    });
    jdkCache.set(key, hit);
  }
  return hit;
}
