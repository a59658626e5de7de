// Regenerates schemas/ from the official GraalVM schemas in ../shared/reference/schemas.
// Run by hand when the reference copies change; the output is committed and reviewed like code.
// Every change to an upstream text is listed in schemas/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ref = process.argv[2] ?? '../shared/reference/schemas';
const out = 'schemas';
const BASE = 'https://ni-config.invalid/schemas/';

const plan = [
  ['reflect-config-schema-v1.2.0.json', 'reflect-config.schema.json', fieldFlags],
  ['jni-config-schema-v1.2.0.json', 'jni-config.schema.json', fieldFlags],
  ['resource-config-schema-v1.1.0.json', 'resource-config.schema.json'],
  ['proxy-config-schema-v1.1.0.json', 'proxy-config.schema.json'],
  ['serialization-config-schema-v1.2.0.json', 'serialization-config.schema.json', optionalProxies],
  ['predefined-classes-config-schema-v1.0.0.json', 'predefined-classes-config.schema.json'],
  ['foreign-config-schema-v0.1.0.json', 'foreign-config.schema.json', draft2019],
  ['reachability-metadata-schema-v1.2.0.json', 'reachability-metadata-v1.2.schema.json'],
  ['reachability-metadata-schema-v1.1.0.json', 'reachability-metadata-v1.1.schema.json'],
  ['reachability-metadata-schema-v1.0.0.json', 'reachability-metadata-v1.0.schema.json'],
  ['patched/config-condition-schema-v1.0.0.json', 'config-condition-schema-v1.0.0.json'],
  ['patched/config-type-schema-v1.0.0.json', 'config-type-schema-v1.0.0.json'],
  ['config-reasons-schema-v1.0.0.json', 'config-reasons-schema-v1.0.0.json'],
];

/** The agent still prints allowWrite/allowUnsafeAccess on fields and native-image reads them. */
function fieldFlags(schema) {
  const fields = schema.items.properties.fields.items.properties;
  fields.allowWrite = { type: 'boolean', title: 'Allow writing a final field (written by older agents)' };
  fields.allowUnsafeAccess = { type: 'boolean', title: 'Allow Unsafe access to the field (written by older agents)' };
}

/**
 * `oneOf: [{required: [a]}, {required: [b]}]` beside `additionalProperties: false` means "exactly one
 * of the listed properties". Ajv strict mode (strictRequired) rejects the form; min/maxProperties
 * says the same thing in a form it accepts.
 */
function exactlyOne(node) {
  if (Array.isArray(node)) return node.forEach(exactlyOne);
  if (node === null || typeof node !== 'object') return;
  const branches = node.oneOf;
  if (
    Array.isArray(branches) &&
    node.additionalProperties === false &&
    branches.every(
      (b) =>
        Object.keys(b).length === 1 &&
        Array.isArray(b.required) &&
        b.required.length === 1 &&
        node.properties?.[b.required[0]],
    )
  ) {
    delete node.oneOf;
    node.minProperties = 1;
    node.maxProperties = 1;
  }
  // Upstream writes `(\\[])*` for array brackets: a lone `]` is a syntax error in Unicode-mode
  // regular expressions, which JSON Schema patterns are. `\\]` matches the same text.
  if (typeof node.pattern === 'string') node.pattern = node.pattern.replaceAll('\\[]', '\\[\\]');
  Object.values(node).forEach(exactlyOne);
}

/** The only 2020-12 schema upstream uses no keyword that differs from 2019-09; one draft keeps one Ajv. */
function draft2019(schema) {
  schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
}

/** native-image's parser requires `types` and `lambdaCapturingTypes` only; `proxies` is optional. */
function optionalProxies(schema) {
  schema.required = schema.required.filter((k) => k !== 'proxies');
}

for (const [from, to, patch] of plan) {
  const schema = JSON.parse(readFileSync(join(ref, from), 'utf8'));
  delete schema.version; // not a JSON Schema keyword: Ajv strict mode rejects it
  schema.$id = BASE + to;
  patch?.(schema);
  exactlyOne(schema);
  writeFileSync(join(out, to), JSON.stringify(schema, null, 2) + '\n');
  console.log(`${from} -> ${out}/${to}`);
}
