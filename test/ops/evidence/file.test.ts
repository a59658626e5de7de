/**
 * ni-config-evidence.json: what a trace writes beside its output. Paths are cut to the frames
 * that decide, so the file stays small; the cut must never change a verdict, and the file must
 * read back as it was written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryVerdict, loadStart, namespaceLoading } from '../../../src/ops/evidence/clojure.js';
import { evidenceFileJson, readEvidenceFile } from '../../../src/ops/evidence/file.js';
import { EvidenceBuilder, type CallPath, type Frame } from '../../../src/ops/evidence/types.js';

/** Frames of every kind the rules tell apart: loading frames, static initialisers, machinery, the function's code, lookups. */
const FRAMES: readonly Frame[] = [
  { className: 'clojure.lang.RT', method: 'load' },
  { className: 'clojure.lang.Compiler', method: 'load' },
  { className: 'clojure.lang.RT', method: 'doInit' },
  { className: 'x.y__init', method: '<clinit>' },
  { className: 'x.y__init', method: 'load' },
  { className: 'my.Handler', method: '<clinit>' },
  { className: 'clojure.main', method: 'main' },
  { className: 'clojure.core$require', method: 'doInvoke' },
  { className: 'clojure.lang.Var', method: 'invoke' },
  { className: 'clojure.lang.Reflector', method: 'invokeInstanceMethod' },
  { className: 'java.lang.Thread', method: 'run' },
  { className: 'hello.core$handle', method: 'invokeStatic' },
  { className: 'com.amazonaws.services.lambda.runtime.api.client.AWSLambda', method: 'main' },
];
const LOOKUPS: readonly Frame[] = [
  { className: 'java.lang.Class', method: 'forName' },
  { className: 'java.lang.Class', method: 'getMethods' },
  { className: 'java.lang.Class', method: 'getDeclaredField' },
  { className: 'java.lang.reflect.Method', method: 'invoke' },
];
const path = fc
  .tuple(fc.array(fc.constantFrom(...FRAMES), { maxLength: 24 }), fc.constantFrom(...LOOKUPS))
  .map(([outer, lookup]): CallPath => [...outer, lookup]);

const sameFrame = (a: Frame | undefined, b: Frame | undefined): boolean =>
  a?.className === b?.className && a?.method === b?.method;

function roundTrip(paths: readonly CallPath[]): readonly CallPath[] {
  const b = new EvidenceBuilder('tree');
  for (const p of paths) b.add('reflection', 'a.B', p);
  const json = JSON.parse(JSON.stringify(evidenceFileJson(b.build(), 'test'))) as unknown;
  const back = readEvidenceFile(json, 'ni-config-evidence.json');
  expect(back.findings).toEqual([]);
  return back.evidence.paths.get('reflection\u0000a.B') ?? [];
}

describe('ni-config-evidence.json', () => {
  it('a cut path gets the verdict of the whole one, for every entry shape', () => {
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 6 }), (paths) => {
        const back = roundTrip(paths);
        for (const shape of [
          { fields: false, methods: false, constructors: false },
          { fields: true, methods: true, constructors: true },
        ])
          expect(entryVerdict(back, 'tree', shape, 'a.B')).toBe(entryVerdict(paths, 'tree', shape, 'a.B'));
        for (const p of paths) {
          const cut = back.find(
            (q) => sameFrame(q.at(-1), p.at(-1)) && namespaceLoading(q, 'tree') === namespaceLoading(p, 'tree'),
          );
          expect(cut, 'some cut path keeps the verdict and the lookup of each path').toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the frame that says a load ran while the function ran, though machinery frames go', () => {
    const handler = { className: 'hello.core$handle', method: 'invokeStatic' };
    const machinery = Array.from({ length: 12 }, (_, i) => ({ className: 'clojure.lang.Var', method: `m${i}` }));
    const p: CallPath = [
      handler,
      ...machinery,
      { className: 'clojure.lang.RT', method: 'load' },
      ...machinery,
      LOOKUPS[0]!,
    ];
    expect(loadStart(p)?.atRunTime).toBe(true);
    const [cut] = roundTrip([p]);
    expect(cut!.length).toBeLessThan(p.length);
    expect(cut![0]).toEqual(handler);
    expect(namespaceLoading(cut!, 'tree')).toBe(false);
  });

  it('names a frame index that is not there, with its place', () => {
    const r = readEvidenceFile(
      {
        schemaVersion: 1,
        precision: 'tree',
        source: 'x',
        frames: ['a.B#m'],
        entries: [{ section: 'reflection', name: 'a.B', paths: [[0, 3]] }],
      },
      'e.json',
    );
    expect(r.findings.map((f) => `${f.jsonPointer} ${f.message}`)).toEqual([
      '/entries/0/paths/0 expected frame indexes into /frames',
    ]);
  });
});
