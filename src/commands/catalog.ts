/**
 * The named choices commands offer, for flags and help: output formats, prune presets,
 * container engines. Each list comes from its `satisfies Record` table, so choices, help and
 * schema enums cannot drift apart.
 */
export { FORMAT_NAMES, FORMATS, type Format } from '../model/kinds.js';
export { PRESET_NAMES, PRESETS, type PresetName } from '../ops/prune/presets.js';
export { ENGINE_NAMES, ENGINES, type EngineName } from '../trace/engines/index.js';
export { SECTION_NAMES, SECTIONS } from '../model/section-names.js';
export { RISK_NAMES } from '../ops/risks.js';
