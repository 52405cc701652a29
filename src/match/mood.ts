// How a plain description reads: as a report of a fault ("the deferred ones never arrive", "users
// can't see free/busy", "mail to Hotmail bounces since Monday") or as a how-to question or a neutral
// account of how something works ("how do I set out of office for another user", "is it possible to
// relay from a scanner"). The two share the playbooks' words; only the first asks for a playbook.
//
// The free-text similarity (freetext.ts) is scaled by this reading: a paste that tells of trouble
// gets its wording counted a little more (a short description shares few terms with a long playbook
// and would otherwise stay under the `none` line), a question that names no trouble a good deal
// less. A statement that does neither keeps its wording as it is: "only internal people get the out
// of office reply" names no trouble word and is still a fault. A "why" question keeps its wording as
// it is too: it asks about a fault as often as about how something is meant to work.
//
// Only short pastes are read so (a description is a few sentences; a log, a transcript or a bounce is
// longer and keeps its wording as it is). One look at each word's text.
import type { Lexicon, WordBuf } from './lexicon.ts';

/** Words that tell of a fault (lowercased, as splitWords cuts them; "can't" ends in a word "t"). */
const TROUBLE = new Set([
  'fail', 'fails', 'failed', 'failing', 'failure', 'failures', 'error', 'errors', 'unable', 'cannot', 'stopped', 'stops',
  'stuck', 'never', 'broken', 'broke', 'breaks', 'bounce', 'bounces', 'bounced', 'bouncing', 'reject', 'rejects', 'rejected',
  'rejecting', 'rejection', 'blocked', 'blocking', 'blacklisted', 'blocklisted', 'banned', 'denied', 'refused', 'refuses',
  'lost', 'missing', 'disappeared', 'disappear', 'dropped', 'wrong', 'problem', 'problems', 'issue', 'issues', 'trouble',
  'delayed', 'delays', 'deferred', 'quarantined', 'unavailable', 'crash', 'crashes', 'crashed', 'dismounted', 'incorrect',
  'invalid', 'expired', 'undeliverable', 'undelivered', 'ndr', 'ndrs', 'timeout', 'timed', 'prompted', 'prompting',
  'nothing', 'anymore', 'longer', 'died', 'dead', 'fix', 'complain', 'complaining', 'complaints', 'warning',
  'warnings', 'alert', 'alerts', 'loop', 'hangs', 'freezes', 'intermittently', 'sluggish', 'confusing',
  // Accounts held back and faults that come and go: "restricted from sending", "flagged as spam", "suddenly".
  // ("exceeded" is left out: a notice or a phish says "your mailbox has exceeded its limit" as often as a report does.)
  'restricted', 'compromised', 'flagged', 'suddenly', 'randomly', 'repeatedly', 'constantly',
]);

/** Words a how-to question or an explanation opens with. */
const OPENERS = new Set(['how', 'what', 'which', 'where', 'when', 'who', 'is', 'are', 'can', 'could', 'do', 'does', 'should', 'would', 'will', 'to']);

/** Words of an explanation of a feature: what it is for, what it lets you do. */
const EXPLAINING = new Set(['feature', 'features']);
/** Word pairs of the same ("you can", "lets you", "designed to"), as the first word and the words that may follow it. */
const EXPLAINING_PAIRS: ReadonlyMap<string, readonly string[]> = new Map([
  ['you', ['can']], ['can', ['also']], ['lets', ['you']], ['allows', ['you', 'users', 'administrators']], ['designed', ['to']], ['until', ['you']],
]);

/** Wording of a paste that tells of trouble counts this much more. */
export const TROUBLE_BOOST = 1.3;
/** Wording of a question, or of an explanation, that names no trouble counts this much. */
export const QUESTION_DAMPING = 0.5;
/** A description is short: a longer paste (a log, a transcript, a bounce) is read as it is. */
const MAX_WORDS = 120;
/** Nor is a paste with more numbers than a description states (versions, dates, sizes): a session log or a bounce. */
const MAX_NUMBERS = 8;

/** Longest word of the lists above. */
const MAX_LEN = 14;
/** Words that say the same thing goes on happening when a gerund follows ("keeps prompting", "keep getting"). */
const REPEATING = new Set(['keep', 'keeps', 'kept']);
/** The (length, first letter) shapes of the lists' words: a word of another shape is passed over without cutting out its text. */
const SHAPES = new Uint8Array((MAX_LEN + 1) * 128);
for (const w of [...TROUBLE, ...EXPLAINING, ...EXPLAINING_PAIRS.keys(), ...REPEATING]) SHAPES[w.length * 128 + w.charCodeAt(0)] = 1;

/**
 * A word's part in the reading, as bits (0: not looked up yet): 1 none, 2 a trouble word, 4 an explaining
 * word, 8 may open an explaining pair, 16 a word of repetition.
 */
const NONE = 1;
const TROUBLE_WORD = 2;
const EXPLAINING_WORD = 4;
const PAIR_WORD = 8;
const REPEATING_WORD = 16;

function partOf(w: string): number {
  const part = (TROUBLE.has(w) ? TROUBLE_WORD : 0) | (EXPLAINING.has(w) ? EXPLAINING_WORD : 0) | (EXPLAINING_PAIRS.has(w) ? PAIR_WORD : 0) |
    (REPEATING.has(w) ? REPEATING_WORD : 0);
  return part || NONE;
}

/** Whether the "t" at i ends "don't have to" or "don't need to" (no trouble: nothing has to be done). */
function noNeed(words: WordBuf, i: number): boolean {
  return i > 0 && i + 2 < words.n && words.is(i - 1, 'don') && (words.is(i + 1, 'have') || words.is(i + 1, 'need')) && words.is(i + 2, 'to');
}

/** Each lexicon word's part, looked up on first sight (a lexicon's ids do not change while it matches). */
const parts = new WeakMap<Lexicon, Uint8Array>();

/** The factor the paste's free-text similarity is scaled by (1: read as it is). `lexicon`: the one the words were bound to, if any. */
export function moodFactor(words: WordBuf, lexicon?: Lexicon): number {
  const n = words.n;
  if (n === 0 || n > MAX_WORDS) return 1;
  let numbers = 0;
  let explains = false;
  let table = lexicon ? parts.get(lexicon) : undefined;
  if (lexicon && (!table || table.length < lexicon.size)) {
    // Grown by doubling: a stream of pastes teaches the lexicon words one paste after another.
    const grown = new Uint8Array(Math.max(lexicon.size, table ? table.length * 2 : 0));
    if (table) grown.set(table);
    parts.set(lexicon, (table = grown));
  }
  for (let i = 0; i < n; i++) {
    const c0 = words.code(i, 0);
    if (c0 >= 48 && c0 <= 57 && ++numbers > MAX_NUMBERS) return 1;
  }
  for (let i = 0; i < n; i++) {
    const len = words.length(i);
    // "can't", "doesn't", "won't": the contraction's tail; not "you don't have to" / "don't need to",
    // which answer a how-to question ("do I need to change the MX record? No, you don't have to").
    if (len === 1) {
      if (words.code(i, 0) === 116 && !noNeed(words, i)) return TROUBLE_BOOST;
      continue;
    }
    if (len > MAX_LEN) continue;
    const c0 = words.code(i, 0);
    if (c0 >= 128 || SHAPES[len * 128 + c0] === 0) continue;
    const id = table ? (words.lex[i] as number) : -1;
    let part = id >= 0 && id < (table as Uint8Array).length ? ((table as Uint8Array)[id] as number) : 0;
    if (part === 0) {
      part = partOf(words.text(i));
      if (id >= 0 && id < (table as Uint8Array).length) (table as Uint8Array)[id] = part;
    }
    // "keeps prompting", "keep getting": the same fault again and again.
    if (part & TROUBLE_WORD || (part & REPEATING_WORD && i + 1 < n && words.length(i + 1) > 4 && words.text(i + 1).endsWith('ing'))) return TROUBLE_BOOST;
    if (explains || part === NONE) continue;
    if (part & EXPLAINING_WORD) explains = true;
    else if (part & PAIR_WORD) explains = i + 1 < n && (EXPLAINING_PAIRS.get(words.text(i))?.some((next) => words.is(i + 1, next)) ?? false);
  }
  return explains || OPENERS.has(words.text(0)) ? QUESTION_DAMPING : 1;
}
