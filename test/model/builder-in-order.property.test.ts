/**
 * A builder that stages its type records in order (the lean reader's, for a document read in
 * pieces) and settles them at the end builds what a builder that keys each record as it comes
 * builds, finds a repeat exactly when that one would merge one, and merges into other builders
 * the same way, whichever side of the merge it is on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Access, ConfigBuilder, type ConfigSet, type TypeRef, type TypeSection } from '../../src/model/model.js';

interface Add {
  section: TypeSection;
  type: TypeRef;
  condition: string;
  flags: number;
  groups: number;
  method: string | undefined;
}

const names = ['a.A', 'a.B', 'b.A', 'a.A[]', 'z.Z'];
const add: fc.Arbitrary<Add> = fc.record({
  section: fc.constantFrom<TypeSection>('reflection', 'reflection', 'jni'),
  type: fc.oneof(
    fc.constantFrom(...names).map((name): TypeRef => ({ kind: 'class', name })),
    fc.subarray(names.slice(0, 3), { minLength: 1 }).map((interfaces): TypeRef => ({ kind: 'proxy', interfaces })),
  ),
  condition: fc.constantFrom('', '', 'c.C', 'c.D'),
  flags: fc.nat(7),
  groups: fc.constantFrom(0, 1, 2, 6, 0x22),
  method: fc.option(fc.constantFrom('m', 'n'), { nil: undefined }),
});

function keyOf(t: TypeRef): string {
  return t.kind === 'class' ? t.name : `proxy(${t.kind === 'proxy' ? t.interfaces.join(',') : ''})`;
}

/** Adds each; true when none was a repeat (an add of a (section, key, condition) already there). */
function addAll(b: ConfigBuilder, adds: readonly Add[]): boolean {
  let fresh = true;
  for (const a of adds) {
    const methods = a.method === undefined ? null : [{ name: a.method, params: [], access: Access.Accessed }];
    if (!b.addPackedType(a.section, keyOf(a.type), a.condition, a.type, a.flags, a.groups, methods, null, ['r']))
      fresh = false;
  }
  return fresh;
}

function text(set: ConfigSet): string {
  return JSON.stringify(set, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));
}

function staged(adds: readonly Add[]): { builder: ConfigBuilder; settled: boolean } {
  const builder = new ConfigBuilder();
  builder.stageInOrder();
  // every add says it made a record: nothing is looked up before the builder settles
  expect(addAll(builder, adds)).toBe(true);
  return { builder, settled: builder.settle() };
}

describe('a builder that stages its records in order', () => {
  it('builds the same set, and finds a repeat exactly when a keyed builder merges one', () => {
    fc.assert(
      fc.property(fc.array(add, { maxLength: 30 }), (adds) => {
        const keyed = new ConfigBuilder();
        const fresh = addAll(keyed, adds);
        const { builder, settled } = staged(adds);
        expect(settled).toBe(fresh);
        if (!settled) return;
        for (const section of ['reflection', 'jni'] as const)
          expect(builder.hasConditionVariants(section)).toBe(keyed.hasConditionVariants(section));
        expect(text(builder.build())).toBe(text(keyed.build()));
      }),
      { numRuns: 500 },
    );
  });

  it('merges as a keyed builder does: absorbed first or later, then added to', () => {
    fc.assert(
      fc.property(
        fc.array(add, { maxLength: 12 }),
        fc.array(add, { maxLength: 12 }),
        fc.array(add, { maxLength: 6 }),
        (before, document, after) => {
          const { builder: stage, settled } = staged(document);
          fc.pre(settled);
          const expected = new ConfigBuilder();
          addAll(expected, [...before, ...document, ...after]);
          const merged = new ConfigBuilder();
          addAll(merged, before);
          merged.absorb(stage);
          addAll(merged, after);
          expect(text(merged.build())).toBe(text(expected.build()));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is settled before anything reads it, and only when it was empty', () => {
    const b = new ConfigBuilder();
    b.stageInOrder();
    expect(() => b.hasConditionVariants('reflection')).toThrow(/settled first/);
    expect(() => new ConfigBuilder().absorb(b)).toThrow(/settled first/);
    expect(() => b.absorb(new ConfigBuilder())).toThrow(/settled first/);
    expect(() => b.build()).toThrow(/settled first/);
    expect(() => b.stageInOrder()).toThrow(/empty builder/);
    const used = new ConfigBuilder();
    addAll(used, [
      { section: 'jni', type: { kind: 'class', name: 'a.A' }, condition: '', flags: 0, groups: 0, method: undefined },
    ]);
    expect(() => used.stageInOrder()).toThrow(/empty builder/);
  });
});
