/** diff: semantic, format-independent, risk-aware; goldens on real pairs; git revisions; formats. */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffOutput as validateDiffOutput } from '../../src/generated/settings.js';
import type { DiffJson } from '../../src/commands/diff.js';
import { MARKDOWN_LIMIT, renderMarkdown } from '../../src/cli/render/diff.js';
import { emitUnified, toJsonText } from '../../src/model/emit/index.js';
import { ConfigBuilder } from '../../src/model/model.js';
import { FILE_KINDS, kindOfFileName } from '../../src/model/kinds.js';
import { loadSources } from '../../src/ops/load.js';
import { diffSets, unifiedView } from '../../src/ops/diff.js';
import { CORPUS, FULL_CORPUS, corpusFiles, loadFile } from '../helpers.js';
import { expectGolden } from '../golden.js';
import { run, tempDir } from './harness.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const HOLY = join(
  CORPUS,
  'others/FieryCod__holy-lambda/7484c85/modules/holy-lambda-babashka-tasks/resources/native-configuration',
);
// not in the committed subset (its licence is not stated): with the whole corpus only
const MICRO = join(FULL_CORPUS ?? '', 'others/rafaeldelboni__microservice-graalvm');
const LEGACY = join(CORPUS, 'reachability/legacy-2026-03-13/metadata');
const UNIFIED = join(CORPUS, 'reachability/unified-2026-05-22/metadata');

describe('diff on real pairs (goldens)', () => {
  it('holy-lambda raw vs cleaned, as a PR comment', async () => {
    const r = await run(
      [
        'diff',
        join(HOLY, 'reflect-config.orig.json'),
        join(HOLY, 'reflect-config.json'),
        '--format',
        'markdown',
        '--title',
        'holy-lambda tasks: raw → cleaned',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    await expectGolden(r.stdout, 'diff/holy-lambda-tasks.md');
  });

  it.runIf(FULL_CORPUS !== undefined)('the microservice hand edit, as text', async () => {
    const r = await run(['diff', join(MICRO, '020a8d1'), join(MICRO, 'f776007')], dir);
    await expectGolden(r.stdout, 'diff/microservice.txt');
  });

  it('a bibcal hand prune (stale tools.logging entries)', async () => {
    const bib = join(CORPUS, 'others/johanthoren__bibcal');
    const r = await run(
      [
        'diff',
        join(bib, 'a9d13c2'),
        join(bib, '9c40db3'),
        '--format',
        'markdown',
        '--title',
        'bibcal a9d13c2 → 9c40db3',
      ],
      dir,
    );
    await expectGolden(r.stdout, 'diff/bibcal-prune.md');
  });

  it('a library in both corpus snapshots: only what the migration really changed shows', async () => {
    const hikari = await run(
      ['diff', join(LEGACY, 'com.zaxxer/HikariCP/5.0.1'), join(UNIFIED, 'com.zaxxer/HikariCP/5.0.1')],
      dir,
    );
    expect(hikari.stdout).toBe('no semantic differences\n');
    const logback = await run(
      [
        'diff',
        join(LEGACY, 'ch.qos.logback/logback-classic/1.5.7'),
        join(UNIFIED, 'ch.qos.logback/logback-classic/1.5.7'),
      ],
      dir,
    );
    await expectGolden(logback.stdout, 'diff/logback-classic-1.5.7-migration.txt');
  });
});

describe('diff semantics', () => {
  it('finds no difference between any legacy corpus file and its unified conversion', () => {
    // What `diff legacy/ unified/` does when one side is unified: both sides through the unified view.
    const failures: string[] = [];
    for (const f of corpusFiles(FULL_CORPUS ?? CORPUS).filter((x) => FILE_KINDS[x.kind].format === 'legacy')) {
      const legacy = loadFile(f.path, f.kind).set;
      const convertedText = [...emitUnified(legacy).files].map(([name, value]) => ({
        file: name,
        text: toJsonText(value),
        kind: kindOfFileName(name),
      }));
      const converted = loadSources(convertedText).set;
      const d = diffSets(unifiedView(legacy), unifiedView(converted));
      if (d.changes.length > 0) failures.push(`${f.rel}: ${d.changes[0]!.kind} ${d.changes[0]!.entry}`);
    }
    expect(failures).toEqual([]);
  });

  it('puts broadening changes first, each with its reason', () => {
    const before = new ConfigBuilder();
    before.addType('reflection', { type: { kind: 'class', name: 'app.Model' } });
    const after = new ConfigBuilder();
    after.addType('reflection', { type: { kind: 'class', name: 'app.Model' }, groups: { declaredMethods: 2 } });
    after.addType('reflection', {
      type: { kind: 'class', name: 'app.Plain' },
      methods: [{ name: 'run', params: [], access: 2 }],
    });
    after.addType('reflection', { type: { kind: 'class', name: 'app.Unsafe' }, flags: ['unsafeAllocated'] });
    after.addType('reflection', {
      type: { kind: 'class', name: 'sun.misc.Unsafe' },
      fields: [{ name: 'theUnsafe', allowWrite: false, allowUnsafeAccess: false }],
    });
    after.addType('reflection', { type: { kind: 'proxy', interfaces: ['app.Repo'] } });
    after.addType('jni', { type: { kind: 'class', name: 'app.Native' } });
    after.addSerialization({ type: { kind: 'class', name: 'app.Event' } });
    after.addResource({ kind: 'glob', value: 'config/**/*.xml' });
    after.addResource({ kind: 'glob', value: 'config/app.edn' });
    const d = diffSets(before.build(), after.build());
    expect(d.changes.map((c) => `${c.kind} ${c.entry} [${c.risks.join(',')}]`)).toEqual([
      'changed app.Model [all-flag]',
      'added app.Unsafe [unsafe-allocated]',
      'added sun.misc.Unsafe [sensitive-package]',
      'added app.Native [jni]',
      'added proxy(app.Repo) [proxy]',
      'added app.Event [serializable]',
      'added config/**/*.xml [broad-resource]',
      'added app.Plain []',
      'added config/app.edn []',
    ]);
  });

  it('keeps the markdown under the comment limit with a truncation notice', () => {
    const after = new ConfigBuilder();
    for (let i = 0; i < 4000; i++)
      after.addType('reflection', {
        type: { kind: 'class', name: `com.example.generated.pkg${i % 50}.Type${i}` },
        methods: [{ name: 'run', params: ['java.lang.String'], access: 2 }],
      });
    const text = renderMarkdown(diffSets(new ConfigBuilder().build(), after.build()), 'big', false);
    expect(text.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(text).toMatch(/> \*\*Truncated:\*\* \d+ of 4000 changes are not shown/);
    expect(renderMarkdown(diffSets(new ConfigBuilder().build(), after.build()), 'big', false)).toBe(text);
  });
});

describe('diff output formats and options', () => {
  async function pair(): Promise<void> {
    await mkdir(join(dir, 'old'));
    await mkdir(join(dir, 'new'));
    await writeFile(join(dir, 'old', 'reflect-config.json'), '[{"name": "app.A"}]\n');
    await writeFile(
      join(dir, 'new', 'reachability-metadata.json'),
      '{\n  "reflection": [\n    {"type": "app.A"},\n    {"type": "sun.misc.Unsafe", "fields": [{"name": "theUnsafe"}]}\n  ]\n}\n',
    );
  }

  it('json follows its schema; --exit-code and --stat', async () => {
    await pair();
    const r = await run(['diff', 'old', 'new', '--format', 'json', '--exit-code'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as DiffJson;
    expect(validateDiffOutput(out)).toBe(true);
    expect(out.changes.map((c) => c.entry)).toEqual(['sun.misc.Unsafe']);
    expect((await run(['diff', 'old', 'old', '--exit-code'], dir)).code).toBe(0);
    expect((await run(['diff', 'old', 'new', '--stat'], dir)).stdout).toBe(
      '1 added, 0 removed, 0 changed, 0 moved\n  reflection: +1 -0 ~0\n',
    );
  });

  it("names the event that first needed each added entry when the new side's evidence records it", async () => {
    await mkdir(join(dir, 'old'));
    await mkdir(join(dir, 'new'));
    await writeFile(join(dir, 'old', 'reflect-config.json'), '[{"name": "app.A"}]');
    await writeFile(
      join(dir, 'new', 'reflect-config.json'),
      '[{"name": "app.A"}, {"name": "app.Order", "allDeclaredFields": true}, {"name": "app.Refund"}, {"name": "app.Kept"}]',
    );
    await writeFile(
      join(dir, 'new', 'resource-config.json'),
      '{"resources": {"includes": [{"pattern": "\\\\Qorders/schema.json\\\\E"}]}}',
    );
    // what trace --attribute writes: per entry the first event whose periodic write showed it
    await writeFile(
      join(dir, 'new', 'ni-config-evidence.json'),
      JSON.stringify({
        schemaVersion: 1,
        precision: 'tree',
        source: 'trace --attribute',
        frames: [],
        entries: [
          { section: 'reflection', name: 'app.A', paths: [], firstNeededBy: { event: '(init)', run: 'run-1' } },
          {
            section: 'reflection',
            name: 'app.Order',
            paths: [],
            firstNeededBy: { event: 'events/order-created.json', run: 'run-1' },
          },
          {
            section: 'resources',
            name: 'orders/schema.json',
            paths: [],
            firstNeededBy: { event: 'events/order-created.json', run: 'run-1' },
          },
          {
            section: 'reflection',
            name: 'app.Refund',
            paths: [],
            firstNeededBy: { event: 'events/refund.json', run: 'run-2' },
          },
        ],
      }),
    );
    const json = JSON.parse((await run(['diff', 'old', 'new', '--format', 'json'], dir)).stdout) as DiffJson;
    expect(validateDiffOutput(json)).toBe(true);
    expect(Object.fromEntries(json.changes.map((c) => [c.entry, c.neededBy?.event]))).toEqual({
      'app.Order': 'events/order-created.json',
      'app.Refund': 'events/refund.json',
      'app.Kept': undefined,
      'orders/schema.json': 'events/order-created.json',
    });
    const text = (await run(['diff', 'old', 'new'], dir)).stdout;
    expect(text).toContain('  + app.Refund  needed by events/refund.json (run-2)\n');
    expect(text).toMatch(/^ {2}\+ app\.Kept$/m);
    const markdown = (await run(['diff', 'old', 'new', '--format', 'markdown'], dir)).stdout;
    expect(markdown).toContain(
      [
        '#### Added entries by the event that first needed them',
        '',
        '* `events/order-created.json (run-1)`: `app.Order` (reflection), `orders/schema.json` (resources)',
        '* `events/refund.json (run-2)`: `app.Refund` (reflection)',
        '* no event recorded: `app.Kept` (reflection)',
      ].join('\n'),
    );
    expect(markdown).toContain('- added `app.Refund` · needed by `events/refund.json`');
    // without the evidence file nothing is said of events, and nothing is guessed
    await rm(join(dir, 'new', 'ni-config-evidence.json'));
    const bare = await run(['diff', 'old', 'new', '--format', 'markdown'], dir);
    expect(bare.stdout).not.toMatch(/needed by|by the event/);
  });

  it('github annotations point at the file and line in the new files', async () => {
    await pair();
    const r = await run(['diff', 'old', 'new', '--format', 'github'], dir);
    expect(r.stdout).toBe(
      '::warning file=new/reachability-metadata.json,line=4,title=reflection%3A added sun.misc.Unsafe::[sensitive-package] touches a security-sensitive package%0A+ field theUnsafe\n',
    );
  });

  it('reads git revisions without a checkout, and says what is wrong with bad ones', async () => {
    const g = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    const notRepo = await run(['diff', '--base', 'HEAD', 'meta'], dir);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/is not in a git repository, so --base HEAD names nothing/);
    // one path and no --base: say what diff would have done with it, and how to compare two directories
    const onePath = await run(['diff', 'meta'], dir);
    expect(onePath.code).toBe(2);
    expect(onePath.stderr).toMatch(
      /is not in a git repository: with one path, diff compares the working tree with git's HEAD; to compare two directories or files, give both \(ni-config diff OLD NEW\)/,
    );
    expect(onePath.stderr).not.toMatch(/--base and --head/);
    g('init', '-q');
    await mkdir(join(dir, 'meta'));
    await writeFile(join(dir, 'meta', 'reflect-config.json'), '[{"name": "app.A"}]\n');
    g('add', '.');
    g('commit', '-qm', 'one');
    await writeFile(
      join(dir, 'meta', 'reflect-config.json'),
      '[{"name": "app.A"}, {"name": "app.B", "allDeclaredFields": true}]\n',
    );
    const r = await run(['diff', '--base', 'HEAD', 'meta', '--exit-code'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\+ reflection: app\.B {2}\[all-flag\]/);
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "inputs": ["meta"] }');
    expect((await run(['diff'], dir)).stdout).toMatch(/1 added/);
    g('add', '.');
    g('commit', '-qm', 'two');
    expect((await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', 'meta', '--stat'], dir)).stdout).toMatch(
      /^1 added/,
    );
    // from the repository's top, the whole tree; a path git would quote (not ASCII) is read too
    expect((await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '.', '--stat'], dir)).stdout).toMatch(/^1 added/);
    await mkdir(join(dir, 'métadonnées'));
    await writeFile(join(dir, 'métadonnées', 'reflect-config.json'), '[{"name": "app.C"}]\n');
    g('add', '.');
    g('commit', '-qm', 'three');
    expect((await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '.', '--stat'], dir)).stdout).toMatch(/^1 added/);
    const quoted = await run(['diff', '--base', 'HEAD', '--head', 'HEAD', 'métadonnées'], dir);
    expect(quoted.stderr).toBe('');
    expect(quoted.code).toBe(0);
    // a name that is not UTF-8 (caf\xe9, as Latin-1 writes it): read by its blob, shown with U+FFFD
    const latin = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x63, 0x61, 0x66, 0xe9])]);
    await mkdir(latin);
    await writeFile(Buffer.concat([latin, Buffer.from('/reflect-config.json')]), '[{"name": "app.D"}]\n');
    g('add', '.');
    g('commit', '-qm', 'four');
    const notUtf8 = await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '.', '--format', 'json'], dir);
    expect(notUtf8.stderr).toBe('');
    expect(notUtf8.stdout).toMatch(/app\.D/);
    const unknown = await run(['diff', '--base', 'no-such-branch', 'meta'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown revision 'no-such-branch'/);
    const missing = await run(['diff', '--base', 'HEAD', 'elsewhere'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/found no metadata files at elsewhere in revision HEAD/);
  });

  it('writes the same bytes whatever the order of the input files', async () => {
    await pair();
    const a = await run(['diff', 'old', 'new', '--format', 'markdown'], dir);
    const b = await run(['diff', 'old', 'new', '--format', 'markdown'], dir);
    expect(a.stdout).toBe(b.stdout);
    expect(toJsonText(1)).toBe('1\n');
  });
});
