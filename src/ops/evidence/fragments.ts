/**
 * The config of a call tree's nodes as metadata sources: in the agent's call-tree modes the
 * nodes' configs are all the config a run writes, in the legacy files' form (GraalVM for JDK
 * 17-22) or the reachability-metadata.json sections' form (JDK 23 and later).
 */
import type { FileKind } from '../../model/kinds.js';
import type { SourceText } from '../load.js';
import type { OriginsFragment } from './origins.js';

function firstItem(v: unknown): Record<string, unknown> | undefined {
  const first: unknown = Array.isArray(v) ? v[0] : undefined;
  return first !== null && typeof first === 'object' && !Array.isArray(first)
    ? (first as Record<string, unknown>)
    : undefined;
}

/** A fragment as a document of a known kind, or undefined for a kind that holds no metadata. */
function documentOf(f: OriginsFragment): { kind: FileKind; value: unknown } | undefined {
  const unifiedShape = 'type' in (firstItem(f.value) ?? {});
  switch (f.kind) {
    case 'reflect':
      return unifiedShape ? { kind: 'unified', value: { reflection: f.value } } : { kind: 'reflect', value: f.value };
    case 'jni':
      return { kind: 'jni', value: f.value };
    case 'proxy':
      return { kind: 'proxy', value: f.value };
    case 'resource': {
      if (!Array.isArray(f.value)) return { kind: 'resource', value: f.value };
      const item = firstItem(f.value) ?? {};
      // [{glob}|{bundle}]: the unified section; [{pattern}]: the pre-1.0 legacy form
      return 'pattern' in item
        ? { kind: 'resource', value: { resources: f.value } }
        : { kind: 'unified', value: { resources: f.value } };
    }
    case 'serialization':
      return unifiedShape && Array.isArray(f.value)
        ? { kind: 'unified', value: { serialization: f.value } }
        : { kind: 'serialization', value: f.value };
    case 'predefined-classes':
      return { kind: 'predefined', value: f.value };
    case 'foreign':
      return { kind: 'foreign', value: f.value };
    default:
      return undefined;
  }
}

/** Each fragment as a source, named by the tree file and the fragment's place in it. */
export function fragmentSources(fragments: readonly OriginsFragment[], file: string): SourceText[] {
  const out: SourceText[] = [];
  for (const f of fragments) {
    const doc = documentOf(f);
    if (doc !== undefined)
      out.push({ file: `${file}#${f.pointer || `line ${f.line}`}`, text: JSON.stringify(doc.value), kind: doc.kind });
  }
  return out;
}
