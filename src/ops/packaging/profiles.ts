/** The rule sets `validate --profile` adds: one table, read by the flag's choices and by the use case. */
export const PROFILES = {
  'reachability-repo': {
    summary:
      "the GraalVM Reachability Metadata Repository's own checks (metadata/<groupId>/<artifactId>/<version>/ and index.json)",
  },
} as const;
export type Profile = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as Profile[];
