/** The GraalVM Reachability Metadata Repository's checks (src/ops/packaging/reachability-repo.ts). */
import { describe, expect, it } from 'vitest';
import { checkReachabilityRepo, type RepoArtifact } from '../../../src/ops/packaging/reachability-repo.js';

const INDEX = JSON.stringify([
  { 'metadata-version': '1.0.0', 'tested-versions': ['1.0.0', '1.0.1'], 'allowed-packages': ['org.lib'] },
]);

function artifact(
  doc: unknown,
  overrides: Partial<RepoArtifact> = {},
  entries = ['reachability-metadata.json'],
): RepoArtifact {
  return {
    group: 'org.lib',
    artifact: 'lib',
    indexFile: 'm/org.lib/lib/index.json',
    indexText: INDEX,
    versions: [
      {
        version: '1.0.0',
        dir: 'm/org.lib/lib/1.0.0',
        entries,
        metadataFile: 'm/org.lib/lib/1.0.0/reachability-metadata.json',
        metadataText: JSON.stringify(doc),
      },
    ],
    ...overrides,
  };
}

const codes = (a: RepoArtifact): string[] => checkReachabilityRepo([a]).map((f) => `${f.code} ${f.jsonPointer}`);

describe('checkReachabilityRepo', () => {
  it('passes conditional entries within the allowed packages', () => {
    expect(
      codes(
        artifact({
          reflection: [{ condition: { typeReached: 'org.lib.A' }, type: 'org.lib.B' }],
          resources: [{ condition: { typeReached: 'org.lib.A' }, glob: 'x.txt' }],
          // the repository's exemption: typeReached and type both in java.lang / java.util
          serialization: [{ condition: { typeReached: 'java.util.List' }, type: 'java.util.ArrayList' }],
        }),
      ),
    ).toEqual([]);
  });

  it('asks for a condition (a warning: the current checker lets it pass), refuses java.lang and packages outside allowed-packages', () => {
    const [unconditional] = checkReachabilityRepo([artifact({ reflection: [{ type: 'org.lib.A' }] })]);
    expect(unconditional).toMatchObject({ code: 'repo-unconditional', severity: 'warning' });
    expect(
      codes(
        artifact({
          reflection: [
            { type: 'org.lib.A' },
            { condition: { typeReached: 'java.lang.Object' }, type: 'org.lib.B' },
            { condition: { typeReached: 'com.other.C' }, type: 'org.lib.C' },
          ],
          foreign: { downcalls: [{ returnType: 'void', parameterTypes: [] }] },
        }),
      ),
    ).toEqual([
      'repo-unconditional /reflection/0',
      'repo-condition /reflection/1/condition/typeReached',
      'repo-condition /reflection/1/condition/typeReached',
      'repo-condition /reflection/2/condition/typeReached',
    ]);
  });

  it('matches allowed-packages as the repository does: any substring of typeReached', () => {
    expect(codes(artifact({ reflection: [{ condition: { typeReached: 'x.org.lib.A' }, type: 'x.B' }] }))).toEqual([]);
  });

  it('finds duplicates whatever the key order, per section', () => {
    const e1 = { condition: { typeReached: 'org.lib.A' }, type: 'org.lib.B' };
    const e2 = { type: 'org.lib.B', condition: { typeReached: 'org.lib.A' } };
    expect(codes(artifact({ reflection: [e1, e2], resources: [] }))).toEqual(['repo-duplicate /reflection/1']);
  });

  it('allows only reachability-metadata.json and schema v1.2.0 sections', () => {
    expect(
      codes(
        artifact({ jni: [{ condition: { typeReached: 'org.lib.A' }, type: 'org.lib.B' }] }, {}, [
          'reachability-metadata.json',
          'reflect-config.json',
        ]),
      ),
    ).toEqual(['repo-file ', 'repo-schema /jni']);
    const missing = checkReachabilityRepo([artifact({}, {}, [])]);
    expect(missing.map((f) => f.message)).toEqual(['missing reachability-metadata.json in m/org.lib/lib/1.0.0']);
  });

  it('reports a missing or incomplete index.json, and a version with no entry', () => {
    const { indexText: _, ...noIndex } = artifact({});
    expect(codes(noIndex as RepoArtifact)).toEqual(['repo-index ']);
    const incomplete = artifact({}, { indexText: JSON.stringify([{ 'metadata-version': '2.0.0' }]) });
    expect(checkReachabilityRepo([incomplete]).map((f) => f.message)).toEqual([
      "the entry has no 'tested-versions' (a required key, CONTRIBUTING.md)",
      "the entry has no 'allowed-packages' (a required key, CONTRIBUTING.md)",
      'no index entry for org.lib:lib matching version 1.0.0 (known metadata-versions: 2.0.0)',
    ]);
    // found by tested-versions when no entry has that metadata-version
    const byTested = artifact(
      { reflection: [{ condition: { typeReached: 'org.lib.A' }, type: 'org.lib.B' }] },
      {
        indexText: JSON.stringify([
          { 'metadata-version': '0.9', 'tested-versions': ['1.0.0'], 'allowed-packages': ['org.lib'] },
        ]),
      },
    );
    expect(codes(byTested)).toEqual([]);
  });
});
