// The enums of ni-config's own schemas come from the tables in the code (src/commands/catalog.ts,
// and the rule sections of src/ops/prune/rules.ts): presets, formats, rule sections, diff sections
// and risks. Run before the schemas are compiled,
// so that adding a preset (or a section, a risk) is one table entry; a schema file is rewritten
// only when an enum differs. test/schemas.test.ts checks the committed files agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

async function tables() {
  const out = await build({
    stdin: {
      contents: "export * from './src/commands/catalog.ts'; export { RULE_SECTIONS } from './src/ops/prune/rules.ts';",
      resolveDir: '.',
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** Sets the value at a path of keys, saying where it was not found. */
function put(doc, path, value, file) {
  let at = doc;
  for (const k of path.slice(0, -1)) {
    at = at?.[k];
    if (at === undefined) throw new Error(`${file}: no ${path.join('/')}`);
  }
  at[path.at(-1)] = value;
}

export async function syncSchemaEnums() {
  const t = await tables();
  const targets = {
    'schemas/ni-config.schema.json': [
      [['properties', 'format', 'enum'], t.FORMAT_NAMES],
      [['properties', 'write', 'properties', 'format', 'enum'], t.FORMAT_NAMES],
      [['properties', 'prune', 'properties', 'presets', 'items', 'enum'], t.PRESET_NAMES],
      [['properties', 'trace', 'properties', 'engine', 'enum'], t.ENGINE_NAMES],
      [['properties', 'trace', 'properties', 'format', 'enum'], t.FORMAT_NAMES],
    ],
    'schemas/ni-config-rules.schema.json': [
      [['$defs', 'rule', 'properties', 'sections', 'items', 'enum'], t.RULE_SECTIONS],
    ],
    'schemas/ni-config-diff.schema.json': [
      [['properties', 'stat', 'propertyNames', 'enum'], t.SECTION_NAMES],
      [['properties', 'changes', 'items', 'properties', 'section', 'enum'], t.SECTION_NAMES],
      [['properties', 'changes', 'items', 'properties', 'risks', 'items', 'enum'], t.RISK_NAMES],
    ],
  };
  const changed = [];
  for (const [file, edits] of Object.entries(targets)) {
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text);
    for (const [path, value] of edits) put(doc, path, [...value], file);
    const next = JSON.stringify(doc, null, 2) + '\n';
    if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(doc)) {
      writeFileSync(file, next);
      changed.push(file);
    }
  }
  return changed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changed = await syncSchemaEnums();
  console.log(changed.length > 0 ? `updated ${changed.join(', ')}` : 'schema enums are up to date');
}
