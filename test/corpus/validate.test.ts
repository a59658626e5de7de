/** validate on the shared corpus: the known real defects are found, the clean majority stays clean. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Finding } from '../../src/model/findings.js';
import { ConfigBuilder } from '../../src/model/model.js';
import { schemaCheck } from '../../src/ops/schema.js';
import { loadSource } from '../../src/ops/load.js';
import { corpusFiles, describeCorpus } from '../helpers.js';

const schemaFindings = await schemaCheck();
const results = corpusFiles().map((f) => ({
  ...f,
  findings: loadSource({ file: f.rel, text: readFileSync(f.path, 'utf8'), kind: f.kind }, new ConfigBuilder(), {
    schema: schemaFindings,
  }).findings,
}));

function codesOf(relPart: string): Set<string> {
  const matching = results.filter((r) => r.rel.includes(relPart));
  expect(matching.length, relPart).toBeGreaterThan(0);
  return new Set(matching.flatMap((r) => r.findings.map((f: Finding) => f.code)));
}

describeCorpus('validate on the shared corpus', () => {
  it('reports the hidden-class conditions of the legacy hazelcast metadata', () => {
    for (const v of ['5.2.1', '5.5.0']) {
      expect(codesOf(`legacy-2026-03-13/metadata/com.hazelcast/hazelcast/${v}/reflect-config.json`)).toContain(
        'hidden-class-condition',
      );
    }
  });

  it('reports the repeated registrations of the microservice project', () => {
    for (const commit of ['020a8d1', 'e7f3c05', 'f776007']) {
      expect(codesOf(`rafaeldelboni__microservice-graalvm/${commit}/`)).toContain('duplicate-type');
    }
  });

  it('reports class names with stray white space (hibernate) and proxies without interfaces (envers)', () => {
    expect(
      codesOf('legacy-2026-03-13/metadata/org.hibernate.orm/hibernate-core/6.1.1.Final/reflect-config.json'),
    ).toContain('bad-class-name');
    expect(
      codesOf('legacy-2026-03-13/metadata/org.hibernate.orm/hibernate-envers/6.1.1.Final/proxy-config.json'),
    ).toContain('empty-proxy');
  });

  it('finds nothing to warn about in the clean majority', () => {
    const flagged = results.filter((r) => r.findings.some((f) => f.severity !== 'info'));
    const share = flagged.length / results.length;
    console.log(`validate: ${flagged.length} of ${results.length} corpus files have warnings or errors`);
    expect(share).toBeLessThan(0.05);
    // Every warning or error is one of the semantic checks, never a schema or parse complaint.
    const codes = new Set(flagged.flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => f.code)));
    expect([...codes].sort()).toEqual([
      'bad-class-name',
      'duplicate-entry',
      'duplicate-type',
      'empty-proxy',
      'hidden-class-condition',
    ]);
  });
});
