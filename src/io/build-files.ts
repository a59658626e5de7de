/**
 * The build in a project directory, read from its files as text (no build tool runs): Maven,
 * Gradle, tools.build (deps.edn), Leiningen or sbt; the coordinates, the jar it makes and its
 * main class; the Dockerfile, its base image and the image's name. The parsing is forgiving
 * (comments, odd layouts, half-broken files); a value it cannot read is reported with why and a
 * placeholder, never guessed.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export type BuildKind = 'maven' | 'gradle' | 'deps.edn' | 'leiningen' | 'sbt';

/** A value read from the build files, or why there is none (with what to write in its place). */
export interface Found {
  readonly value?: string;
  /** Only when there is no value: the placeholder a file shows instead, `<...>` for the unknown parts. */
  readonly placeholder?: string;
  /** Where the value was read (`pom.xml <parent><groupId>`), or why there is none. */
  readonly from: string;
}

export interface BuildInfo {
  readonly kind: BuildKind;
  /** The build files read, the main one first. */
  readonly files: readonly string[];
  readonly group: Found;
  readonly artifact: Found;
  readonly version: Found;
  /** The runnable jar the build makes, relative to the project directory. */
  readonly jar: Found;
  /** What makes a jar with the dependencies: maven-shade-plugin, shadow, sbt-assembly, ...; empty when nothing does. */
  readonly packagers: readonly string[];
  /** The jar's Main-Class (for Clojure: the namespace's class). */
  readonly mainClass: Found;
  /** Clojure code: the clojure prune preset applies. */
  readonly clojure: boolean;
  /** The resource root the build packages into the jar. */
  readonly resourceRoot: Found;
  /** The command that makes the jar, when the build says. */
  readonly buildCommand: string | undefined;
}

export interface ContainerInfo {
  readonly dockerfile: string;
  /** Other Dockerfiles in the directory, not used. */
  readonly others: readonly string[];
  /** The base image of the final stage. */
  readonly from: string | undefined;
  /** Built on an AWS Lambda Java base image: it ships the Runtime Interface Emulator. */
  readonly lambdaBase: boolean;
  /** Its build stages (more than one: the image builds the jar itself). */
  readonly stages: number;
  /** The image's name, from a `docker build -t` line or the image title label. */
  readonly image: Found;
}

export interface ProjectDetection {
  /** The build used; undefined when there is no build file. */
  readonly build: BuildInfo | undefined;
  /** Build files of other kinds that are there too, not used. */
  readonly otherBuilds: readonly string[];
  readonly container: ContainerInfo | undefined;
}

/** The texts of the files detection reads, by path relative to the project directory. */
export interface ProjectFiles {
  /** The project directory's own name (Gradle's and sbt's default project name). */
  readonly dirName: string;
  readonly texts: ReadonlyMap<string, string>;
}

const found = (value: string, from: string): Found => ({ value, from });
const missing = (placeholder: string, from: string): Found => ({ placeholder, from });
const shown = (f: Found): string => f.value ?? f.placeholder ?? '';

/** The main build file of each kind, in the order one is chosen when there are several. */
const BUILD_FILES: readonly (readonly [BuildKind, readonly string[]])[] = [
  ['maven', ['pom.xml']],
  ['gradle', ['build.gradle.kts', 'build.gradle']],
  ['sbt', ['build.sbt']],
  ['leiningen', ['project.clj']],
  ['deps.edn', ['deps.edn']],
];
const SIDE_FILES = ['settings.gradle.kts', 'settings.gradle', 'gradle.properties', 'gradlew', 'build.clj'];
const DOCKERFILE =
  /^(?:Dockerfile|Containerfile)$|^[\w.-]+\.(?:Dockerfile|Containerfile)$|^(?:Dockerfile|Containerfile)\.[\w.-]+$/;
const SCRIPT = /^(?:GNUmakefile|Makefile|makefile|justfile|[\w.-]+\.(?:sh|bash|mk)|README(?:\.\w+)?)$/i;
const SCRIPT_DIRS = ['scripts', 'bin', 'project', '.github/workflows'];
const MAX_BYTES = 1024 * 1024;

async function textOf(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_BYTES) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads the files detection looks at: build files, Dockerfiles, and scripts that may build the image. */
export async function readProjectFiles(dir: string): Promise<ProjectFiles> {
  const texts = new Map<string, string>();
  const names = async (sub: string): Promise<string[]> =>
    (await readdir(join(dir, sub)).catch(() => [] as string[])).sort();
  const top = await names('.');
  const wanted = new Set([...BUILD_FILES.flatMap(([, f]) => f), ...SIDE_FILES]);
  const pick = top.filter((n) => wanted.has(n) || DOCKERFILE.test(n) || SCRIPT.test(n));
  for (const sub of SCRIPT_DIRS)
    for (const n of await names(sub)) if (SCRIPT.test(n) || /\.(?:ya?ml|sbt)$/.test(n)) pick.push(`${sub}/${n}`);
  for (const rel of pick) {
    const text = await textOf(join(dir, rel));
    if (text !== undefined) texts.set(rel, text);
  }
  return { dirName: basename(dir), texts };
}

/** Reads and detects in one go. */
export async function detectProject(dir: string): Promise<ProjectDetection> {
  return detectFrom(await readProjectFiles(dir));
}

/** The build and the container, from the files' texts. */
export function detectFrom(files: ProjectFiles): ProjectDetection {
  const present = BUILD_FILES.map(([kind, names]) => [kind, names.find((n) => files.texts.has(n))] as const).filter(
    (e): e is readonly [BuildKind, string] => e[1] !== undefined,
  );
  const [chosen, ...others] = present;
  const build = chosen ? READERS[chosen[0]](files) : undefined;
  return { build, otherBuilds: others.map(([, f]) => f), container: detectContainer(files) };
}

const READERS: Record<BuildKind, (files: ProjectFiles) => BuildInfo> = {
  maven: (f) => maven(f.texts.get('pom.xml') ?? ''),
  gradle: gradle,
  sbt: sbt,
  leiningen: (f) => leiningen(f.texts.get('project.clj') ?? ''),
  'deps.edn': depsEdn,
};

// ---------------------------------------------------------------------------------------------
// Maven

interface Xml {
  readonly name: string;
  readonly children: Xml[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** A forgiving XML reader: elements and their text; unclosed or stray tags do not stop it. */
export function parseXml(text: string): Xml {
  const root: Xml = { name: '', children: [], text: '' };
  const stack: Xml[] = [root];
  const open = new Map<string, number>(); // how many elements of each name the stack holds
  const src = text
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<\?[\s\S]*?(?:\?>|$)/g, '')
    .replace(/<!DOCTYPE[^>]*(?:>|$)/gi, '');
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)/y;
  const top = (): Xml => stack[stack.length - 1]!;
  let i = 0;
  // every scan stops at the next '<', so that no input makes this more than linear
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt !== i) top().text += decodeXml(src.slice(i, lt < 0 ? src.length : lt));
    if (lt < 0) break;
    if (src.startsWith('<![CDATA[', lt)) {
      const close = src.indexOf(']]>', lt + 9);
      top().text += src.slice(lt + 9, close < 0 ? src.length : close);
      i = close < 0 ? src.length : close + 3;
      continue;
    }
    tag.lastIndex = lt;
    const m = tag.exec(src);
    if (!m) {
      i = lt + 1; // a stray '<'
      continue;
    }
    let j = lt + m[0].length;
    let quote = '';
    for (; j < src.length && src[j] !== '<'; j++) {
      const c = src[j]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    i = src[j] === '>' ? j + 1 : j; // an unfinished tag is dropped
    if (src[j] !== '>') continue;
    const name = m[2]!.replace(/^[\w.-]*:/, '');
    if (m[1] === '/') {
      if (!open.get(name)) continue; // a closing tag nothing opened
      while (stack.length > 1) {
        const el = stack.pop()!;
        open.set(el.name, open.get(el.name)! - 1);
        if (el.name === name) break;
      }
    } else {
      const el: Xml = { name, children: [], text: '' };
      top().children.push(el);
      if (src[j - 1] !== '/') {
        stack.push(el);
        open.set(name, (open.get(name) ?? 0) + 1);
      }
    }
  }
  return root;
}

function kid(el: Xml | undefined, ...path: string[]): Xml | undefined {
  let cur = el;
  for (const name of path) cur = cur?.children.find((c) => c.name === name);
  return cur;
}
const kids = (el: Xml | undefined, name: string): Xml[] => el?.children.filter((c) => c.name === name) ?? [];
const text = (el: Xml | undefined): string | undefined => el?.text.trim() || undefined;
/** The elements of a name below `el`, in document order (without recursion: nesting can be deep). */
function descendants(el: Xml, name: string): Xml[] {
  const out: Xml[] = [];
  const todo = [...el.children].reverse();
  while (todo.length > 0) {
    const c = todo.pop()!;
    if (c.name === name) out.push(c);
    for (let k = c.children.length - 1; k >= 0; k--) todo.push(c.children[k]!);
  }
  return out;
}

function maven(pom: string): BuildInfo {
  const doc = parseXml(pom);
  const project = kid(doc, 'project') ?? doc;
  const parent = kid(project, 'parent');
  const props = new Map<string, string>();
  for (const p of kid(project, 'properties')?.children ?? []) props.set(p.name, text(p) ?? '');
  const own = (name: string): string | undefined => text(kid(project, name));
  const inherited = (name: string): string | undefined => own(name) ?? text(kid(parent, name));
  for (const key of ['groupId', 'artifactId', 'version']) {
    const v = key === 'artifactId' ? own(key) : inherited(key);
    if (v !== undefined) for (const prefix of ['project.', 'pom.', '']) props.set(prefix + key, v);
    const pv = text(kid(parent, key));
    if (pv !== undefined) props.set(`project.parent.${key}`, pv);
  }
  /** `${...}` resolved from the pom's own properties and coordinates; undefined with the names it lacks. */
  const resolveProps = (value: string): { value?: string; unknown?: string[] } => {
    let out = value;
    for (let depth = 0; depth < 8 && /\$\{[^}]+\}/.test(out); depth++) {
      out = out.replace(/\$\{([^}]+)\}/g, (m, k: string) => props.get(k) ?? m);
      if (out.length > 4096) return { unknown: [`${value} (a property that expands without end)`] };
    }
    const unknown = [...out.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!);
    return unknown.length > 0 ? { unknown } : { value: out };
  };
  const coordinate = (key: 'groupId' | 'artifactId' | 'version', placeholder: string, inherits: boolean): Found => {
    const mine = own(key);
    const theirs = inherits ? text(kid(parent, key)) : undefined;
    const raw = mine ?? theirs;
    const where =
      mine !== undefined
        ? `pom.xml <${key}>`
        : `pom.xml <parent><${key}> (the project sets none of its own, so it inherits its parent's)`;
    if (raw === undefined)
      return missing(placeholder, `pom.xml has no <${key}>${inherits ? ', in the project or its <parent>' : ''}`);
    const r = resolveProps(raw);
    return r.value !== undefined
      ? found(r.value, where)
      : missing(placeholder, `${where} is ${raw}, and pom.xml does not define ${r.unknown!.join(', ')}`);
  };
  const group = coordinate('groupId', '<group>', true);
  const artifact = coordinate('artifactId', '<artifact>', false);
  const version = coordinate('version', '<version>', true);

  const clojure = kids(kid(project, 'dependencies'), 'dependency').some(
    (d) => text(kid(d, 'groupId')) === 'org.clojure' && text(kid(d, 'artifactId')) === 'clojure',
  );
  const plugins = kids(kid(project, 'build', 'plugins'), 'plugin');
  const pluginName = (p: Xml): string => text(kid(p, 'artifactId')) ?? '';
  const configs = (p: Xml): Xml[] => [
    ...kids(p, 'configuration'),
    ...kids(kid(p, 'executions'), 'execution').flatMap((e) => kids(e, 'configuration')),
  ];
  const setting = (p: Xml, name: string): string | undefined =>
    configs(p)
      .map((c) => text(kid(c, name)))
      .find((v) => v !== undefined);

  const fallbackName = `${shown(artifact)}-${shown(version)}`;
  const finalNameRaw = text(kid(project, 'build', 'finalName'));
  const finalName = ((): Found => {
    if (finalNameRaw === undefined) {
      const known = artifact.value !== undefined && version.value !== undefined;
      return known
        ? found(fallbackName, 'pom.xml <artifactId>-<version> (no <build><finalName>)')
        : missing(fallbackName, artifact.value === undefined ? artifact.from : version.from);
    }
    const r = resolveProps(finalNameRaw);
    return r.value !== undefined
      ? found(r.value, 'pom.xml <build><finalName>')
      : missing(
          finalNameRaw.replace(/\$\{([^}]+)\}/g, '<$1>'),
          `pom.xml <build><finalName> is ${finalNameRaw}, and pom.xml does not define ${r.unknown!.join(', ')}`,
        );
  })();
  const inTarget = (name: string, why: string, base: Found = finalName): Found =>
    base.value !== undefined ? found(`target/${name}`, why) : missing(`target/${name}`, base.from);

  const packaging = own('packaging') ?? 'jar';
  const packagers: string[] = [];
  let jar: Found;
  const fat = plugins.find((p) => /^maven-(?:shade|assembly)-plugin$|^spring-boot-maven-plugin$/.test(pluginName(p)));
  if (packaging === 'pom') {
    const modules = kids(kid(project, 'modules'), 'module').map((m) => text(m) ?? '');
    jar = missing(
      'target/<jar>',
      `pom.xml is a parent (<packaging>pom</packaging>${modules.length ? `, modules ${modules.join(', ')}` : ''}) and makes no jar: run init in the function's module`,
    );
  } else if (fat && pluginName(fat) === 'maven-shade-plugin') {
    packagers.push('maven-shade-plugin');
    const shadeName = setting(fat, 'finalName');
    const attached = setting(fat, 'shadedArtifactAttached') === 'true';
    const classifier = setting(fat, 'shadedClassifierName') ?? 'shaded';
    const r = shadeName !== undefined ? resolveProps(shadeName) : undefined;
    if (r?.value !== undefined) jar = found(`target/${r.value}.jar`, 'maven-shade-plugin <finalName>');
    else if (r)
      jar = missing(`target/<shade finalName>.jar`, `maven-shade-plugin <finalName> is ${shadeName}, not defined`);
    else if (attached)
      jar = inTarget(
        `${shown(finalName)}-${classifier}.jar`,
        `maven-shade-plugin attaches the shaded jar with classifier ${classifier}`,
      );
    else jar = inTarget(`${shown(finalName)}.jar`, 'maven-shade-plugin replaces the main jar with the shaded one');
  } else if (fat && pluginName(fat) === 'maven-assembly-plugin') {
    packagers.push('maven-assembly-plugin');
    const refs = configs(fat).flatMap((c) => kids(kid(c, 'descriptorRefs'), 'descriptorRef').map((d) => text(d)));
    const name = setting(fat, 'finalName');
    const r = name !== undefined ? resolveProps(name) : undefined;
    const base: Found =
      r === undefined
        ? finalName
        : r.value !== undefined
          ? found(r.value, 'maven-assembly-plugin <finalName>')
          : missing('<assembly finalName>', `maven-assembly-plugin <finalName> is ${name}, not defined`);
    const append = setting(fat, 'appendAssemblyId') !== 'false';
    jar = refs.includes('jar-with-dependencies')
      ? inTarget(
          `${shown(base)}${append ? '-jar-with-dependencies' : ''}.jar`,
          'maven-assembly-plugin, descriptorRef jar-with-dependencies',
          base,
        )
      : missing(
          `target/${shown(base)}-<assembly id>.jar`,
          "maven-assembly-plugin uses its own descriptor: the descriptor's <id> ends the jar's name",
        );
  } else {
    if (fat) packagers.push('spring-boot-maven-plugin');
    jar = inTarget(
      `${shown(finalName)}.jar`,
      fat
        ? 'spring-boot-maven-plugin repackages the main jar'
        : "the main jar; no shade or assembly plugin, so it holds only the project's classes and java -jar needs the dependencies on the class path",
    );
  }
  const mainRaw = plugins.flatMap((p) => descendants(p, 'mainClass')).map((m) => text(m))[0];
  const mainResolved = mainRaw !== undefined ? resolveProps(mainRaw).value : undefined;
  const mainClass =
    mainResolved !== undefined
      ? found(mainResolved, 'pom.xml <mainClass> of a build plugin')
      : missing(
          '<main class>',
          mainRaw ? `pom.xml <mainClass> is ${mainRaw}, not defined` : 'no <mainClass> in pom.xml',
        );
  return {
    kind: 'maven',
    files: ['pom.xml'],
    group,
    artifact,
    version,
    jar,
    packagers,
    mainClass,
    clojure,
    resourceRoot: found('src/main/resources', "Maven's resource root"),
    buildCommand: 'mvn package',
  };
}

// ---------------------------------------------------------------------------------------------
// C-style sources: Gradle (Groovy, Kotlin) and sbt (Scala)

/** The text with `//` and `/* *\/` comments blanked out; strings (with their escapes) left alone. */
export function stripSlashComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const two = src.slice(i, i + 2);
    const three = src.slice(i, i + 3);
    if (two === '//') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (two === '/*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (three === '"""' || three === "'''") {
      const end = src.indexOf(three, i + 3);
      const stop = end < 0 ? src.length : end + 3;
      out += src.slice(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Blanks every `{ ... }` block except those named in `keep` (`allprojects { }`), so that only top-level statements remain. */
function topLevel(src: string, keep: ReadonlySet<string>): string {
  let out = '';
  const visible: boolean[] = [true];
  let quote: string | undefined;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const shownHere = visible[visible.length - 1]!;
    if (quote) {
      if (c === '\\') {
        out += shownHere ? c + (src[i + 1] ?? '') : '  ';
        i++;
        continue;
      }
      if (c === quote || c === '\n') quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') {
      const name = /([A-Za-z_]\w*)\s*(?:\([^()]*\))?\s*$/.exec(src.slice(Math.max(0, i - 200), i))?.[1] ?? '';
      visible.push(shownHere && keep.has(name));
    } else if (c === '}' && visible.length > 1) {
      visible.pop();
      out += ' ';
      continue;
    }
    out += shownHere || c === '\n' ? c : ' ';
  }
  return out;
}

/** The bodies of the blocks a pattern (ending in `{`) opens. */
function blocks(src: string, opener: RegExp): string[] {
  const out: string[] = [];
  const re = new RegExp(opener.source, 'g');
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let depth = 1;
    let j = m.index + m[0].length;
    const start = j;
    for (; j < src.length && depth > 0; j++) depth += src[j] === '{' ? 1 : src[j] === '}' ? -1 : 0;
    out.push(src.slice(start, depth === 0 ? j - 1 : j));
    re.lastIndex = j; // blocks inside this one are part of it: each character is scanned once
  }
  return out;
}

const LITERAL = String.raw`(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')`;

/** A string literal at the start of `rhs`: its value, or why it is not one (a template, an expression). */
function literal(rhs: string): { value?: string; expression?: string } {
  const m = new RegExp(`^\\s*${LITERAL}\\s*\\)?\\s*;?\\s*$`).exec(rhs);
  const expression = rhs.trim().slice(0, 60);
  if (!m) return { expression };
  if (m[1] !== undefined) return /\$/.test(m[1]) ? { expression } : { value: m[1].replace(/\\(.)/g, '$1') };
  return { value: m[2]!.replace(/\\(.)/g, '$1') };
}

/** Every right-hand side of `key = ...` / `key "..."` / `key.set(...)` in the text. */
function assignments(src: string, key: string): string[] {
  const re = new RegExp(
    String.raw`(?:^|[\s;(,{])(?:project\.)?${key}\s*(?:\.set\(|=(?!=)|(?=\s+["']))\s*([^\n;]*)`,
    'gm',
  );
  return [...src.matchAll(re)].map((m) => m[1]!);
}

function properties(src: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (src ?? '').split(/\r?\n/)) {
    const m = /^\s*([\w.-]+)\s*[=:](.*)$/.exec(line);
    if (m && !/^\s*[#!]/.test(line)) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

/** One setting of a Gradle build: the last top-level assignment decides (if it is a literal), else gradle.properties. */
function gradleSetting(
  file: string,
  src: string,
  key: string,
  placeholder: string,
  props: { file: string; values: ReadonlyMap<string, string> } | undefined,
): Found | undefined {
  const last = assignments(src, key).at(-1);
  if (last !== undefined) {
    const l = literal(last);
    return l.value !== undefined
      ? found(l.value, `${file} ${key}`)
      : missing(placeholder, `${file} sets ${key} to an expression (${l.expression})`);
  }
  const p = props?.values.get(key);
  if (p !== undefined && p !== '') return found(p, `${props!.file} ${key}`);
  return undefined;
}

function gradle(files: ProjectFiles): BuildInfo {
  const file = files.texts.has('build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle';
  const raw = stripSlashComments(files.texts.get(file) ?? '');
  const top = topLevel(raw, new Set(['allprojects', 'subprojects']));
  const settingsFile = ['settings.gradle.kts', 'settings.gradle'].find((n) => files.texts.has(n));
  const settings = stripSlashComments(settingsFile ? files.texts.get(settingsFile)! : '');
  const props = files.texts.has('gradle.properties')
    ? { file: 'gradle.properties', values: properties(files.texts.get('gradle.properties')) }
    : undefined;
  const used = [file, ...(settingsFile ? [settingsFile] : []), ...(props ? [props.file] : [])];

  const group =
    gradleSetting(file, top, 'group', '<group>', props) ??
    missing('<group>', `no group in ${file}${props ? ' or gradle.properties' : ''}`);
  const versionSet = gradleSetting(file, top, 'version', '<version>', props);
  const version = versionSet ?? missing('', `no version in ${file}${props ? ' or gradle.properties' : ''}`);

  const nameRhs = /rootProject\.(?:name\s*=|setName\()\s*([^\n;]*)/.exec(settings)?.[1];
  const nameLit = nameRhs !== undefined ? literal(nameRhs.replace(/\)\s*$/, '')) : undefined;
  const artifact =
    nameLit?.value !== undefined
      ? found(nameLit.value, `${settingsFile} rootProject.name`)
      : nameLit
        ? missing('<artifact>', `${settingsFile} sets rootProject.name to an expression (${nameLit.expression})`)
        : found(
            files.dirName,
            `the directory's name (Gradle's default: ${settingsFile ?? 'no settings.gradle[.kts]'}${settingsFile ? ' sets no rootProject.name' : ''})`,
          );

  const shadow =
    /["'](?:com\.github\.johnrengelman\.shadow|com\.gradleup\.shadow|io\.github\.goooler\.shadow)["']/.test(raw) ||
    /\blibs\.plugins\.shadow\b/.test(raw);
  const shadowBody = blocks(raw, /(?:\bshadowJar\b["']?\s*\)?|\bShadowJar\s*>\s*(?:\(\s*\))?)\s*\{/g).join('\n');
  const taskSetting = (key: string): { value?: string; expression?: string } | undefined => {
    const rhs = assignments(shadowBody, key)[0];
    return rhs === undefined ? undefined : literal(rhs.replace(/\)\s*$/, ''));
  };
  const baseRhs = [...assignments(raw, 'archivesName'), ...assignments(raw, 'archivesBaseName')][0];
  const baseLit = baseRhs !== undefined ? literal(baseRhs.replace(/\)\s*$/, '')) : undefined;

  let jar: Found;
  const fileName = shadow ? taskSetting('archiveFileName') : undefined;
  const unknownParts: string[] = [];
  const part = (label: string, v: { value?: string; expression?: string } | undefined, fallback: Found): string => {
    if (v?.value !== undefined) return v.value;
    if (v) {
      unknownParts.push(`shadowJar ${label} is an expression (${v.expression})`);
      return `<${label}>`;
    }
    if (fallback.value === undefined) unknownParts.push(fallback.from);
    return shown(fallback);
  };
  if (fileName?.value !== undefined) jar = found(`build/libs/${fileName.value}`, `${file} shadowJar archiveFileName`);
  else if (fileName) jar = missing('build/libs/<jar>', `${file} shadowJar archiveFileName is an expression`);
  else {
    const baseFound =
      baseLit?.value !== undefined
        ? found(baseLit.value, `${file} archivesName`)
        : baseLit
          ? missing('<archives name>', `${file} sets archivesName to an expression`)
          : artifact;
    const base = part('archiveBaseName', shadow ? taskSetting('archiveBaseName') : undefined, baseFound);
    const ver = part('archiveVersion', shadow ? taskSetting('archiveVersion') : undefined, version);
    const cls = shadow
      ? (taskSetting('archiveClassifier') ?? taskSetting('classifier') ?? { value: 'all' })
      : { value: '' };
    const classifier = part('archiveClassifier', cls, found('', ''));
    const name = [base, ver, classifier].filter((p) => p !== '').join('-');
    const why = shadow
      ? `the shadow plugin's jar: ${[base, ver, classifier].filter((p) => p !== '').length === 3 ? 'name-version-classifier' : 'from the shadowJar settings'}${versionSet ? '' : ' (no version set, so none in the name)'}`
      : `the jar task's jar; no shadow plugin, so it holds only the project's classes and java -jar needs the dependencies on the class path${versionSet ? '' : ' (no version set, so none in the name)'}`;
    jar =
      unknownParts.length === 0
        ? found(`build/libs/${name}.jar`, why)
        : missing(`build/libs/${name}.jar`, unknownParts.join('; '));
  }
  const mainLit = [
    ...assignments(raw, 'mainClass'),
    ...assignments(raw, 'mainClassName'),
    ...[...raw.matchAll(/["']Main-Class["']\s*(?:\]\s*=|to|:|,)\s*([^\n,)]*)/g)].map((m) => m[1]!),
  ]
    .map((r) => literal(r.replace(/\)\s*$/, '')))
    .find((l) => l.value !== undefined);
  const gradlew = files.texts.has('gradlew') ? './gradlew' : 'gradle';
  return {
    kind: 'gradle',
    files: used,
    group,
    artifact,
    version: versionSet ?? missing('<version>', version.from),
    jar,
    packagers: shadow ? ['shadow'] : [],
    mainClass: mainLit?.value
      ? found(mainLit.value, `${file} mainClass / Main-Class`)
      : missing('<main class>', `no literal mainClass or Main-Class in ${file}`),
    clojure: /dev\.clojurephant/.test(raw) || /["']org\.clojure:clojure:/.test(raw),
    resourceRoot: found('src/main/resources', "Gradle's resource root"),
    buildCommand: `${gradlew} ${shadow ? 'shadowJar' : 'build'}`,
  };
}

function sbt(files: ProjectFiles): BuildInfo {
  const src = stripSlashComments(files.texts.get('build.sbt') ?? '');
  const pluginFiles = [...files.texts.keys()].filter((k) => /^project\/[^/]+\.sbt$/.test(k));
  const assembly = pluginFiles.some((k) => /["']sbt-assembly["']/.test(files.texts.get(k)!));
  /** A `key := "..."` setting (also `ThisBuild / key`, `key in ThisBuild`); undefined when it is not set. */
  const setting = (key: string, placeholder: string): Found | undefined => {
    const re = new RegExp(String.raw`(?:^|[\s(,])(?:\w+\s*/\s*)?${key}\s*(?:in\s+\w+\s*)?:=\s*([^\n,)]*\)?)`, 'gm');
    const rhs = [...src.matchAll(re)].map((m) => m[1]!.trim());
    const values = [...new Set(rhs.map((r) => literal(r).value).filter((v): v is string => v !== undefined))];
    if (values.length === 1) return found(values[0]!, `build.sbt ${key}`);
    if (values.length > 1)
      return missing(
        placeholder,
        `build.sbt sets several ${key}s (${values.join(', ')}): a multi-project build; set the function's`,
      );
    if (rhs.length > 0)
      return missing(placeholder, `build.sbt sets ${key} to an expression (${literal(rhs[0]!).expression})`);
    return undefined;
  };
  const group = setting('organization', '<group>') ?? missing('<group>', 'no organization in build.sbt');
  const artifact =
    setting('name', '<artifact>') ??
    found(files.dirName, "the directory's name (sbt's default: build.sbt sets no name)");
  const version =
    setting('version', '<version>') ?? found('0.1.0-SNAPSHOT', "sbt's default (build.sbt sets no version)");
  const scala =
    setting('scalaVersion', '<scala version>') ?? missing('<scala version>', 'no scalaVersion in build.sbt');
  const jarName = setting('assemblyJarName', '<jar>');
  const crossPaths = !/\bcrossPaths\s*:=\s*false\b/.test(src);
  // sbt's cross-target: the binary version for Scala 2 (scala-2.13), the full version for Scala 3
  const binary = scala.value?.startsWith('3.') ? scala.value : /^\d+\.\d+/.exec(scala.value ?? '')?.[0];
  const dir = crossPaths ? `target/scala-${binary ?? '<scala version>'}` : 'target';
  const unknown: string[] = crossPaths && binary === undefined ? [scala.from] : [];
  let name: string;
  if (jarName) {
    name = shown(jarName);
    if (jarName.value === undefined) unknown.push(jarName.from);
  } else {
    name = `${shown(artifact)}-assembly-${shown(version)}.jar`;
    for (const f of [artifact, version]) if (f.value === undefined) unknown.push(f.from);
  }
  const jar = !assembly
    ? missing(`${dir}/<jar>`, 'no sbt-assembly in project/*.sbt: sbt package makes a jar without the dependencies')
    : unknown.length > 0
      ? missing(`${dir}/${name}`, unknown.join('; '))
      : found(
          `${dir}/${name}`,
          jarName ? 'build.sbt assemblyJarName' : "sbt-assembly's default: name-assembly-version.jar",
        );
  const main = /\bmainClass\b[^:\n]*:=\s*Some\(\s*"([^"$]+)"\s*\)/.exec(src)?.[1];
  return {
    kind: 'sbt',
    files: ['build.sbt', ...pluginFiles],
    group,
    artifact,
    version,
    jar,
    packagers: assembly ? ['sbt-assembly'] : [],
    mainClass: main
      ? found(main, 'build.sbt mainClass')
      : missing('<main class>', 'no mainClass := Some("...") in build.sbt'),
    clojure: false,
    resourceRoot: found('src/main/resources', "sbt's resource root"),
    buildCommand: assembly ? 'sbt assembly' : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Clojure: Leiningen and tools.build

/** The text with `;` comments blanked out; strings left alone. */
export function stripLispComments(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
    } else if (c === '\\' && i + 1 < src.length) {
      out += src.slice(i, i + 2); // a character literal such as \; or \"
      i++;
    } else if (c === ';') {
      while (i < src.length && src[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

const SYMBOL = String.raw`[A-Za-z*+!_?<>=.\-][\w*+!?<>=.\-/]*`;
/** A Clojure namespace's class name: `my-fn.core` → `my_fn.core`. */
const munge = (ns: string): string => ns.replace(/-/g, '_');

function leiningen(text: string): BuildInfo {
  const src = stripLispComments(text);
  const head = new RegExp(String.raw`\(defproject\s+(${SYMBOL})\s+`).exec(src);
  const name = head?.[1];
  const rest = head ? src.slice(head.index + head[0].length) : '';
  const [g, a] = name?.includes('/') ? name.split('/', 2) : [name, name];
  const group = g
    ? found(
        g,
        name!.includes('/') ? 'project.clj defproject' : 'project.clj defproject (no group: Leiningen uses the name)',
      )
    : missing('<group>', 'no (defproject ...) in project.clj');
  const artifact = a ? found(a, 'project.clj defproject') : missing('<artifact>', 'no (defproject ...) in project.clj');
  const vStr = /^"((?:[^"\\]|\\.)*)"/.exec(rest)?.[1];
  const version =
    vStr !== undefined
      ? found(vStr, 'project.clj defproject')
      : missing(
          '<version>',
          head ? `project.clj computes the version (${expressionAt(rest)})` : 'no (defproject ...) in project.clj',
        );
  const uberName = /:uberjar-name\s+"([^"]+)"/.exec(src)?.[1];
  const targetRaw = /:target-path\s+"([^"]+)"/.exec(src)?.[1];
  const target = (targetRaw ?? 'target/%s').replace(/%s/g, 'uberjar').replace(/\/+$/, '');
  const file = uberName ?? `${shown(artifact)}-${shown(version)}-standalone.jar`;
  const unknown = uberName ? [] : [artifact, version].filter((f) => f.value === undefined).map((f) => f.from);
  const jar =
    unknown.length === 0
      ? found(
          `${target}/${file}`,
          uberName ? 'project.clj :uberjar-name' : "lein uberjar's default: name-version-standalone.jar",
        )
      : missing(`${target}/${file}`, unknown.join('; '));
  const main = new RegExp(String.raw`:main\s+(?:\^\S+\s+)?(${SYMBOL})`).exec(src)?.[1];
  const resources = /:resource-paths\s*\[\s*"([^"]+)"/.exec(src)?.[1];
  return {
    kind: 'leiningen',
    files: ['project.clj'],
    group,
    artifact,
    version,
    jar,
    packagers: ['lein uberjar'],
    mainClass: main ? found(munge(main), 'project.clj :main') : missing('<main class>', 'no :main in project.clj'),
    clojure: true,
    resourceRoot: resources
      ? found(resources, 'project.clj :resource-paths')
      : found('resources', "Leiningen's default :resource-paths"),
    buildCommand: 'lein uberjar',
  };
}

function depsEdn(files: ProjectFiles): BuildInfo {
  const deps = stripLispComments(files.texts.get('deps.edn') ?? '');
  const buildClj = files.texts.get('build.clj');
  const src = stripLispComments(buildClj ?? '');
  const noBuild = 'deps.edn without a build.clj: the uberjar is named by whatever builds it';
  /** The value of `(def name ...)`: a string, a quoted symbol, or the expression. */
  const def = (name: string): { value?: string; expression?: string } | undefined => {
    const m = new RegExp(String.raw`\(def\s+${name}\s+`).exec(src);
    if (!m) return undefined;
    const rest = src.slice(m.index + m[0].length);
    const str = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    if (str) return { value: str[1]! };
    const sym = new RegExp(String.raw`^'(${SYMBOL})`).exec(rest);
    if (sym) return { value: sym[1]! };
    return { expression: expressionAt(rest) };
  };
  const lib = def('lib');
  const [g, a] = lib?.value ? (lib.value.includes('/') ? lib.value.split('/', 2) : [lib.value, lib.value]) : [];
  const group = g
    ? found(g, lib!.value!.includes('/') ? 'build.clj lib' : 'build.clj lib (unqualified: its group is its name)')
    : missing(
        '<group>',
        buildClj === undefined ? noBuild : lib ? 'build.clj computes lib' : 'no (def lib ...) in build.clj',
      );
  const artifact = a
    ? found(a, 'build.clj lib')
    : missing(
        '<artifact>',
        buildClj === undefined ? noBuild : lib ? 'build.clj computes lib' : 'no (def lib ...) in build.clj',
      );
  const v = def('version');
  const version = v?.value
    ? found(v.value, 'build.clj version')
    : missing(
        '<version>',
        buildClj === undefined
          ? noBuild
          : v
            ? `build.clj computes the version (${v.expression})`
            : 'no (def version ...) in build.clj',
      );

  /** A tools.build path expression: a string, or (format "..." args) with lib, (name lib), version. */
  const evaluate = (expr: { value?: string; expression?: string }): Found => {
    if (expr.value !== undefined) return found(expr.value, 'build.clj uber-file');
    const fmt = /^\(format\s+"((?:[^"\\]|\\.)*)"([\s\S]*)\)$/.exec(expr.expression ?? '');
    if (!fmt) return missing('target/<uber-file>.jar', `build.clj computes uber-file (${expr.expression})`);
    const args = [...fmt[2]!.matchAll(/\(\s*name\s+lib\s*\)|"[^"]*"|[^\s()]+/g)].map((m) => m[0]);
    const unknown: string[] = [];
    const use = (f: Found, text: string): string => {
      if (f.value === undefined) unknown.push(f.from);
      return text;
    };
    let n = 0;
    const path = fmt[1]!.replace(/%s/g, () => {
      const arg = args[n++] ?? '';
      if (/^\(\s*name\s+lib\s*\)$/.test(arg)) return use(artifact, shown(artifact));
      if (arg === 'lib') return use(artifact, lib?.value ?? '<lib>');
      if (arg === 'version') return use(version, shown(version));
      if (arg.startsWith('"')) return arg.slice(1, -1);
      unknown.push(`build.clj's uber-file uses ${arg}`);
      return `<${arg}>`;
    });
    return unknown.length === 0 ? found(path, 'build.clj uber-file') : missing(path, [...new Set(unknown)].join('; '));
  };
  const uberKey = /:uber-file\s+("(?:[^"\\]|\\.)*"|[\w-]+)/.exec(src)?.[1];
  const uberDef = uberKey && !uberKey.startsWith('"') ? def(uberKey) : def('uber-file');
  const jar =
    buildClj === undefined
      ? missing('target/<uberjar>.jar', noBuild)
      : uberKey?.startsWith('"')
        ? found(uberKey.slice(1, -1), 'build.clj b/uber :uber-file')
        : uberDef
          ? evaluate(uberDef)
          : missing('target/<uberjar>.jar', 'no uber-file in build.clj');
  const uberAt = src.indexOf('(b/uber');
  const task =
    uberAt >= 0
      ? [...src.slice(0, uberAt).matchAll(new RegExp(String.raw`\(defn\s+(${SYMBOL})`, 'g'))].at(-1)?.[1]
      : undefined;
  const alias = /:build\s*\{/.test(deps);
  // :main 'my.ns is the namespace; :main main-ns names a def that holds it
  const mainRef = new RegExp(String.raw`:main\s+('?)(${SYMBOL})`).exec(src);
  const main = mainRef ? (mainRef[1] ? mainRef[2] : def(mainRef[2]!)?.value) : undefined;
  const paths = [...(/:paths\s*\[([^\]]*)\]/.exec(deps)?.[1]?.matchAll(/"([^"]+)"/g) ?? [])].map((m) => m[1]!);
  const resources = paths.find((p) => /(?:^|\/)resources$/.test(p));
  return {
    kind: 'deps.edn',
    files: ['deps.edn', ...(buildClj !== undefined ? ['build.clj'] : [])],
    group,
    artifact,
    version,
    jar,
    packagers: uberAt >= 0 ? ['tools.build uber'] : [],
    mainClass: main
      ? found(munge(main), 'build.clj :main')
      : missing('<main class>', buildClj === undefined ? noBuild : 'no :main in build.clj'),
    clojure: true,
    resourceRoot: resources
      ? found(resources, 'deps.edn :paths')
      : missing(
          'resources',
          'deps.edn :paths has no resources directory: add "resources" to :paths so that the jar carries the metadata',
        ),
    buildCommand: task && alias ? `clojure -T:build ${task}` : undefined,
  };
}

/** The form at the start of `text` (balanced parentheses), shortened for a message. */
function expressionAt(text: string): string {
  let depth = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      if (--depth === 0) {
        i++;
        break;
      }
    } else if (depth === 0 && /\s/.test(c)) break;
  }
  return text.slice(0, i).replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// Dockerfile and the image's name

const LAMBDA_JAVA = /^(?:public\.ecr\.aws\/lambda\/java|amazon\/aws-lambda-java)(?:[:@]|$)/;

/** Dockerfile lines: continuations joined, comments and blank lines dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const out: { op: string; args: string }[] = [];
  let cur = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      cur += line.replace(/\\\s*$/, ' ');
      continue;
    }
    cur += line;
    const m = /^\s*([A-Za-z]+)(?:\s+|$)/.exec(cur);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: cur.slice(m[0].length).trim() });
    cur = '';
  }
  return out;
}

/** `${X}`, `${X:-d}`, `$X` replaced from the variables given; undefined when one is unknown. */
function substitute(value: string, vars: ReadonlyMap<string, string>, make = false): string | undefined {
  const re = make
    ? /\$\(([\w.]+)\)|\$\{([\w.]+)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g
    : /\$\{([\w]+)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)()/g;
  let unknown = false;
  const out = value.replace(re, (m, ...g: (string | undefined)[]) => {
    const [name, fallback] = make ? [g[0] ?? g[1] ?? g[3], g[2]] : [g[0] ?? g[2], g[1]];
    const v = vars.get(name!) ?? fallback;
    if (v === undefined) unknown = true;
    return v ?? m;
  });
  return unknown ? undefined : out;
}

const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/, '$2');

interface Dockerfile {
  readonly from: string | undefined;
  readonly title: string | undefined;
  readonly stages: number;
}

function readDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages = new Map<string, string>();
  let from: string | undefined;
  let title: string | undefined;
  let seenFrom = false;
  let count = 0;
  for (const { op, args: rest } of instructions(text)) {
    if (op === 'ARG' && !seenFrom) {
      const m = /^([\w]+)=(.*)$/.exec(rest.trim());
      if (m) args.set(m[1]!, unquote(m[2]!));
    } else if (op === 'FROM') {
      seenFrom = true;
      count++;
      const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
      const image = substitute(words[0] ?? '', args) ?? words[0] ?? '';
      const base = stages.get(image.toLowerCase()) ?? image;
      if (words[1]?.toLowerCase() === 'as' && words[2]) stages.set(words[2].toLowerCase(), base);
      from = base;
      title = undefined; // labels belong to the stage they are in
    } else if (op === 'LABEL') {
      const m = /(?:^|\s)["']?org\.opencontainers\.image\.title["']?(?:=|\s+)("[^"]*"|'[^']*'|\S+)/.exec(rest);
      if (m) title = unquote(m[1]!);
    }
  }
  return { from, title, stages: count };
}

/** The image a `docker build -t NAME` (podman, nerdctl, buildah bud) line in a script or README names. */
function imageFromScripts(
  texts: ReadonlyMap<string, string>,
  dockerfile: string,
): { name?: string; file?: string; unresolved?: string } {
  let unresolved: string | undefined;
  const order = [...texts.keys()]
    .filter((k) => SCRIPT.test(basename(k)) || k.startsWith('.github/workflows/'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const file of order) {
    const text = texts.get(file)!;
    const make = /(?:^|\/)(?:GNUmakefile|Makefile|makefile|[\w.-]+\.mk)$/.test(file);
    const vars = new Map<string, string>();
    const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    for (const line of lines) {
      const assign = make
        ? /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*(?:\?|:|::|\+)?=(.*)$/.exec(line)
        : /^\s*(?:export\s+)?([A-Za-z_]\w*)=(\S*)\s*$/.exec(line);
      if (assign) {
        const v = unquote(assign[2]!.trim());
        vars.set(assign[1]!, substitute(v, vars, make) ?? v);
        continue;
      }
      const build = /\b(?:docker|podman|nerdctl|buildah)(?:\s+buildx)?(?:\s+image)?\s+(?:build|bud)\b(.*)/.exec(line);
      if (!build) continue;
      const argv = build[1]!;
      const f = /(?:^|\s)(?:-f|--file)(?:\s+|=)(\S+)/.exec(argv)?.[1];
      const fileArg = f ? basename(unquote(f)) : undefined;
      if (fileArg !== undefined ? fileArg !== dockerfile : !/^(?:Dockerfile|Containerfile)$/.test(dockerfile)) continue;
      const tag = /(?:^|\s)(?:-t|--tag)(?:\s+|=)(\S+)/.exec(argv)?.[1];
      if (!tag) continue;
      const name = substitute(unquote(tag.replace(/[`;]+$/, '')), vars, make);
      if (name !== undefined && !/[$<>`]/.test(name) && name !== '') return { name, file };
      unresolved ??= `${file} builds the image as ${tag}, which is not a literal name`;
    }
  }
  return unresolved ? { unresolved } : {};
}

function rank(file: string): number {
  if (/(?:^|\/)(?:GNUmakefile|Makefile|makefile|[\w.-]+\.mk|justfile)$/.test(file)) return 0;
  if (/\.(?:sh|bash)$/.test(file)) return 1;
  if (file.startsWith('.github/')) return 2;
  return 3;
}

function detectContainer(files: ProjectFiles): ContainerInfo | undefined {
  const all = [...files.texts.keys()].filter((k) => !k.includes('/') && DOCKERFILE.test(k));
  if (all.length === 0) return undefined;
  const read = new Map(all.map((k) => [k, readDockerfile(files.texts.get(k)!)]));
  const usual = (k: string): number => (/^(?:Dockerfile|Containerfile)$/.test(k) ? 0 : 1);
  const sorted = [...all].sort((a, b) => usual(a) - usual(b) || a.localeCompare(b));
  // a Lambda Java image is the one ni-config can trace as it is
  const dockerfile = sorted.find((k) => LAMBDA_JAVA.test(read.get(k)!.from ?? '')) ?? sorted[0]!;
  const { from, title, stages } = read.get(dockerfile)!;
  const script = imageFromScripts(files.texts, dockerfile);
  const image = script.name
    ? found(script.name, `${script.file} (docker build -t)`)
    : title
      ? found(title, `${dockerfile} LABEL org.opencontainers.image.title (a title: check that it is the tag you build)`)
      : missing(
          '<image>',
          script.unresolved ??
            `no docker build -t in a Makefile, script or README, and no image title label in ${dockerfile}`,
        );
  return {
    dockerfile,
    others: sorted.filter((k) => k !== dockerfile),
    from,
    lambdaBase: LAMBDA_JAVA.test(from ?? ''),
    stages,
    image,
  };
}
