/**
 * `ni-config init` in-process on copies of the fixture projects in fixtures/init/ (one per build
 * kind, and one built on a Lambda base image): what it detects, the project file it writes (loaded
 * as every command loads it), the sample event, the next commands, and that it never overwrites.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInit, type InitResult } from '../../src/commands/init.js';
import { loadProject } from '../../src/io/project.js';
import { loadEvents } from '../../src/trace/events.js';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

// the real use case, watched: the argv test below stops one call to see its options
vi.mock('../../src/commands/init.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/commands/init.js')>();
  return { ...real, runInit: vi.fn(real.runInit) };
});

const FIXTURES = join(REPO, 'fixtures', 'init');
const SCHEMA = './node_modules/ni-config/schemas/ni-config.schema.json';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function copy(kind: string): Promise<void> {
  await cp(join(FIXTURES, kind), dir, { recursive: true });
}

/** Every file under the directory with its content: what "nothing changed on disk" compares. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out[relative(root, path)] = await readFile(path, 'utf8');
    }
  return out;
}

async function init(args: string[] = []): Promise<InitResult> {
  const r = await run(['init', '--json', ...args], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as InitResult;
}

/** The project file as every command reads it; fails the test on any finding. */
async function project(file?: string): Promise<Record<string, unknown>> {
  const loaded = await loadProject(file, dir);
  expect(loaded.findings).toEqual([]);
  expect(loaded.path).toBe(file ?? 'ni-config.jsonc');
  return loaded.config as Record<string, unknown>;
}

/** Keys written without a comment on the line above (a commented-out placeholder counts as a key). */
function uncommentedKeys(text: string): string[] {
  const lines = text.split('\n');
  return lines
    .map((line, i) => ({ line, above: lines[i - 1] ?? '' }))
    .filter(({ line }) => /^\s*(?:\/\/ )?"[^"]+":/.test(line))
    .filter(({ above }) => !/^\s*\/\/ (?!")/.test(above))
    .map(({ line }) => line.trim());
}

/** The comment line above a key. */
function commentOf(text: string, key: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\s*(?:// )?"${key}":`).test(l));
  expect(at, `no "${key}" in\n${text}`).toBeGreaterThan(0);
  return lines[at - 1]!.trim();
}

const projectText = () => readFile(join(dir, 'ni-config.jsonc'), 'utf8');

describe('init on a Maven build (groupId from <parent>, maven-shade-plugin)', () => {
  beforeEach(() => copy('maven'));

  it('detects the coordinates, the shaded jar and the main class', async () => {
    const r = await init();
    const b = r.detected.build!;
    expect(b.kind).toBe('maven');
    expect(b.group).toEqual({
      value: 'com.example.platform',
      from: "pom.xml <parent><groupId> (the project sets none of its own, so it inherits its parent's)",
    });
    expect(b.artifact.value).toBe('orders-fn');
    expect(b.version.value).toBe('1.0.0');
    // <finalName>${project.artifactId}</finalName>, and shade replaces the main jar
    expect(b.jar.value).toBe('target/orders-fn.jar');
    // the assembly plugin in <pluginManagement> is not part of the build
    expect(b.packagers).toEqual(['maven-shade-plugin']);
    expect(b.mainClass.value).toBe('com.example.orders.Bootstrap');
    expect(r.detected.container).toBeUndefined();
    expect(r.mode).toBe('cmd');
    expect(r.placeholders).toEqual([]);
  });

  it('writes a project file every command loads, each key under a comment, and a sample event trace accepts', async () => {
    const r = await run(['init'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(await project()).toEqual({
      $schema: SCHEMA,
      inputs: ['src/main/resources/META-INF/native-image'],
      write: { group: 'com.example.platform', artifact: 'orders-fn', root: 'src/main/resources', args: [] },
      prune: { presets: ['default'] },
      trace: { cmd: 'java -jar target/orders-fn.jar', events: ['events/*.json'], write: true },
    });
    const text = await projectText();
    expect(uncommentedKeys(text)).toEqual([]);
    expect(commentOf(text, 'group')).toMatch(/^\/\/ groupId, from pom\.xml <parent><groupId>/);
    expect(commentOf(text, 'cmd')).toMatch(/`mvn package` makes .*Main-Class \(com\.example\.orders\.Bootstrap\)/);
    expect(text).not.toMatch(/TODO/);

    // the $schema path is where the package ships its schemas
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { name: string; files: string[] };
    expect(SCHEMA).toBe(`./node_modules/${pkg.name}/schemas/ni-config.schema.json`);
    expect(pkg.files).toContain('schemas');
    expect(existsSync(join(REPO, 'schemas', 'ni-config.schema.json'))).toBe(true);

    const event = JSON.parse(await readFile(join(dir, 'events', 'sample.json'), 'utf8')) as {
      version: string;
      requestContext: { http: { method: string } };
      body: string;
    };
    expect(event.version).toBe('2.0');
    expect(event.requestContext.http.method).toBe('POST');
    expect(JSON.parse(event.body)).toEqual({ hello: 'world' });
    const loaded = await loadEvents(['events/*.json'], [], dir);
    expect(loaded.findings).toEqual([]);
    expect(loaded.events.map((e) => e.name)).toEqual(['events/sample.json']);

    expect(r.stderr).toContain('  group      com.example.platform  (pom.xml <parent><groupId>');
    expect(r.stderr).toContain('wrote ni-config.jsonc, events/sample.json\n');
    expect(r.stderr).toMatch(/\nnext:\n {2}\$ mvn package\n {2}\$ ni-config trace\n$/);
    expect(r.stdout).toBe('');
  });

  it('refuses to overwrite, names the file, and changes nothing on disk', async () => {
    expect((await run(['init'], dir)).code).toBe(0);
    const before = await snapshot(dir);

    const again = await run(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^ni-config: ni-config\.jsonc and events\/sample\.json exist; nothing was written/m);
    expect(await snapshot(dir)).toEqual(before);

    // only the sample event there: still refused, and no project file appears
    await rm(join(dir, 'ni-config.jsonc'));
    const sampleOnly = await run(['init', '--json'], dir);
    expect(sampleOnly.code).toBe(2);
    expect(JSON.parse(sampleOnly.stdout)).toMatchObject({ ok: false, type: 'usage' });
    expect(sampleOnly.stderr).toMatch(/^ni-config: events\/sample\.json exists; nothing was written/m);
    expect(existsSync(join(dir, 'ni-config.jsonc'))).toBe(false);

    // only the project file there (even with --dry-run): refused too
    await rm(join(dir, 'events'), { recursive: true });
    await writeFile(join(dir, 'ni-config.jsonc'), '{}\n');
    const projectOnly = await run(['init', '--dry-run'], dir);
    expect(projectOnly.code).toBe(2);
    expect(projectOnly.stderr).toMatch(/^ni-config: ni-config\.jsonc exists; nothing was written \(--force/m);
    expect(projectOnly.stdout).toBe('');
    expect(existsSync(join(dir, 'events'))).toBe(false);
    expect(await projectText()).toBe('{}\n');
  });

  it('--force shows a unified diff of what changes, replaces the project file and keeps the sample event', async () => {
    expect((await run(['init'], dir)).code).toBe(0);
    const original = await projectText();
    await writeFile(
      join(dir, 'ni-config.jsonc'),
      original.replace('"presets": ["default"]', '"presets": ["launcher"]'),
    );
    await writeFile(join(dir, 'events', 'sample.json'), '{"mine": true}\n');

    const r = await run(['init', '--force'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--- ni-config.jsonc\n+++ ni-config.jsonc\n@@ -');
    expect(r.stderr).toContain('\n-    "presets": ["launcher"]\n+    "presets": ["default"]\n');
    // only the changed line, with its context: the rest of the file is not in the diff
    expect(r.stderr).not.toContain('-  "$schema"');
    expect(r.stderr).toContain('wrote ni-config.jsonc (replaced), events/sample.json (kept as it is)');
    expect(await projectText()).toBe(original);
    expect(await readFile(join(dir, 'events', 'sample.json'), 'utf8')).toBe('{"mine": true}\n');

    // nothing to change: no diff, nothing written
    const same = await init(['--force']);
    expect(same.diff).toBeUndefined();
    expect(same.files.map((f) => [f.path, f.action])).toEqual([
      ['ni-config.jsonc', 'unchanged'],
      ['events/sample.json', 'kept'],
    ]);
    expect(same.written).toEqual([]);
  });

  it('--dry-run prints what would be written and writes nothing', async () => {
    const before = await snapshot(dir);
    const r = await run(['init', '--dry-run'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshot(dir)).toEqual(before);
    expect(r.stderr).toContain('would write ni-config.jsonc, events/sample.json');

    expect((await run(['init'], dir)).code).toBe(0);
    const written = await projectText();
    const sample = await readFile(join(dir, 'events', 'sample.json'), 'utf8');
    expect(r.stdout).toBe(`==> ni-config.jsonc <==\n${written}\n==> events/sample.json <==\n${sample}`);

    // with --force: the diff, and still nothing written
    await writeFile(join(dir, 'ni-config.jsonc'), written.replace('"args": []', '"args": ["--verbose"]'));
    const edited = await snapshot(dir);
    const forced = await init(['--dry-run', '--force']);
    expect(forced.diff).toContain('-    "args": ["--verbose"]\n+    "args": []\n');
    expect(forced.written).toEqual([]);
    expect(await snapshot(dir)).toEqual(edited);
  });

  it('reads a pom forgivingly (comments, a stray tag, no end) and in linear time', async () => {
    const pom = join(dir, 'pom.xml');
    const text = (await readFile(pom, 'utf8'))
      .replace(
        '<modelVersion>4.0.0</modelVersion>',
        '<!-- <groupId>com.wrong</groupId> --><modelVersion>4.0.0</modelVersion>',
      )
      .replace('<name>Orders function</name>', '<name>Orders <fn> function</name>')
      .replace('</project>', '');
    await writeFile(pom, text);
    const b = (await init()).detected.build!;
    expect([b.group.value, b.artifact.value, b.version.value]).toEqual(['com.example.platform', 'orders-fn', '1.0.0']);
    expect(b.jar.value).toBe('target/orders-fn.jar');

    // tags that never end: a tokenizer that rescans would take minutes here
    await rm(join(dir, 'ni-config.jsonc'));
    await rm(join(dir, 'events'), { recursive: true });
    await writeFile(pom, `<project>${'<a "'.repeat(100_000)}`);
    const started = Date.now();
    const r = await init();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.detected.build!.artifact).toEqual({ placeholder: '<artifact>', from: 'pom.xml has no <artifactId>' });
  });

  it('writes the file --config names, its $schema relative to it', async () => {
    await mkdir(join(dir, 'ci'));
    const r = await init(['--config', 'ci/ni-config.jsonc']);
    expect(r.files[0]).toMatchObject({ path: 'ci/ni-config.jsonc', action: 'create' });
    expect(existsSync(join(dir, 'ni-config.jsonc'))).toBe(false);
    expect((await project('ci/ni-config.jsonc')).$schema).toBe(
      '../node_modules/ni-config/schemas/ni-config.schema.json',
    );
  });
});

describe('init on a Gradle build (Kotlin DSL, shadow plugin)', () => {
  beforeEach(() => copy('gradle'));
  const edit = async (from: string | RegExp, to: string) => {
    const file = join(dir, 'build.gradle.kts');
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(from);
    await writeFile(file, text.replace(from, to));
  };

  it("detects the group (not a task's), the name from settings.gradle.kts, and the shadow jar", async () => {
    const r = await init();
    const b = r.detected.build!;
    expect(b.kind).toBe('gradle');
    expect(b.group).toEqual({ value: 'com.example.orders', from: 'build.gradle.kts group' });
    expect(b.artifact).toEqual({ value: 'order-events', from: 'settings.gradle.kts rootProject.name' });
    expect(b.version.value).toBe('2.1.0');
    expect(b.jar.value).toBe('build/libs/order-events-2.1.0-all.jar');
    expect(b.packagers).toEqual(['shadow']);
    expect(b.mainClass.value).toBe('com.example.orders.MainKt');
    expect(b.buildCommand).toBe('./gradlew shadowJar');
    expect(r.next).toEqual(['./gradlew shadowJar', 'ni-config trace']);
    expect((await project()).trace).toEqual({
      cmd: 'java -jar build/libs/order-events-2.1.0-all.jar',
      events: ['events/*.json'],
      write: true,
    });
  });

  it("never takes a task's group for the project's", async () => {
    await edit(/^group = "com\.example\.orders"\n/m, '');
    const r = await init();
    expect(r.detected.build!.group).toEqual({ placeholder: '<group>', from: 'no group in build.gradle.kts' });
    expect((await project()).write).toEqual({ artifact: 'order-events', root: 'src/main/resources', args: [] });
    expect(r.placeholders).toEqual(['write.group: set the groupId (no group in build.gradle.kts)']);
  });

  it('follows the shadowJar classifier and a version from gradle.properties', async () => {
    await edit('mergeServiceFiles()', 'mergeServiceFiles()\n    archiveClassifier.set("")');
    await edit(/^version = "2\.1\.0"\n/m, '');
    await writeFile(join(dir, 'gradle.properties'), '# release version\nversion=2.2.0\norg.gradle.caching=true\n');
    const b = (await init()).detected.build!;
    expect(b.version).toEqual({ value: '2.2.0', from: 'gradle.properties version' });
    expect(b.jar.value).toBe('build/libs/order-events-2.2.0.jar');
  });

  it('leaves a version it cannot read as a TODO with a placeholder, and the file still loads', async () => {
    await edit('version = "2.1.0"', 'version = providers.gradleProperty("releaseVersion").get()');
    await rm(join(dir, 'gradlew'));
    const r = await init();
    const b = r.detected.build!;
    expect(b.version.value).toBeUndefined();
    expect(b.version.from).toBe(
      'build.gradle.kts sets version to an expression (providers.gradleProperty("releaseVersion").get())',
    );
    expect(b.jar).toMatchObject({ placeholder: 'build/libs/order-events-<version>-all.jar' });
    expect(b.buildCommand).toBe('gradle shadowJar');
    expect(r.placeholders).toEqual([
      `trace.cmd: the jar's path (${b.version.from}); its Main-Class (com.example.orders.MainKt) must run a Lambda Runtime API client`,
    ]);
    const text = await projectText();
    expect(commentOf(text, 'cmd')).toMatch(
      /^\/\/ TODO: the jar's path \(build\.gradle\.kts sets version to an expression/,
    );
    expect(((await project()).trace as { cmd: string }).cmd).toBe(
      'java -jar build/libs/order-events-<version>-all.jar',
    );
  });
});

describe('init on a tools.build project (deps.edn + build.clj)', () => {
  beforeEach(() => copy('deps-edn'));

  it('reads lib, version and uber-file from build.clj, and picks the clojure preset and the resources root', async () => {
    const r = await init();
    const b = r.detected.build!;
    expect(b.kind).toBe('deps.edn');
    expect([b.group.value, b.artifact.value, b.version.value]).toEqual(['com.example', 'greeter', '0.3.0']);
    expect(b.jar.value).toBe('target/greeter-0.3.0-standalone.jar');
    expect(b.mainClass.value).toBe('greeter.handler');
    expect(b.clojure).toBe(true);
    expect(r.next).toEqual(['clojure -T:build uber', 'ni-config trace']);
    expect(await project()).toEqual({
      $schema: SCHEMA,
      inputs: ['resources/META-INF/native-image'],
      write: { group: 'com.example', artifact: 'greeter', root: 'resources', args: [] },
      prune: { presets: ['clojure', 'default'] },
      trace: { cmd: 'java -jar target/greeter-0.3.0-standalone.jar', events: ['events/*.json'], write: true },
    });
  });

  it('says when build.clj computes the version, with a placeholder in the jar', async () => {
    const file = join(dir, 'build.clj');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        '(def version "0.3.0")',
        '(def version (format "0.3.%s" (b/git-count-revs nil)))',
      ),
    );
    const r = await run(['init'], dir);
    expect(r.code, r.stderr).toBe(0);
    const cmd = ((await project()).trace as { cmd: string }).cmd;
    expect(cmd).toBe('java -jar target/greeter-<version>-standalone.jar');
    expect(commentOf(await projectText(), 'cmd')).toMatch(
      /^\/\/ TODO: the jar's path \(build\.clj computes the version \(\(format "0\.3\.%s" \(b\/git-count-revs nil\)\)\)\)/,
    );
    expect(r.stderr).toMatch(/to fill in \(marked TODO in ni-config\.jsonc\):\n {2}trace\.cmd: the jar's path/);
  });

  it('without build.clj: no coordinates, so they are commented-out placeholders and trace writes to a directory', async () => {
    await rm(join(dir, 'build.clj'));
    const r = await init();
    expect(r.detected.build!.group.value).toBeUndefined();
    const config = await project();
    expect(config.write).toEqual({ root: 'resources', args: [] });
    expect(config.trace).toEqual({
      cmd: 'java -jar target/<uberjar>.jar',
      events: ['events/*.json'],
      out: 'traced',
    });
    const text = await projectText();
    expect(text).toContain('\n    // "group": "<group>",\n');
    expect(commentOf(text, 'group')).toBe(
      '// TODO: set the groupId (deps.edn without a build.clj: the uberjar is named by whatever builds it)',
    );
    expect(uncommentedKeys(text)).toEqual([]);
    expect(r.placeholders.map((p) => p.split(':')[0])).toEqual(['write.group', 'write.artifact', 'trace.cmd']);
    expect(r.next).toEqual(['ni-config trace', 'ni-config write traced']);
  });
});

describe('init on a Leiningen project', () => {
  beforeEach(() => copy('leiningen'));

  it('reads defproject and names the uberjar as lein uberjar does', async () => {
    const r = await init();
    const b = r.detected.build!;
    expect(b.kind).toBe('leiningen');
    expect([b.group.value, b.artifact.value, b.version.value]).toEqual(['com.example', 'weather-fn', '1.2.0-SNAPSHOT']);
    expect(b.jar.value).toBe('target/uberjar/weather-fn-1.2.0-SNAPSHOT-standalone.jar');
    // :main ^:skip-aot weather-fn.core: the class is the munged namespace
    expect(b.mainClass.value).toBe('weather_fn.core');
    expect(b.resourceRoot.value).toBe('resources');
    const config = await project();
    expect(config.prune).toEqual({ presets: ['clojure', 'default'] });
    expect(config.trace).toMatchObject({ cmd: 'java -jar target/uberjar/weather-fn-1.2.0-SNAPSHOT-standalone.jar' });
    expect(r.next).toEqual(['lein uberjar', 'ni-config trace']);
  });

  it('follows :uberjar-name', async () => {
    const file = join(dir, 'project.clj');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(':target-path', ':uberjar-name "weather.jar"\n  :target-path'),
    );
    expect((await init()).detected.build!.jar.value).toBe('target/uberjar/weather.jar');
  });
});

describe('init on an sbt build with sbt-assembly', () => {
  beforeEach(() => copy('sbt'));

  it("reads organization, name and version, and names sbt-assembly's jar", async () => {
    const r = await init();
    const b = r.detected.build!;
    expect(b.kind).toBe('sbt');
    expect([b.group.value, b.artifact.value, b.version.value]).toEqual(['com.example', 'scala-fn', '0.4.1']);
    expect(b.jar.value).toBe('target/scala-2.13/scala-fn-assembly-0.4.1.jar');
    expect(b.mainClass.value).toBe('example.Main');
    expect(b.files).toEqual(['build.sbt', 'project/plugins.sbt']);
    expect((await project()).write).toEqual({
      group: 'com.example',
      artifact: 'scala-fn',
      root: 'src/main/resources',
      args: [],
    });
    expect(r.next).toEqual(['sbt assembly', 'ni-config trace']);
  });

  it('uses the full Scala 3 version in the target directory, and says when there is no sbt-assembly', async () => {
    const file = join(dir, 'build.sbt');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"2.13.14"', '"3.5.2"'));
    expect((await init()).detected.build!.jar.value).toBe('target/scala-3.5.2/scala-fn-assembly-0.4.1.jar');

    await rm(join(dir, 'ni-config.jsonc'));
    await rm(join(dir, 'events'), { recursive: true });
    await rm(join(dir, 'project', 'plugins.sbt'));
    const r = await init();
    expect(r.detected.build!.jar).toEqual({
      placeholder: 'target/scala-3.5.2/<jar>',
      from: 'no sbt-assembly in project/*.sbt: sbt package makes a jar without the dependencies',
    });
    expect(commentOf(await projectText(), 'cmd')).toMatch(/^\/\/ TODO: the jar's path \(no sbt-assembly/);
    expect(r.next).toEqual(['ni-config trace']);
  });
});

describe('init with a Dockerfile on the Lambda Java base image', () => {
  beforeEach(() => copy('lambda-container'));

  it('traces the image under its emulator, named as the Makefile builds it', async () => {
    const r = await init();
    expect(r.mode).toBe('container');
    expect(r.detected.container).toEqual({
      dockerfile: 'Dockerfile',
      others: [],
      from: 'public.ecr.aws/lambda/java:21',
      lambdaBase: true,
      stages: 1,
      image: { value: 'inventory-fn:latest', from: 'Makefile (docker build -t)' },
    });
    expect((await project()).trace).toEqual({
      container: 'inventory-fn:latest',
      events: ['events/*.json'],
      write: true,
    });
    expect(commentOf(await projectText(), 'container')).toMatch(
      /FROM public\.ecr\.aws\/lambda\/java:21\), run under the emulator/,
    );
    expect(r.next).toEqual(['mvn package', 'docker build -t inventory-fn:latest .', 'ni-config trace']);
    expect(r.warnings).toEqual([]);
  });

  it('falls back to the image title label, then to a placeholder', async () => {
    await rm(join(dir, 'Makefile'));
    const labelled = await init();
    expect(labelled.detected.container!.image).toEqual({
      value: 'inventory',
      from: 'Dockerfile LABEL org.opencontainers.image.title (a title: check that it is the tag you build)',
    });

    await rm(join(dir, 'ni-config.jsonc'));
    await rm(join(dir, 'events'), { recursive: true });
    const docker = join(dir, 'Dockerfile');
    await writeFile(docker, (await readFile(docker, 'utf8')).replace(/LABEL[^\n]*\\\n[^\n]*\n/, ''));
    const bare = await init();
    expect(bare.detected.container!.image.value).toBeUndefined();
    expect(((await project()).trace as { container: string }).container).toBe('<image>');
    expect(commentOf(await projectText(), 'container')).toMatch(/^\/\/ TODO: the image's name \(no docker build -t/);
    expect(bare.next).toContain('docker build -t <image> .');
  });

  it('builds the jar in the image when the Dockerfile has a build stage', async () => {
    await writeFile(
      join(dir, 'Dockerfile'),
      [
        'FROM maven:3.9-eclipse-temurin-21 AS build',
        'COPY . /src',
        'RUN mvn -f /src/pom.xml -q package',
        '',
        'FROM public.ecr.aws/lambda/java:21 AS runtime',
        'COPY --from=build /src/target/classes ${LAMBDA_TASK_ROOT}',
        'CMD [ "com.example.inventory.Handler::handleRequest" ]',
        '',
      ].join('\n'),
    );
    const r = await init();
    expect(r.detected.container).toMatchObject({ stages: 2, lambdaBase: true, from: 'public.ecr.aws/lambda/java:21' });
    expect(r.next).toEqual(['docker build -t inventory-fn:latest .', 'ni-config trace']);
  });

  it('runs the jar locally when the image is not on a Lambda base, and says why', async () => {
    await writeFile(join(dir, 'Dockerfile'), 'FROM eclipse-temurin:21-jre\nCOPY target/*.jar /app.jar\n');
    const r = await init();
    expect(r.mode).toBe('cmd');
    expect(r.detected.container!.lambdaBase).toBe(false);
    expect((await project()).trace).toEqual({
      cmd: 'java -jar target/inventory-fn-3.0.2.jar',
      events: ['events/*.json'],
      write: true,
    });
    expect(r.warnings).toContain(
      'Dockerfile is FROM eclipse-temurin:21-jre, not an AWS Lambda Java base image: the trace runs the jar locally (an image with its own Runtime API client can be traced with "container" and "runtimeApi": true instead)',
    );
    // no shade plugin and no <mainClass>: both said
    expect(
      r.warnings.some((w) => w.startsWith('pom.xml: nothing in the build makes a jar with the dependencies')),
    ).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('no <mainClass> in pom.xml: java -jar'))).toBe(true);
  });
});

describe('init without a build', () => {
  it('writes placeholders for everything it could not find, and the file still loads', async () => {
    const r = await init();
    expect(r.detected).toEqual({ build: undefined, otherBuilds: [], container: undefined });
    expect(await project()).toEqual({
      $schema: SCHEMA,
      inputs: ['src/main/resources/META-INF/native-image'],
      write: { root: 'src/main/resources', args: [] },
      prune: { presets: ['default'] },
      trace: { cmd: 'java -jar <jar>', events: ['events/*.json'], out: 'traced' },
    });
    expect(r.placeholders.map((p) => p.split(':')[0])).toEqual(['write.group', 'write.artifact', 'trace.cmd']);
    expect(uncommentedKeys(await projectText())).toEqual([]);
  });

  it('adds no sample event when events/ already holds events', async () => {
    await mkdir(join(dir, 'events'));
    await writeFile(join(dir, 'events', 'order-created.json'), '{"orderId": 1}\n');
    const r = await init();
    expect(r.files.map((f) => f.path)).toEqual(['ni-config.jsonc']);
    expect(r.warnings).toContain('events/ already holds 1 event file(s): no sample event is added');
    expect(await readdir(join(dir, 'events'))).toEqual(['order-created.json']);
  });
});

describe('init argv → options', () => {
  it('maps its flags and --config', async () => {
    const options = async (argv: string[]) => {
      vi.mocked(runInit).mockImplementationOnce(async () => {
        throw new Error('stopped by the test');
      });
      const r = await run(argv, '/nonexistent');
      expect(r.stderr).toMatch(/stopped by the test/);
      return vi.mocked(runInit).mock.lastCall?.[0];
    };
    expect(await options(['init', '--force', '--dry-run', '--config', 'p.jsonc'])).toEqual({
      config: 'p.jsonc',
      force: true,
      dryRun: true,
    });
    expect(await options(['init'])).toEqual({ config: undefined, force: false, dryRun: false });
  });
});
