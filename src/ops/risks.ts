/**
 * What makes a change of a diff worth a reviewer's attention, by name: plain words with no code
 * behind them, so that the CLI can name them without loading the diff (ops/diff.ts tells them).
 */

/** Why a change needs a reviewer's attention. */
export const RISKS = {
  'all-flag': 'grants access to all members of a kind',
  'unsafe-allocated': 'allows instances without a constructor (Unsafe.allocateInstance)',
  serializable: 'makes a type deserializable',
  'broad-resource': 'a resource pattern that matches broadly',
  jni: 'new JNI access',
  proxy: 'a new dynamic proxy',
  'sensitive-package': 'touches a security-sensitive package',
} as const satisfies Record<string, string>;
export type Risk = keyof typeof RISKS;
export const RISK_NAMES = Object.keys(RISKS) as Risk[];
