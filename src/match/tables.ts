// What the Matcher constructor builds from a catalog, as plain data and typed arrays: the condition
// index (exact tables, the phrase trie, the CJK phrases), each intent's condition ids, which intents
// each condition puts in play, the ids of the telling-apart questions' conditions, the lexicon with
// every word the matcher binds, the language vote and the paste literals' automaton. A warm start
// (src/cli/warm-matcher.ts) keeps it in its checksummed snapshot and the constructor takes it over
// instead of compiling, registering and binding again; each part's shape is checked as it is
// restored (lengths, table sizes, an empty slot), and one that does not fit means a fresh build.
import type { ConditionIndexState, IntentConditionsState } from './evidence.ts';
import type { AutomatonState } from './automaton.ts';
import type { LexiconState } from './lexicon.ts';
import type { TextIndexDerived } from './freetext.ts';

/** Bump when a part's shape changes. */
export const TABLES_FORMAT = 5;

export interface MatcherTables {
  format: number;
  /** The catalog they were built for: its intent and playbook counts (the snapshot's key says the rest). */
  intents: number;
  playbooks: number;
  conditions: ConditionIndexState;
  intentConditions: IntentConditionsState;
  /** Condition id -> the intents its positive evidence puts in play: triggerList[triggerStart[id] .. triggerStart[id + 1]). */
  triggerStart: Int32Array<ArrayBuffer>;
  triggerList: Int32Array<ArrayBuffer>;
  /** The condition ids of the questions' askWhen and unlessAny conditions, in the order they were registered. */
  telling: Int32Array<ArrayBuffer>;
  lexicon: LexiconState;
  /** The language vote's mask per lexicon word (LanguageLayer.bind()). */
  votes: Uint8Array<ArrayBuffer>;
  /** The free-text index's derived tables (TextIndex.derived()). */
  text: TextIndexDerived;
  /** The paste literals' automaton (literals.ts: kind markers and version substrings; the same for every catalog). */
  literals: AutomatonState;
}
