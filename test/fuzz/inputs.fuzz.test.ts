/**
 * Mutated corpus files through every file-reading command: truncations, byte flips, type swaps,
 * deep nesting, huge strings, odd Unicode, `__proto__` keys. Whatever the bytes, a command
 * answers with an exit code and a message (never an internal error or a stack trace), returns
 * within a bound, writes either a whole valid output or nothing, and pollutes no prototype.
 * NI_CONFIG_FUZZ_RUNS sets the number of mutated files (default 500); the counts are printed.
 */
import fc from 'fast-check';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvents } from '../../src/trace/events.js';
import { CORPUS, FULL_CORPUS, corpusFiles, REPO } from '../helpers.js';
import { run, tempDir } from '../cli/harness.js';
import { get, paths, set, type Json } from '../json-edit.js';

const RUNS = Number(process.env.NI_CONFIG_FUZZ_RUNS ?? 500);
const PER_COMMAND_MS = 10_000;
// C0 and C1 controls but the line feed, DEL, line/paragraph separators, bidi overrides
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// A spread of the corpus (the whole one when given, else the committed subset): every file kind,
// small enough that a run stays quick.
const seeds = (() => {
  const byKind = new Map<string, string[]>();
  for (const f of corpusFiles(FULL_CORPUS ?? CORPUS)) {
    if (statSync(f.path).size > 64 * 1024) continue;
    const list = byKind.get(f.kind) ?? [];
    list.push(f.path);
    byKind.set(f.kind, list);
  }
  const out: string[] = [];
  for (const list of byKind.values())
    for (let i = 0; i < list.length; i += Math.max(1, Math.floor(list.length / 12))) out.push(list[i]!);
  return out;
})();

/** The paths of the nodes that `keep` accepts. */
function pathsWhere(doc: Json, keep: (v: Json) => boolean): (string | number)[][] {
  return paths(doc).filter((p) => keep(get(doc, p)));
}

const odd = [
  '\u0000',
  '\u001b[2J',
  '\u0085',
  '\u2028',
  '\ud800',
  '\u202e',
  '\u200b',
  'é',
  'e\u0301',
  '\uffff',
  '𝔘',
  '\\',
  '"',
  '\n',
  '\r',
];
const replacement = fc.oneof(
  fc.constant<Json>(null),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<Json>(-1, 1e308, 0.5, 2 ** 53 + 1),
  fc.string({ maxLength: 20 }),
  fc.array(fc.constantFrom(...odd), { minLength: 1, maxLength: 6 }).map((a) => a.join('')),
  fc.constantFrom<Json>(
    [],
    {},
    [[]],
    [{}],
    { name: null },
    'x'.repeat(300_000),
    '[B',
    'java.lang.Object[][]',
    '$$Lambda/0x1',
    '**/*',
    '(',
    '\\Q',
  ),
);

/** A mutation of the text of a seed file. */
type Mutation = { kind: string; apply: (text: string) => string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .double({ min: 0, max: 1, noNaN: true })
    .map((r) => ({ kind: 'truncate', apply: (t: string) => t.slice(0, Math.floor(t.length * r)) })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })).map(([r, b]) => ({
    kind: 'byte flip',
    apply: (t: string) => {
      const bytes = Buffer.from(t);
      if (bytes.length > 0) bytes[Math.floor(r * (bytes.length - 1))] = b;
      return bytes.toString('latin1');
    },
  })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), replacement).map(([r, value]) => ({
    kind: 'type swap',
    apply: (t: string) => {
      const doc = JSON.parse(t) as Json;
      const all = paths(doc);
      return JSON.stringify(
        set(doc, all[Math.floor(r * (all.length - 1))]!, () => value),
        null,
        2,
      );
    },
  })),
  fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
    )
    .map(([r, key]) => ({
      kind: 'prototype key',
      apply: (t: string) => {
        const doc = JSON.parse(t) as Json;
        const objects = pathsWhere(doc, (v) => v !== null && typeof v === 'object' && !Array.isArray(v));
        if (objects.length === 0) return `{"${key}": {"polluted": true}}`;
        const at = objects[Math.floor(r * (objects.length - 1))]!;
        // spliced in as text: JSON.stringify would drop a real __proto__ key
        const inner = JSON.stringify(
          set(doc, at, (o) => ({ ...(o as object), ['\u0001marker']: true })),
          null,
          2,
        );
        return inner.replace('"\\u0001marker": true', `"${key}": {"polluted": true, "name": "x.Y"}`);
      },
    })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...odd)).map(([r, c]) => ({
    kind: 'odd character in a string',
    apply: (t: string) => {
      const doc = JSON.parse(t) as Json;
      const strings = pathsWhere(doc, (v) => typeof v === 'string');
      if (strings.length === 0) return t;
      const at = strings[Math.floor(r * (strings.length - 1))]!;
      return JSON.stringify(
        set(doc, at, (v) => `${String(v).slice(0, 5)}${c}${String(v).slice(5)}`),
        null,
        2,
      );
    },
  })),
  fc
    .integer({ min: 1_000, max: 20_000 })
    .map((depth) => ({ kind: 'deep nesting', apply: (t: string) => `${'['.repeat(depth)}${t}${']'.repeat(depth)}` })),
  fc
    .constantFrom('\ufeff', '// c\n', '/* c */', '\u00a0')
    .map((p) => ({ kind: 'prefix', apply: (t: string) => p + t })),
);

const counts = new Map<string, number>();
let cases = 0;
let commandRuns = 0;
const exits = [0, 0, 0];
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => {
  await cleanup();
  const byKind = [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `fuzz: ${cases} mutated files (${byKind}) from ${seeds.length} corpus seeds, ${commandRuns} command runs (exit 0: ${exits[0]}, 1: ${exits[1]}, 2: ${exits[2]})`,
  );
  // both outcomes were exercised: inputs that still load and inputs that are refused
  if (cases >= 50) expect(exits[0]! > 0 && exits[2]! > 0).toBe(true);
});

async function timed<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`${what} did not return within ${PER_COMMAND_MS} ms`)),
        PER_COMMAND_MS,
      )),
  );
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('mutated corpus files', () => {
  it('never crash, hang, pollute a prototype or leave a partial output', async () => {
    expect(seeds.length).toBeGreaterThan(10);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), mutation, async (seed, m) => {
        const original = readFileSync(seed, 'utf8');
        let text: string;
        try {
          text = m.apply(original);
        } catch {
          return; // a seed that is not JSON (cannot happen for corpus files) has no tree to mutate
        }
        cases++;
        counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
        const caseDir = join(dir, `case-${n++}`);
        await mkdir(join(caseDir, 'in'), { recursive: true });
        await writeFile(join(caseDir, 'in', basename(seed)), text, 'latin1');
        await mkdir(join(caseDir, 'orig'));
        await writeFile(join(caseDir, 'orig', basename(seed)), original);
        const commands: string[][] = [
          ['validate', 'in', '--json'],
          ['convert', 'in', '--to', 'unified', '-o', 'out-unified'],
          ['convert', 'in', '--to', 'legacy', '-o', 'out-legacy'],
          ['merge', 'in', 'orig', '-o', 'out-merged'],
          ['prune', 'in', '--preset', 'default', '-o', 'out-pruned'],
          ['diff', 'in', 'orig', '--format', 'json'],
          // what a terminal, a PR comment and an annotation show of the same input
          ['validate', 'in'],
          ['validate', 'in', '--format', 'github'],
          ['diff', 'orig', 'in'],
          ['diff', 'orig', 'in', '--format', 'markdown'],
          ['diff', 'orig', 'in', '--format', 'github'],
        ];
        for (const argv of commands) {
          commandRuns++;
          const what = `${argv[0]} on a ${m.kind} of ${seed}`;
          const r = await timed(run(argv, caseDir), what);
          expect([0, 1, 2], `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
          exits[r.code]!++;
          expect(r.stderr, what).not.toContain('internal error');
          expect(r.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
          // no control character or bidi override of the input reaches a terminal or a comment
          // (JSON output is data: JSON.stringify escapes what JSON requires, the reader the rest)
          const json = argv.includes('--json') || argv.includes('json');
          expect((json ? '' : r.stdout) + r.stderr, `${what}: an unprintable character in the output`).not.toMatch(
            UNPRINTABLE,
          );
          if (argv[0] === 'validate' || argv[0] === 'diff') {
            const format = argv.includes('--json') ? 'json' : argv[argv.indexOf('--format') + 1];
            if (r.code !== 2 && format === 'json') JSON.parse(r.stdout); // whole JSON
            if (format === 'github')
              for (const line of r.stdout.split('\n').filter((l) => l !== ''))
                expect(line, what).toMatch(/^::(error|warning|notice) [^:]*::/);
            if (format === 'markdown' && r.code !== 2)
              expect(r.stdout.split('<details>').length, `${what}: unbalanced <details>`).toBe(
                r.stdout.split('</details>').length,
              );
            continue;
          }
          const out = argv[argv.indexOf('-o') + 1]!;
          if (r.code === 2) {
            expect(existsSync(join(caseDir, out)), `${what} failed but left ${out}`).toBe(false);
          } else {
            // what was written is whole and reads back without a structural error
            const written = await readdir(join(caseDir, out));
            expect(written.length, what).toBeGreaterThan(0);
            const back = await run(['validate', out, '--json'], caseDir);
            expect(back.stderr, what).not.toContain('internal error');
            const report = JSON.parse(back.stdout) as { findings: { severity: string; code: string }[] };
            expect(
              report.findings.filter((f) => f.code === 'json-syntax' || f.code === 'schema'),
              `${what} wrote ${out} that does not read back`,
            ).toEqual([]);
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
        await rm(caseDir, { recursive: true, force: true });
      }),
      { numRuns: RUNS, seed: process.env.NI_CONFIG_FUZZ_SEED ? Number(process.env.NI_CONFIG_FUZZ_SEED) : undefined },
    );
  }, 600_000);
});

// The files users edit by hand, each the seed of its own mutations.
const userFiles = {
  'ni-config.jsonc': JSON.stringify({
    inputs: ['in'],
    format: 'unified',
    strict: false,
    maxFileSize: 10_000_000,
    write: {
      group: 'com.example',
      artifact: 'fn',
      root: 'res',
      format: 'legacy',
      args: ['--initialize-at-build-time=example'],
    },
    prune: { presets: ['default', 'clojure'], rules: [], keep: [], aggressive: false },
  }),
  'rules.jsonc': JSON.stringify({
    rules: [
      { includeRegex: '.*__init', sections: ['reflection'], reason: 'k' },
      { excludeGlob: 'META-INF/**', sections: ['resources'] },
      { exclude: 'java.lang.String', sections: ['reflection', 'jni'] },
    ],
  }),
  'event.json': readFileSync(join(REPO, 'test', 'fixtures-java', 'hello', 'events', '01-greet.json'), 'utf8'),
};
let userCases = 0;

describe('mutated project, rule and event files', () => {
  it('are refused with a message, never a crash, and nothing is written from them', async () => {
    const input = seeds.find((p) => basename(p) === 'reflect-config.json')!;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(userFiles) as (keyof typeof userFiles)[])),
        mutation,
        async (name, m) => {
          let text: string;
          try {
            text = m.apply(userFiles[name]);
          } catch {
            return;
          }
          userCases++;
          const caseDir = join(dir, `user-${n++}`);
          await mkdir(join(caseDir, 'in'), { recursive: true });
          await writeFile(join(caseDir, 'in', 'reflect-config.json'), readFileSync(input));
          await writeFile(join(caseDir, name), text, 'latin1');
          const what = `a ${m.kind} of ${name}`;
          if (name === 'event.json') {
            const loaded = await timed(loadEvents([name], [], caseDir), what);
            expect(loaded.events.length + loaded.findings.length, what).toBeGreaterThan(0);
          } else {
            const argv = name === 'rules.jsonc' ? ['prune', 'in', '--rules', 'rules.jsonc', '-o', 'out'] : ['write'];
            const r = await timed(run(argv, caseDir), what);
            commandRuns++;
            expect([0, 1, 2], `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
            expect(r.stderr, what).not.toContain('internal error');
            expect(r.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
            if (r.code === 2)
              expect(await readdir(caseDir), `${what} was refused but something was written`).toEqual(
                expect.arrayContaining(['in', name]),
              );
            if (r.code === 2) expect((await readdir(caseDir)).length, what).toBe(2);
          }
          await rm(caseDir, { recursive: true, force: true });
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    console.log(`fuzz: ${userCases} mutated project, rule and event files`);
  }, 600_000);
});
