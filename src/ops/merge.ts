/**
 * Merge with the semantics of GraalVM's own (`native-image-configure generate`): entries keyed
 * by condition and type, flags OR-ed, member access max(none < queried < accessed), fields and
 * methods unioned, members an `all*` flag certainly covers collapsed. The rules live in
 * {@link ConfigBuilder}; merge is building one set from several.
 */
import { ConfigBuilder, type ConfigSet } from '../model/model.js';

/** The union of sets, with GraalVM's merge semantics. */
export function mergeSets(sets: Iterable<ConfigSet>): ConfigSet {
  const builder = new ConfigBuilder();
  for (const s of sets) builder.addSet(s);
  return builder.build();
}
