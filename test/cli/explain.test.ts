/**
 * explain: for each entry a query selects, the rules that match it in order and the one that
 * decides, the keep file that pins it, the jar that ships it, and the lookups the evidence shows
 * (caller, load or run time). The evidence is the hand-written call tree of fixtures/evidence.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExplainResult } from '../../src/commands/explain.js';
import type { PruneResultJson } from '../../src/commands/prune.js';
import { EVIDENCE_FILE } from '../../src/ops/evidence/file.js';
import { REPO } from '../helpers.js';
import { writeZip } from '../zip.js';
import { run, tempDir } from './harness.js';

const TREE = join(REPO, 'fixtures/evidence/jdk21/partial-config-with-origins.json');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'out'));
  // what the agent wrote for the run the tree records
  await writeFile(
    join(dir, 'out', 'reflect-config.json'),
    JSON.stringify([
      { name: 'clojure.core.server__init' },
      { name: 'java.net.URI' },
      { name: 'java.lang.String' },
      { name: 'java.util.Arrays$ArrayList', queryAllPublicMethods: true },
      { name: 'java.util.AbstractList', methods: [{ name: 'get', parameterTypes: ['int'] }] },
    ]),
  );
});
afterEach(async () => cleanup());

async function explain(args: string[]): Promise<ExplainResult> {
  const r = await run(['explain', ...args, '--json'], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ExplainResult;
}

describe('explain', () => {
  it('an entry looked up only while namespaces loaded: every matching rule, the deciding one, the load-time path', async () => {
    const r = await explain(['clojure.core.server__init', 'out', '--preset', 'clojure', '--evidence', TREE]);
    expect(r.inputs).toEqual(['out']);
    expect(r.explanations).toHaveLength(1);
    const x = r.explanations[0]!;
    expect(x.decision).toBe('removed');
    expect(x.decidedBy).toBe('clojure/evidence');
    expect(x.rules.map((m) => m.id)).toEqual(['clojure/N5', 'clojure/N1', 'clojure/evidence']);
    expect(x.evidence.verdict).toBe('loading');
    expect(x.evidence.lookups).toEqual([
      {
        loading: true,
        loadsAtRunTime: false,
        frames: [
          'clojure.lang.RT#doInit',
          '…',
          'clojure.core__init#load',
          'clojure.lang.RT#classForName',
          'java.lang.Class#forName',
        ],
      },
    ]);
  });

  it('a glob selects several; one looked up at run time is kept, and its path names the function that asked', async () => {
    const r = await explain(['java.util.*', 'out', '--preset', 'clojure', '--evidence', TREE]);
    expect(r.explanations.map((x) => `${x.entry} ${x.decision}`)).toEqual([
      'java.util.AbstractList kept',
      'java.util.Arrays$ArrayList kept',
    ]);
    expect(r.explanations[0]!.evidence.verdict).toBe('runtime');
    // the evidence rule alone selects nothing by name: it is not 'overruled' where the entry stays
    expect(r.explanations[0]!.overruled).toEqual([]);
    expect(r.explanations[0]!.evidence.lookups[0]!.frames[0]).toBe('hello.core$first_of#invokeStatic');
  });

  it('run-time lookups come before load-time ones, and one at run time keeps the entry', async () => {
    const r = await explain(['java.lang.String', 'out', '--preset', 'clojure', '--evidence', TREE]);
    const x = r.explanations[0]!;
    expect(x.decision).toBe('kept');
    expect(x.evidence.lookups.map((l) => l.loading)).toEqual([false, true]);
  });

  it("uses the trace's evidence file beside the input, and says so", async () => {
    await copyFile(TREE, join(dir, 'out', EVIDENCE_FILE));
    const r = await run(['explain', 'java.net.URI', 'out', '--preset', 'clojure'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('reflection java.net.URI: removed by clojure/evidence');
    expect(r.stdout).toContain('  evidence: looked up only while namespaces loaded');
    expect(r.stdout).toMatch(/\n {4}load {2}clojure\.lang\.RT#load > … > clojure\.lang\.Compiler#eval > /);
    expect(r.stdout).toContain(`(evidence from ${join('out', EVIDENCE_FILE)})`);
  });

  it('without evidence an entry is decided by the heuristics alone, and says there is none', async () => {
    const r = await run(['explain', 'clojure.core.server__init', 'out', '--preset', 'clojure'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('reflection clojure.core.server__init: removed by clojure/N1');
    expect(r.stdout).toContain('  evidence: none for this entry');
  });

  it('names the keep file that pins an entry and the jar that ships one', async () => {
    await writeFile(join(dir, 'keep.json'), JSON.stringify([{ name: 'clojure.core.server__init' }]));
    writeZip(join(dir, 'lib.jar'), {
      'META-INF/native-image/com.example/lib/reflect-config.json': JSON.stringify([{ name: 'java.net.URI' }]),
    });
    const r = await explain([
      'clojure.core.server__init',
      'java.net.URI',
      '--in',
      'out',
      '--preset',
      'clojure',
      '--preset',
      'libraries',
      '--keep',
      'keep.json',
      '--classpath',
      'lib.jar',
    ]);
    const [pinned, shipped] = r.explanations;
    expect(pinned!.decision).toBe('kept');
    expect(pinned!.pinnedBy).toBe('keep.json');
    expect(shipped!.decision).toBe('removed');
    expect(shipped!.shippedBy).toEqual(['lib.jar']);
  });

  it('a query that matches nothing exits 1 and says so; no query is a usage error', async () => {
    const r = await run(['explain', 'no.such.Class', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no entry matches no.such.Class');
    const none = await run(['explain', '--in', 'out'], dir);
    expect(none.code).toBe(2);
  });
});

describe('prune with the evidence a trace left beside its output', () => {
  it('uses it, names it, and removes what was only looked up while namespaces loaded', async () => {
    await copyFile(TREE, join(dir, 'out', EVIDENCE_FILE));
    const r = await run(['prune', 'out', '--preset', 'clojure', '--dry-run', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PruneResultJson;
    expect(out.evidence).toBe(join('out', EVIDENCE_FILE));
    expect(out.removed.map((x) => `${x.entry} ${x.rule}`)).toEqual([
      'clojure.core.server__init clojure/evidence',
      'java.net.URI clojure/evidence',
    ]);
    expect(out.warnings[0]).toMatch(/^the evidence in out\/ni-config-evidence\.json decides where it has some/);
    const text = await run(['prune', 'out', '--preset', 'clojure', '--dry-run'], dir);
    expect(text.stderr).toContain(`lookup evidence: ${join('out', EVIDENCE_FILE)}`);
    // --explain gives each removal's evidence: how many lookups, and one of them
    const explained = await run(['prune', 'out', '--preset', 'clojure', '--dry-run', '--explain'], dir);
    expect(explained.stdout).toContain(
      '    evidence: 1 lookup, only while namespaces loaded, e.g. clojure.lang.RT#load > … > clojure.lang.Compiler#eval > clojure.lang.RT#classForName > java.lang.Class#forName',
    );
    expect(out.removed[0]!.evidence).toEqual({
      verdict: 'loading',
      lookups: 1,
      example: [
        'clojure.lang.RT#doInit',
        '…',
        'clojure.core__init#load',
        'clojure.lang.RT#classForName',
        'java.lang.Class#forName',
      ],
    });
  });

  it('--evidence names other evidence, and then the file beside is not read', async () => {
    await writeFile(join(dir, 'out', EVIDENCE_FILE), '{ not json');
    const r = await run(['prune', 'out', '--preset', 'clojure', '--evidence', TREE, '--dry-run', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as PruneResultJson).evidence).toBe(TREE);
  });

  it("reads the agent's own call trees in the input and its run directories when no trace wrote a file", async () => {
    await mkdir(join(dir, 'out', 'run-1'));
    await copyFile(TREE, join(dir, 'out', 'run-1', 'partial-config-with-origins.json'));
    const r = await run(['prune', 'out', '--preset', 'clojure', '--dry-run', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PruneResultJson;
    expect(out.evidence).toBe(join('out', 'run-1', 'partial-config-with-origins.json'));
    expect(out.removed.map((x) => x.rule)).toEqual(['clojure/evidence', 'clojure/evidence']);
  });

  it('keeps what a namespace loaded while the function ran needs (requiring-resolve in the handler: K10)', async () => {
    await writeFile(
      join(dir, 'out', 'reflect-config.json'),
      JSON.stringify([{ name: 'plugin.impl__init' }, { name: 'clojure.core.server__init' }]),
    );
    await writeFile(
      join(dir, 'out', EVIDENCE_FILE),
      JSON.stringify({
        schemaVersion: 1,
        precision: 'tree',
        source: 'by hand',
        frames: [
          'com.amazonaws.services.lambda.runtime.api.client.AWSLambda#main',
          'hello.core$handle#invokeStatic',
          'clojure.core$requiring_resolve#invokeStatic',
          'clojure.lang.RT#load',
          'java.lang.Class#forName',
          'clojure.lang.RT#<clinit>',
          'clojure.lang.RT#doInit',
        ],
        entries: [
          { section: 'reflection', name: 'plugin.impl__init', paths: [[0, 1, 2, 3, 4]] },
          { section: 'reflection', name: 'clojure.core.server__init', paths: [[5, 6, 3, 4]] },
        ],
      }),
    );
    const r = await run(['prune', 'out', '--preset', 'clojure', '--dry-run', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as PruneResultJson).removed.map((x) => `${x.entry} ${x.rule}`)).toEqual([
      'clojure.core.server__init clojure/evidence',
    ]);
    const text = await run(['explain', 'plugin.impl__init', 'out', '--preset', 'clojure'], dir);
    expect(text.stdout).toContain('reflection plugin.impl__init: kept');
    expect(text.stdout).toContain('evidence: looked up at run time');
    expect(text.stdout).toMatch(/overruled by the evidence: clojure\/N1 \(exclude: /);
    expect(text.stdout).toMatch(
      /run {3}hello\.core\$handle#invokeStatic > .*\(loads a namespace while the function runs\)/,
    );
  });

  it('says which event first needed an entry when the trace recorded it (trace --attribute)', async () => {
    await writeFile(
      join(dir, 'out', EVIDENCE_FILE),
      JSON.stringify({
        schemaVersion: 1,
        precision: 'tree',
        source: 'trace --attribute',
        frames: [],
        entries: [
          {
            section: 'reflection',
            name: 'java.util.AbstractList',
            paths: [],
            firstNeededBy: { event: 'events/02.json', run: 'run-1' },
          },
        ],
      }),
    );
    const r = await run(['explain', 'java.util.AbstractList', 'java.net.URI', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'reflection java.util.AbstractList: kept (no rule matches it)\n  first needed by events/02.json (run-1)\n',
    );
    // an entry the trace recorded no event for: nothing is said, nothing guessed
    expect(r.stdout.split('reflection java.net.URI')[1]).not.toContain('first needed by');
    const json = await explain(['java.util.AbstractList', 'out']);
    expect(json.explanations[0]!.neededBy).toEqual({ event: 'events/02.json', run: 'run-1' });
  });
});
