/**
 * The sections users see, by name: a table of plain words with no code behind it, so that the
 * CLI's flags and help can name them without loading the model (model/sections.ts has the rest of
 * each section: how to key, count and rebuild its entries).
 */

/** The sections users see: in rules (`sections`), in counts, in diffs. */
export const SECTIONS = {
  reflection: {
    summary: 'reflection entries (classes, their members and flags)',
    noun: ['reflection entry', 'reflection entries'],
  },
  jni: { summary: 'JNI entries', noun: ['JNI entry', 'JNI entries'] },
  proxies: { summary: 'dynamic proxies (interface lists)', noun: ['proxy', 'proxies'] },
  serialization: {
    summary: 'serialization entries and lambda-capturing types',
    noun: ['serialization entry', 'serialization entries'],
  },
  resources: { summary: 'resource globs, patterns and excludes', noun: ['resource', 'resources'] },
  bundles: { summary: 'resource bundles', noun: ['bundle', 'bundles'] },
  predefined: { summary: 'predefined classes', noun: ['predefined class', 'predefined classes'] },
} as const satisfies Record<string, { summary: string; noun: readonly [string, string] }>;
export type Section = keyof typeof SECTIONS;
export const SECTION_NAMES = Object.keys(SECTIONS) as Section[];
