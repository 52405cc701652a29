// The matcher's public face: build once from the catalog, then match pastes.
import { loadCatalog } from '../catalog/load.ts';
import { Matcher } from './matcher.ts';

export { Matcher } from './matcher.ts';
export type { MatchResult, Match, WhyItem, Signal, SignalSummary } from './types.ts';

let shared: Matcher | undefined;

/** The matcher over the project's catalog, built on first use (for another catalog: new Matcher(catalog)). */
export function defaultMatcher(): Matcher {
  shared ??= new Matcher(loadCatalog());
  return shared;
}
