/**
 * prune with the function's class path: what the jars on it ship (N16) goes, version-exact and
 * named by jar; without a class path nothing version-dependent goes; stale entries (N15) are
 * named, and removed with --drop-stale; a namespace that is not AOT-compiled keeps its init
 * class and sources. Jars are written by the tests (test/zip.ts), so no JDK is needed.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PruneResultJson } from '../../src/commands/prune.js';
import { REPO } from '../helpers.js';
import { writeZip } from '../zip.js';
import { run, tempDir } from './harness.js';

const OLD_CLIENT = join(REPO, 'fixtures', 'prune', 'old-runtime-client', 'agent-output');
const CLIENT_CONFIG = join(
  REPO,
  'fixtures/corpus/others/aws__aws-lambda-java-libs/e68cbb1c/aws-lambda-java-runtime-interface-client/src/main/resources/META-INF/native-image/com.amazonaws/aws-lambda-java-runtime-interface-client',
);
const CLIENT_CLASS = 'com/amazonaws/services/lambda/runtime/api/client/AWSLambda.class';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(OLD_CLIENT, join(dir, 'fn'), { recursive: true });
});
afterEach(async () => cleanup());

/** A runtime client jar: its classes, and (from the version that has them) its own metadata. */
async function clientJar(name: string, shipsMetadata: boolean): Promise<string> {
  const entries: Record<string, string> = { [CLIENT_CLASS]: 'cafebabe' };
  if (shipsMetadata) {
    for (const f of ['jni-config.json', 'reflect-config.json', 'resource-config.json'])
      entries[`META-INF/native-image/com.amazonaws/aws-lambda-java-runtime-interface-client/${f}`] = await readFile(
        join(CLIENT_CONFIG, f),
        'utf8',
      );
  }
  writeZip(join(dir, name), entries);
  return name;
}

async function prune(args: string[]): Promise<PruneResultJson> {
  const r = await run(['prune', 'fn', '--preset', 'default', '--dry-run', '--json', ...args], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PruneResultJson;
}

describe('prune --classpath', () => {
  it('without a class path, lambda-runtime removes nothing and says how to enable it', async () => {
    const r = await prune([]);
    expect(r.removed).toEqual([]);
    expect(r.after).toEqual(r.before);
    expect(r.warnings.join('\n')).toMatch(/lambda-runtime removed nothing: .* no class path was given \(--classpath/);
  });

  it('an old client that ships no metadata: the function keeps its own copy', async () => {
    const r = await prune(['--classpath', await clientJar('client-1.0.jar', false)]);
    expect(r.removed).toEqual([]);
  });

  it('a client that ships its metadata: exactly what it ships goes, named by the jar', async () => {
    const r = await prune(['--classpath', await clientJar('client-2.4.jar', true)]);
    const removed = r.removed.map((x) => `${x.section} ${x.entry} ${x.rule}`);
    expect(removed).toEqual([
      'reflection com.amazonaws.services.lambda.runtime.LambdaRuntime library:client-2.4.jar',
      'reflection java.util.Collections$UnmodifiableMap library:client-2.4.jar',
      'reflection jdk.internal.module.IllegalAccessLogger library:client-2.4.jar',
      'jni com.amazonaws.services.lambda.runtime.api.client.runtimeapi.InvocationRequest library:client-2.4.jar',
      'resources aws-lambda-runtime-interface-client.glibc.so library:client-2.4.jar',
      'resources aws-lambda-runtime-interface-client.musl.so library:client-2.4.jar',
    ]);
    // the function's own handler stays
    expect(r.after.reflection).toBe(1);
  });

  it('libraries subtracts what any jar ships; a jar named by a glob and an @argfile', async () => {
    await mkdir(join(dir, 'lib'));
    writeZip(join(dir, 'lib', 'other.jar'), {
      'META-INF/native-image/com.example/other/reflect-config.json':
        '[{"name": "example.Handler", "methods": [{"name": "<init>", "parameterTypes": []}]}]',
    });
    await writeFile(join(dir, 'cp.txt'), 'lib/*\n');
    const r = await run(['prune', 'fn', '--preset', 'libraries', '--classpath', '@cp.txt', '--dry-run', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PruneResultJson;
    expect(out.removed.map((x) => `${x.entry} ${x.rule}`)).toEqual(['example.Handler library:lib/other.jar']);
  });

  it('names entries of classes that are nowhere (N15), and --drop-stale removes them', async () => {
    writeZip(join(dir, 'app.jar'), { 'example/Handler.class': 'cafebabe', [CLIENT_CLASS]: 'cafebabe' });
    const named = await prune(['--classpath', 'app.jar']);
    // LambdaRuntime is in no jar here and not in the JDK; Collections$UnmodifiableMap is in the JDK
    expect(named.stale.map((s) => s.entry)).toContain('com.amazonaws.services.lambda.runtime.LambdaRuntime');
    expect(named.stale.map((s) => s.entry)).not.toContain('example.Handler');
    expect(named.stale.map((s) => s.entry)).not.toContain('java.util.Collections$UnmodifiableMap');
    expect(named.removed).toEqual([]);
    const dropped = await prune(['--classpath', 'app.jar', '--drop-stale']);
    expect(dropped.removed.map((x) => `${x.entry} ${x.rule}`)).toContain(
      'com.amazonaws.services.lambda.runtime.LambdaRuntime classpath/N15',
    );
    const text = await run(['prune', 'fn', '--classpath', 'app.jar', '--dry-run'], dir);
    expect(text.stderr).toMatch(
      /warning: \d+ entries name classes that neither the class path nor the JDK has \(N15\): .*--drop-stale removes them/,
    );
  });

  it('keeps the init class and sources of a namespace that is not AOT-compiled, and prunes those that are', async () => {
    await mkdir(join(dir, 'clj'));
    await writeFile(
      join(dir, 'clj', 'reflect-config.json'),
      '[{"name": "a.compiled__init"}, {"name": "b.source__init"}]',
    );
    await writeFile(
      join(dir, 'clj', 'resource-config.json'),
      '{"resources": {"includes": [{"pattern": "\\\\Qa/compiled.clj\\\\E"}, {"pattern": "\\\\Qb/source.clj\\\\E"}]}}',
    );
    writeZip(join(dir, 'app.jar'), { 'a/compiled__init.class': 'x', 'b/source.clj': '(ns b.source)' });
    const r = await run(['prune', 'clj', '--preset', 'clojure', '--classpath', 'app.jar', '--dry-run', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PruneResultJson;
    expect(out.removed.map((x) => x.entry).sort()).toEqual(['a.compiled__init', 'a/compiled.clj']);
    // without the class path every namespace counts as compiled
    const all = await run(['prune', 'clj', '--preset', 'clojure', '--dry-run', '--json'], dir);
    expect((JSON.parse(all.stdout) as PruneResultJson).removed).toHaveLength(4);
  });

  it('reads a jar of more than 65,535 entries (zip64) whole', async () => {
    const entries: Record<string, string> = {};
    for (let i = 0; i < 70_000; i++) entries[`filler/f${i}.txt`] = '';
    entries[CLIENT_CLASS] = 'cafebabe';
    for (const f of ['jni-config.json', 'reflect-config.json', 'resource-config.json'])
      entries[`META-INF/native-image/com.amazonaws/aws-lambda-java-runtime-interface-client/${f}`] = await readFile(
        join(CLIENT_CONFIG, f),
        'utf8',
      );
    writeZip(join(dir, 'uber.jar'), entries);
    const r = await prune(['--classpath', 'uber.jar']);
    // the metadata sits after entry 65,535: read, so the client's entries go
    expect(r.removed).toHaveLength(6);
  });

  it('refuses a class path glob that matches nothing, naming it', async () => {
    const r = await run(['prune', 'fn', '--classpath', 'nolib/*.jar', '--dry-run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nolib\/\*\.jar: error \[no-match\] no file matches the class path glob nolib\/\*\.jar/);
  });
});
