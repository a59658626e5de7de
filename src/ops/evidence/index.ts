/** Lookup evidence: which call paths led the agent to record each entry (docs/evidence.md). */
export { builtinCallerIncluded } from './caller-filter.js';
export { namespaceLoading, onlyNamespaceLoading } from './clojure.js';
export { AGENT_KINDS } from './entries.js';
export {
  PARTIAL_CONFIG_WITH_ORIGINS,
  originsTextEvidence,
  originsTextKind,
  partialConfigEvidence,
  type OriginsFragment,
  type OriginsResult,
} from './origins.js';
export { traceLookupEvidence } from './traces.js';
export {
  EVIDENCE_SECTIONS,
  EvidenceBuilder,
  evidenceKey,
  splitEvidenceKey,
  type CallPath,
  type EvidenceSection,
  type Frame,
  type LookupEvidence,
} from './types.js';
