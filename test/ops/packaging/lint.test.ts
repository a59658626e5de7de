/** The packaging lints (src/ops/packaging/lint.ts, options.ts) on the seeds and real library files. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, type Finding } from '../../../src/model/findings.js';
import { TextLocator } from '../../../src/model/json-text.js';
import {
  analyseProperties,
  lintFileNames,
  lintLayout,
  metaInfDepth,
  notMetadata,
  type PropertiesFile,
} from '../../../src/ops/packaging/lint.js';
import { OPTION_FACTS, factsFor, parseArg } from '../../../src/ops/packaging/options.js';
import { REPO } from '../../helpers.js';

const FIX = join(REPO, 'fixtures', 'packaging');
const NETTY = join(FIX, 'seeds/netty-like/META-INF/native-image/io.example/netty-like');
const CLJ = join(FIX, 'clj-easy__graal-config/137d643/config');
const TESTCONTAINERS = join(
  CLJ,
  'clj-test-containers/clj-test-containers/resources/META-INF/native-image/clj-test-containers/clj-test-containers',
);
const POSTGRES = join(CLJ, 'org.postgresql/postgresql/resources/META-INF/native-image/org.postgresql/postgresql');

function propertiesAt(dir: string, text?: string): PropertiesFile {
  const path = join(dir, 'native-image.properties');
  return {
    file: path,
    path,
    text: text ?? readFileSync(path, 'utf8'),
    siblings: readdirSync(dir).sort(),
  };
}

/** `line:col code` of each finding, as validate shows them. */
function placed(findings: readonly Finding[], text: string): string[] {
  const loc = new TextLocator(text);
  return findings.map((f) => {
    const { line, col } = loc.lineCol(f.offset ?? 0);
    return `${line}:${col} ${f.code}`;
  });
}

describe('analyseProperties', () => {
  it('reports each seed option at its line, with the GraalVM version and the replacement', () => {
    const p = propertiesAt(NETTY);
    const a = analyseProperties(p);
    expect(placed(a.findings, p.text)).toEqual([
      '5:44 nonstandard-name',
      '5:8 experimental-option',
      '6:8 deprecated-option',
      '7:8 deprecated-option',
      '8:8 removed-option',
    ]);
    const [name, experimental, vm, unsupported, bare] = a.findings.map((f) => f.message);
    expect(name).toMatch(/reflection-config\.json .* name it reflect-config\.json/);
    expect(experimental).toMatch(/GraalVM for JDK 21 \(23\.1\).*native-image reads reflect-config\.json/);
    expect(experimental).toContain('GR-47647');
    expect(vm).toMatch(/^-H:-AllowVMInspection: deprecated since GraalVM 22\.3; monitoring is off by default/);
    expect(vm).toContain('--enable-monitoring');
    expect(unsupported).toMatch(/since GraalVM for JDK 23 \(24\.1\); it is the default: remove it .*GR-43837/);
    expect(bare).toMatch(/^--initialize-at-build-time: native-image refuses it since GraalVM 23\.0 .*GR-41978/);
    expect(FINDING_CODES['removed-option'].severity).toBe('error');
    // --initialize-at-run-time with classes is fine
    expect(a.findings.some((f) => f.message.includes('--initialize-at-run-time'))).toBe(false);
  });

  it('plans the fix the lints imply: the rename, the dropped options, what is left for a person', () => {
    const a = analyseProperties(propertiesAt(NETTY));
    expect(a.renames).toEqual([{ from: 'reflection-config.json', to: 'reflect-config.json' }]);
    expect(a.edits.map((e) => [e.token.replace(/=.*/, '='), e.replace])).toEqual([
      ['-H:ReflectionConfigurationResources=', []],
      ['-H:-AllowVMInspection', []],
      ['--report-unsupported-elements-at-runtime', []],
    ]);
    expect(a.unfixed).toEqual([expect.stringMatching(/^--initialize-at-build-time: name the packages/)]);
  });

  it('on a real library (clj-easy/graal-config): four wired files, one renamed, the rest only repeat the standard names', () => {
    const p = propertiesAt(TESTCONTAINERS);
    const a = analyseProperties(p);
    const codes = a.findings.map((f) => f.code);
    expect(codes.filter((c) => c === 'experimental-option')).toHaveLength(6); // 4 wired + IncludeResources + JNI
    expect(codes.filter((c) => c === 'nonstandard-name')).toHaveLength(1);
    expect(a.renames).toEqual([{ from: 'reflection-config.json', to: 'reflect-config.json' }]);
    expect(a.edits.map((e) => e.token.replace(/=.*/, ''))).toEqual([
      '-H:JNIConfigurationResources',
      '-H:ResourceConfigurationResources',
      '-H:DynamicProxyConfigurationResources',
      '-H:ReflectionConfigurationResources',
      '-H:+JNI',
    ]);
    // resource-config.json is there, so -H:IncludeResources stays for a person
    expect(a.resourceConfig).toBeUndefined();
    expect(a.unfixed).toEqual([expect.stringMatching(/IncludeResources.*resource-config\.json already exists/)]);
    const proxy = a.findings.find((f) => f.message.startsWith('-H:DynamicProxyConfigurationResources'))!;
    expect(proxy.message).toMatch(/deprecated since GraalVM for JDK 23 .*GR-47365/);
  });

  it('turns -H:IncludeResources into a resource-config.json when there is none', () => {
    const p = propertiesAt(
      POSTGRES,
      'Args = -H:IncludeResources=META-INF/services/.* -H:IncludeResourceBundles=a.B,c.D\n',
    );
    const a = analyseProperties(p);
    expect(a.resourceConfig).toEqual({ patterns: ['META-INF/services/.*'], bundles: ['a.B', 'c.D'] });
    expect(a.edits.map((e) => e.replace)).toEqual([[], []]);
    expect(a.findings[0]!.message).toMatch(/use a resource-config\.json .*ResourcesFeature\.java's migration message/);
  });

  it('keeps a wired file whose standard name is taken, and one outside META-INF/native-image', () => {
    const taken = analyseProperties({
      ...propertiesAt(POSTGRES),
      siblings: ['native-image.properties', 'reflect-config.json', 'reflection-config.json'],
    });
    expect(taken.renames).toEqual([]);
    expect(taken.edits).toEqual([]);
    expect(taken.unfixed).toEqual([expect.stringMatching(/reflect-config\.json already exists here; merge the two/)]);
    const outside = analyseProperties({
      file: 'conf/native-image.properties',
      path: '/x/conf/native-image.properties',
      text: 'Args = -H:ReflectionConfigurationResources=${.}/reflect-config.json\n',
      siblings: ['native-image.properties', 'reflect-config.json'],
    });
    expect(outside.findings.map((f) => f.code)).toEqual(['layout', 'experimental-option']);
    expect(outside.edits).toEqual([]);
  });

  it('says when experimental options are unlocked, and does not report -H:+ReportExceptionStackTraces', () => {
    const a = analyseProperties(
      propertiesAt(
        POSTGRES,
        'Args = -H:+ReportExceptionStackTraces -H:+UnlockExperimentalVMOptions -H:IncludeResources=x -H:-UnlockExperimentalVMOptions\n',
      ),
    );
    expect(a.findings.map((f) => f.code)).toEqual(['experimental-option']);
    expect(a.findings[0]!.message).toContain('unlocked here with -H:+UnlockExperimentalVMOptions');
  });
});

describe('the option facts', () => {
  it('every fact names a version and a source, and matches only its options', () => {
    for (const f of OPTION_FACTS) {
      expect(f.since, f.id).toMatch(/GraalVM \d|GraalVM for JDK \d/);
      expect(f.source.length, f.id).toBeGreaterThan(10);
    }
    const ids = (raw: string): string[] => factsFor(parseArg(raw)).map((f) => f.id);
    expect(ids('--initialize-at-build-time')).toEqual(['--initialize-at-build-time (no class list)']);
    expect(ids('--initialize-at-build-time=')).toEqual(['--initialize-at-build-time (no class list)']);
    expect(ids('--initialize-at-build-time=org.example')).toEqual([]);
    expect(ids('-H:+TraceClassInitialization')).toEqual(['-H:±TraceClassInitialization']);
    expect(ids('-H:TraceClassInitialization=a.B')).toEqual([]);
    expect(ids('--enable-monitoring')).toEqual(['--enable-monitoring (no value)']);
    expect(ids('--enable-monitoring=heapdump')).toEqual([]);
    expect(ids('-H:+AllowIncompleteClasspath')).toEqual(['--allow-incomplete-classpath']);
    expect(ids('-H:-ReportUnsupportedElementsAtRuntime')).toEqual([]);
    for (const stable of ['-H:+ReportExceptionStackTraces', '-H:ConfigurationFileDirectories=x', '-H:Class=a.B'])
      expect(ids(stable)).toEqual([]);
    const fix = (raw: string): readonly string[] | undefined => {
      const a = parseArg(raw);
      return factsFor(a)[0]?.fix?.(a);
    };
    expect(fix('-H:+AllowVMInspection')).toEqual(['--enable-monitoring=all']);
    expect(fix('-H:EnableURLProtocols=http,https')).toEqual(['--enable-url-protocols=http,https']);
    expect(fix('--delay-class-initialization-to-runtime=a.B')).toEqual(['--initialize-at-run-time=a.B']);
    expect(fix('--initialize-at-build-time')).toBeUndefined();
  });
});

describe('file names, layout, not-metadata', () => {
  it('a reflection-config.json nothing wires in: native-image ignores it', () => {
    const files = [{ file: 'f/reflection-config.json', path: '/x/f/reflection-config.json' }];
    expect(lintFileNames(files, new Set()).map((f) => f.code)).toEqual(['nonstandard-name']);
    expect(lintFileNames(files, new Set(['/x/f/reflection-config.json']))).toEqual([]);
    expect(lintFileNames([{ file: 'r', path: '/x/reflect-config.json' }], new Set())).toEqual([]);
  });

  it('one layout finding per directory not two levels below META-INF/native-image', () => {
    expect(metaInfDepth('/r/META-INF/native-image/g/a/reflect-config.json')).toBe(2);
    expect(metaInfDepth('/r/META-INF/native-image/reflect-config.json')).toBe(0);
    expect(metaInfDepth('/r/agent-out/reflect-config.json')).toBeUndefined();
    const f = lintLayout([
      { file: 'b', path: '/r/META-INF/native-image/reflect-config.json' },
      { file: 'a', path: '/r/META-INF/native-image/jni-config.json' },
      { file: 'c', path: '/r/META-INF/native-image/g/x.json' },
      { file: 'd', path: '/r/META-INF/native-image/g/a/reflect-config.json' },
      { file: 'e', path: '/r/META-INF/native-image/g/a/generated/handlers/reflect-config.json' },
      { file: 'z', path: '/r/out/reflect-config.json' },
    ]);
    expect(f.map((x) => [x.file, x.message.replace(/:.*/, '')])).toEqual([
      ['a', '2 files are in META-INF/native-image/ itself'],
      ['c', 'this file is in META-INF/native-image/g/'],
    ]);
  });

  it('refuses an object with no metadata key, and nothing that could be metadata', () => {
    const pkg = JSON.parse(readFileSync(join(FIX, 'not-metadata/package.json'), 'utf8')) as unknown;
    expect(notMetadata('package.json', pkg)?.message).toMatch(
      /^not a metadata file: .*'name', 'version', 'private', 'type', …/,
    );
    expect(notMetadata('x.json', { reflection: [], extra: 1 })).toBeUndefined();
    expect(notMetadata('x.json', {})).toBeUndefined();
    expect(notMetadata('x.json', [{ name: 'a.B' }])).toBeUndefined();
  });
});
