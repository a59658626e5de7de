/** write --fix's plan (src/ops/packaging/fix.ts): renames, edited Args, the diff, what is left. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFix } from '../../../src/ops/packaging/fix.js';
import { analyseProperties, type PropertiesFile } from '../../../src/ops/packaging/lint.js';
import { REPO } from '../../helpers.js';

const NETTY = join(REPO, 'fixtures/packaging/seeds/netty-like/META-INF/native-image/io.example/netty-like');

function at(dir: string, text?: string): PropertiesFile {
  const path = join(dir, 'native-image.properties');
  return {
    file: 'lib/native-image.properties',
    path,
    text: text ?? readFileSync(path, 'utf8'),
    siblings: readdirSync(dir),
  };
}

describe('planFix', () => {
  it('renames the wired file, drops what that and GraalVM made unnecessary, keeps every hand-written line', () => {
    const a = analyseProperties(at(NETTY));
    const reflection = readFileSync(join(NETTY, 'reflection-config.json'), 'utf8');
    const plan = planFix(a, new Map([['reflection-config.json', reflection]]));
    expect(plan.deletions).toEqual(['reflection-config.json']);
    expect(plan.files.get('reflect-config.json')).toBe(reflection);
    const after = plan.files.get('native-image.properties')!;
    expect(after).toBe(
      [
        "# Hand-written: the shape of netty-transport's file (reflection-config.json wired in by",
        '# -H:ReflectionConfigurationResources) with the removed and deprecated options seen in old',
        '# library configurations.',
        'ImageName = netty-like',
        'Args = --initialize-at-build-time \\',
        '       --initialize-at-run-time=io.example.netty.Late',
        'JavaArgs = -Xmx2g',
        '',
      ].join('\n'),
    );
    expect(plan.diff).toMatch(/^--- a\/lib\/native-image\.properties\n\+\+\+ b\/lib\/native-image\.properties\n@@ /);
    expect(plan.diff).toContain('\n-Args = -H:ReflectionConfigurationResources=${.}/reflection-config.json \\\n');
    expect(plan.diff).toContain('\n-       -H:-AllowVMInspection \\\n');
    expect(plan.diff).toContain('\nrename lib/reflection-config.json → lib/reflect-config.json\n');
    expect(plan.changes).toEqual([
      expect.stringMatching(
        /^drop -H:ReflectionConfigurationResources=.*: the file is renamed to reflect-config\.json/,
      ),
      'drop -H:-AllowVMInspection: monitoring is off by default: remove it',
      expect.stringMatching(/^drop --report-unsupported-elements-at-runtime: the default since GraalVM for JDK 23/),
      'rename reflection-config.json → reflect-config.json: native-image reads reflect-config.json by itself',
    ]);
    expect(plan.unfixed).toEqual([expect.stringMatching(/^--initialize-at-build-time: /)]);
  });

  it('keeps the option when the file to rename cannot be read', () => {
    const plan = planFix(analyseProperties(at(NETTY)), new Map());
    expect(plan.deletions).toEqual([]);
    expect(plan.files.get('native-image.properties')).toContain('-H:ReflectionConfigurationResources=');
    expect(plan.unfixed).toContainEqual('reflection-config.json: could not be read, so it is not renamed');
  });

  it('writes resource-config.json from -H:IncludeResources and -H:IncludeResourceBundles', () => {
    const plan = planFix(
      analyseProperties({
        file: 'x/native-image.properties',
        path: '/r/META-INF/native-image/g/a/native-image.properties',
        text: 'Args = -H:IncludeResources=META-INF/services/.* \\\n  -H:IncludeResourceBundles=app.Messages\n',
        siblings: ['native-image.properties'],
      }),
      new Map(),
    );
    expect(JSON.parse(plan.files.get('resource-config.json')!)).toEqual({
      resources: { includes: [{ pattern: 'META-INF/services/.*' }] },
      bundles: [{ name: 'app.Messages' }],
    });
    // nothing is left in the properties file: it goes
    expect(plan.files.has('native-image.properties')).toBe(false);
    expect(plan.deletions).toEqual(['native-image.properties']);
    expect(plan.diff).toContain('create x/resource-config.json\ndelete x/native-image.properties\n');
  });

  it('changes nothing in a file with nothing to fix', () => {
    const plan = planFix(
      analyseProperties({
        file: 'native-image.properties',
        path: '/r/META-INF/native-image/g/a/native-image.properties',
        text: 'Args = --initialize-at-build-time=org.example\n',
        siblings: ['native-image.properties'],
      }),
      new Map(),
    );
    expect(plan.files.size).toBe(0);
    expect(plan.diff).toBe('');
  });
});
