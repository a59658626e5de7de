/**
 * Emits a {@link ConfigSet} as legacy per-kind files or as one reachability-metadata.json.
 * Output is deterministic: the set is already sorted and every object is built with a fixed
 * key order. What the target format cannot express is never dropped silently: it goes into a
 * legacy side file (native-image reads those next to reachability-metadata.json) or into a
 * note that names it.
 */
export {
  EMIT_NOTE_CODES,
  jsonTextPieces,
  toJsonText,
  type EmitNote,
  type EmitNoteCode,
  type Emitted,
} from './shared.js';
export { emitLegacy, type LegacyEmitOptions } from './legacy.js';
export { emitUnified } from './unified.js';
