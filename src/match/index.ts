// The matcher's public face: build once from the catalog, then match pastes.
import { loadCatalog, type Catalog } from '../catalog/load.ts';
import { Matcher } from './matcher.ts';

export { Matcher } from './matcher.ts';
export type { MatchResult, Match, WhyItem, Signal, SignalSummary } from './types.ts';

let shared: Matcher | undefined;

/** The matcher over the project's catalog, built on first use. */
export function defaultMatcher(catalog?: Catalog): Matcher {
  if (catalog) return new Matcher(catalog);
  shared ??= new Matcher(loadCatalog());
  return shared;
}
