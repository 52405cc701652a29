// The matcher: paste -> signals -> scored intents -> ranked playbooks, each with the evidence that fired.
import type { Catalog } from '../catalog/load.ts';
import type { Condition, Intent, Playbook } from '../catalog/schema.ts';
import { flatten } from './chars.ts';
import { cleanText } from './snippet.ts';
import { markContinuations } from './continuation.ts';
import { markAddressHops } from './address-hop.ts';
import { qmailLogSpaces } from './qmail-log.ts';
import { sendmailEchoBlanked } from './sendmail-echo.ts';
import { envelopeWords } from './envelope.ts';
import { reportsDeliveryFailure } from './failure-context.ts';
import { compileCondition, ConditionIndex, IntentConditions, type CompiledCondition, type Found } from './evidence.ts';
import { readCompiled, writeCompiled, type CompiledMatcher } from './compiled.ts';
import { compileTextIndex, TextIndex, type Term } from './freetext.ts';
import { TABLES_FORMAT, type MatcherTables } from './tables.ts';
import { detectKind } from './kind.ts';
import { FLAG_DOMAIN, Lexicon, WordBuf } from './lexicon.ts';
import { PasteLiterals } from './literals.ts';
import { evidenceWithLocal, isScriptLanguage, LanguageLayer, requireAnyWithLocal, type LocalWording } from './localised.ts';
import { extractSignals, scanPaste } from './signals.ts';
import { summarizeSignals } from './summary.ts';
import { splitWords } from './words.ts';
import { TellingIndex } from './telling.ts';
import { isSuccessOnly } from './success.ts';
import { isReportOnly } from './report.ts';
import { isForeignService, isOutsideMail } from './foreign.ts';
import { isCodeTable, isSourceListing } from './listing.ts';
import { evidenceOnConfigLines, isConfigListing, quotesAuthRecord } from './config-listing.ts';
import { readsAsManual } from './manual.ts';
import { otherProvider } from './provider.ts';
import { applicability, statedVersions, type StatedVersion } from './version.ts';
import type { Confidence, Match, MatchOptions, MatchResult, Signal, Span, WhyItem } from './types.ts';

/** Pastes longer than this are analysed up to here (and the result says so). */
export const MAX_ANALYSED_CHARS = 1024 * 1024;
export const MAX_MATCHES = 5;

/** Score thresholds (bands and verdicts as docs/contracts.md states them). */
export const THRESHOLDS = { high: 0.75, medium: 0.5, none: 0.35, ambiguousGap: 0.1 } as const;

/** How strongly summed evidence weights turn into a score: 1 - e^(-k·S). */
const EVIDENCE_STEEPNESS = 2;
/** Cosine similarity at which the wording counts as fully alike. */
const TEXT_SATURATION = 0.3;
/** Share of the score the wording can give: more for descriptions, less next to codes. */
const TEXT_SHARE_FREE = 0.72;
const TEXT_SHARE_CODED = 0.3;
/** Wording alone, with no word of this field in the paste, stays below the `none` line. */
const TEXT_SHARE_OFF_TOPIC = 0.25;
/** A playbook that does not apply to the version the paste states, ranked on wording or phrases alone, keeps this share of its score. */
const VERSION_MISFIT = 0.85;
/** A pair the paste leaves undecided: the other playbook ranks this far below the first. */
const UNDECIDED_GAP = 0.02;
/** Evidence keys that are codes: a candidate with positive evidence of one is not re-ranked by version (`code` on its evidence). */
const CODE_KEYS = new Set(['status', 'reply', 'component', 'eventId', 'hresult', 'exception']);

/** The share localised wording can give a playbook that no evidence points at: under the `none` line (THRESHOLDS.none). */
const LOCAL_WORDING_ALONE = 0.3;
/** Shared terms from which localised wording counts like English wording (CJK terms are character bigrams: more of them). */
const LOCAL_WORDING_HITS = 3;
const LOCAL_WORDING_HITS_CJK = 5;
/** Evidence without codes in a help page that reports no failure counts this much (see LocalWording.helpPage). */
const QUIET_PHRASES = 0.4;
/**
 * A mail system's own report of a failed delivery (failure-context.ts) adds this to the evidence sum of
 * each playbook whose evidence reaches FAILURE_CONTEXT_MIN (a real phrase or code, not a lone reply code): a
 * report's own stage or reason phrase of 0.15 ("in reply to end of DATA command", "Connection timed out")
 * counts, a lone reply code (0.05) or a lone status code of a class (0.1) does not.
 */
const FAILURE_CONTEXT_WEIGHT = 0.08;
const FAILURE_CONTEXT_MIN = 0.15;
/** Evidence this strong in a paste with codes (a phrase or status code, more than a lone reply code): it decides, and localised wording matches nothing alone. */
const CODED_EVIDENCE = 0.15;

/** Words that put a code-less paste in the mail world ("topology discovery failed for kafka" is not). */
const DOMAIN_WORDS = new Set([
  'exchange', 'outlook', 'owa', 'mailbox', 'mailboxes', 'smtp', 'ndr', 'ndrs', 'bounce', 'bounces', 'bounced', 'oof', 'autodiscover',
  'ews', 'activesync', 'mapi', 'rpc', 'transport', 'connector', 'connectors', 'hybrid', 'o365', 'office', 'm365', 'exo', 'eop',
  'mail', 'email', 'emails', 'e', 'inbox', 'calendar', 'recipient', 'recipients', 'sender', 'dag', 'spf', 'dkim', 'dmarc', 'mx',
  'tls', 'starttls', 'relay', 'quarantine', 'quarantined', 'oab', 'gal', 'replies', 'reply', 'cu', 'msexchange', 'powershell',
]);

type Indexed = CompiledCondition & { id: number };

interface CompiledIntent {
  intent: Intent;
  playbook: Playbook;
  /** `local`: a localised phrase (lang blocks), never the subject of a telling-apart question. */
  evidence: Array<Indexed & { weight: number; local: boolean; code: boolean }>;
  requireAny: Indexed[];
  exclude: Indexed[];
  /** For the question that tells two matches apart (see askable). */
  askable: Askable | undefined;
}

interface Askable {
  labels: Set<string>;
  byWeight: Array<Indexed & { weight: number }>;
}

interface Candidate {
  playbook: Playbook;
  intent: string;
  evidenceScore: number;
  rawSum: number;
  why: WhyItem[];
  /** The wording's share of the score (0 when the wording adds nothing). */
  textShare: number;
  /** Some of the fired evidence is a code (status, reply, component …). */
  coded: boolean;
  /** Whether the playbook applies to the version the paste states (undefined: it states none). */
  applies?: boolean;
  docIndex: number;
  score: number;
}

/** What the constructor builds, or takes over from a warm start's tables (tables.ts). */
interface Built {
  conditions: ConditionIndex;
  conditionsOf: IntentConditions;
  triggers: Int32Array[];
  text: TextIndex;
  lexicon: Lexicon;
  language: LanguageLayer;
  telling: TellingIndex;
  tellingIds: Int32Array;
}

export class Matcher {
  /** Each intent compiled with its condition ids, built on first need (a paste reads the few it ranks). */
  private readonly intents: Array<CompiledIntent | undefined>;
  /** Intent id -> the index of the first intent with it (the question that tells two matches apart reads it). */
  private readonly intentById = new Map<string, number>();
  private readonly conditions: ConditionIndex;
  /** Each intent's conditions as flat arrays, for the evidence sum over the intents in play. */
  private readonly conditionsOf: IntentConditions;
  /** Condition id -> the indexes (ascending) of the intents whose positive evidence names it: only these can score. */
  private readonly triggers: Int32Array[];
  /** Intent index -> the index of its playbook (= its document in the term index). */
  private readonly docOfIntent: Int32Array;
  private readonly text: TextIndex;
  /** Localised wording and the language guess (localised.ts). */
  private readonly language: LanguageLayer;
  readonly catalog: Catalog;
  // Per-paste scratch, reused (matching is synchronous): intents in play, best candidate per playbook.
  /** One bit per intent: put in play by the paste's evidence (empty between pastes). */
  private readonly inPlayBits: Int32Array;
  /** The intents in play of one paste (their indexes). */
  private readonly inPlayBuf: Int32Array;
  private readonly bestIntent: Int32Array;
  private readonly bestRaw: Float64Array;
  /** Every word the catalog knows (and those learned from pastes), and the paste's words by id. */
  private readonly lexicon: Lexicon;
  private readonly words = new WordBuf();
  /** The best MAX_MATCHES of a paste: document, score, evidence sum, wording share. */
  private readonly topDoc = new Int32Array(MAX_MATCHES);
  private readonly topScore = new Float64Array(MAX_MATCHES);
  private readonly topRaw = new Float64Array(MAX_MATCHES);
  private readonly topText = new Float64Array(MAX_MATCHES);
  /** The catalog's telling-apart questions, with their askWhen / unlessAny conditions indexed. */
  private readonly telling: TellingIndex;
  private readonly tellingIds: Int32Array;
  /** Playbook id -> the first intent leading to it (for a playbook a question ranks). */
  private readonly firstIntentOf = new Map<string, string>();
  private readonly explainDocs = new Int32Array(MAX_MATCHES + 1);
  /** The kind markers and version substrings of a paste, in one pass. */
  private readonly literals: PasteLiterals;
  /** The lexicon's size when built: tables() describes the matcher only until a paste teaches it words. */
  private readonly builtWords: number;
  /** Whether the constructor took its tables over (tables.ts) instead of building them. */
  readonly restored: boolean;

  /**
   * `compiled`: the compiled form of this catalog when the caller has it (a warm snapshot), else read
   * from the cache. `tables`: what a matcher built for this catalog and compiled form gave as tables()
   * (a warm snapshot): taken over when well formed, else the matcher is built as without them.
   */
  constructor(catalog: Catalog, compiled?: CompiledMatcher, tables?: MatcherTables) {
    this.catalog = catalog;
    const docIndex = new Map(catalog.playbooks.map((p, di) => [p.id, di]));
    this.docOfIntent = Int32Array.from(catalog.intents, (intent) => {
      if (!catalog.playbookById.get(intent.playbook)) throw new Error(`intent ${intent.id} leads to unknown playbook ${intent.playbook}`);
      return docIndex.get(intent.playbook) as number;
    });
    catalog.intents.forEach((intent, ii) => {
      if (!this.intentById.has(intent.id)) this.intentById.set(intent.id, ii);
      if (!this.firstIntentOf.has(intent.playbook)) this.firstIntentOf.set(intent.playbook, intent.id);
    });
    this.intents = new Array<CompiledIntent | undefined>(catalog.intents.length).fill(undefined);
    this.inPlayBits = new Int32Array((catalog.intents.length + 31) >> 5);
    this.inPlayBuf = new Int32Array(catalog.intents.length);
    this.bestIntent = new Int32Array(catalog.playbooks.length).fill(-1);
    this.bestRaw = new Float64Array(catalog.playbooks.length);
    const restored = tables && compiled ? restore(catalog, compiled, tables) : undefined;
    const built = restored ?? build(catalog, compiled);
    this.restored = restored !== undefined;
    this.literals = new PasteLiterals(restored ? tables?.literals : undefined);
    this.conditions = built.conditions;
    this.conditionsOf = built.conditionsOf;
    this.triggers = built.triggers;
    this.text = built.text;
    this.lexicon = built.lexicon;
    this.language = built.language;
    this.telling = built.telling;
    this.tellingIds = built.tellingIds;
    this.builtWords = this.lexicon.size;
  }

  /**
   * What the constructor built, as tables a later start can take over (tables.ts); undefined once a
   * paste has taught the lexicon a word (the tables would then be no longer what a build gives).
   */
  tables(): MatcherTables | undefined {
    if (this.lexicon.size !== this.builtWords) return undefined;
    const starts = new Int32Array(this.conditions.size + 1);
    const list: number[] = [];
    for (let id = 0; id < this.conditions.size; id++) {
      starts[id] = list.length;
      for (const ii of this.triggers[id] ?? []) list.push(ii);
    }
    starts[this.conditions.size] = list.length;
    return {
      format: TABLES_FORMAT,
      intents: this.catalog.intents.length,
      playbooks: this.catalog.playbooks.length,
      conditions: this.conditions.state(),
      intentConditions: this.conditionsOf.state(),
      triggerStart: starts,
      triggerList: Int32Array.from(list),
      telling: this.tellingIds.slice(),
      lexicon: this.lexicon.state(),
      votes: this.language.votesState(),
      literals: this.literals.state(),
      text: this.text.derived(),
    };
  }

  /** Intent ii with its conditions compiled and their ids (as the constructor registered them). */
  private intentAt(ii: number): CompiledIntent {
    const had = this.intents[ii];
    if (had) return had;
    const intent = this.catalog.intents[ii] as Intent;
    const ids = this.conditionsOf.idsOf(ii);
    const evidence = evidenceWithLocal(intent).map((e, k) => {
      const c: Indexed = { ...compileCondition(e), id: ids.evidence[k] as number };
      return { ...c, weight: e.weight, code: e.weight > 0 && CODE_KEYS.has(c.key), local: k >= intent.evidence.length };
    });
    const requireAny = (requireAnyWithLocal(intent) ?? []).map((c, k): Indexed => ({ ...compileCondition(c), id: ids.requireAny[k] as number }));
    const exclude = (intent.exclude ?? []).map((c, k): Indexed => ({ ...compileCondition(c), id: ids.exclude[k] as number }));
    const ci: CompiledIntent = { intent, playbook: this.catalog.playbookById.get(intent.playbook) as Playbook, evidence, requireAny, exclude, askable: undefined };
    this.intents[ii] = ci;
    return ci;
  }

  /** The first intent with this id, compiled (undefined: none). */
  private intentNamed(id: string): CompiledIntent | undefined {
    const ii = this.intentById.get(id);
    return ii === undefined ? undefined : this.intentAt(ii);
  }

  match(input: string, options?: MatchOptions): MatchResult {
    const text = sendmailEchoBlanked(qmailLogSpaces(flatSequential(input.length > MAX_ANALYSED_CHARS ? input.slice(0, MAX_ANALYSED_CHARS) : input)));
    const lower = flatten(text.toLowerCase());
    const words = this.words;
    scanPaste(text, lower, this.lexicon, words);
    markContinuations(text, words);
    markAddressHops(text, words);
    const signals = extractSignals(text, words, lower);
    const literals = this.literals.scan(text, lower) ? this.literals : undefined;
    const kind = detectKind(text, signals, lower, literals?.kindMarks);
    const found = this.conditions.resolve(signals, kind, words);
    // The intents the evidence puts in play, in catalog order (the first of equal sums wins): marked in
    // a bit set, read back in ascending order (no sort), the set left empty for the next paste.
    const bits = this.inPlayBits;
    for (const id of found.ids) {
      const list = this.triggers[id];
      if (!list) continue;
      for (let k = 0; k < list.length; k++) {
        const ii = list[k] as number;
        bits[ii >> 5] = (bits[ii >> 5] as number) | (1 << (ii & 31));
      }
    }
    const inPlayBuf = this.inPlayBuf;
    let playing = 0;
    for (let w = 0; w < bits.length; w++) {
      let x = bits[w] as number;
      if (x === 0) continue;
      bits[w] = 0;
      while (x !== 0) {
        const low = x & -x;
        inPlayBuf[playing++] = (w << 5) | (31 - Math.clz32(low));
        x ^= low;
      }
    }
    // Each playbook's best intent by evidence sum (the explanation is built for the chosen few only).
    const bestIntent = this.bestIntent;
    const bestRaw = this.bestRaw;
    const touched: number[] = [];
    for (let k = 0; k < playing; k++) {
      const ii = inPlayBuf[k] as number;
      const sum = this.conditionsOf.sum(ii, found);
      if (!(sum > 0)) continue;
      const di = this.docOfIntent[ii] as number;
      const prev = bestIntent[di] as number;
      if (prev < 0) touched.push(di);
      if (prev < 0 || sum > (bestRaw[di] as number)) {
        bestIntent[di] = ii;
        bestRaw[di] = sum;
      }
    }
    const hasCodes = signals.some(isCodeSignal);
    // Looked for once a playbook's evidence could take the bonus (most pastes without evidence never ask).
    let failingKnown: boolean | undefined;
    const failing = (): boolean => (failingKnown ??= reportsDeliveryFailure(lower, literals?.failureMarks()));
    let strongest = 0;
    for (const di of touched) if ((bestRaw[di] as number) > strongest) strongest = bestRaw[di] as number;
    const guess = this.language.detect(text, words);
    const onTopic = hasCodes || isOnTopic(words, this.lexicon) || (guess !== undefined && isScriptLanguage(guess.lang) && this.language.cjkOnTopic(text));
    const share = hasCodes ? TEXT_SHARE_CODED : onTopic ? TEXT_SHARE_FREE : TEXT_SHARE_OFF_TOPIC;
    const { sims, topTerms, explain } = this.text.similarities(words, this.lexicon, envelopeWords(lower, words));
    // A paste in another language: each playbook's wording is the better of its English and its localised likeness.
    const local = guess ? this.language.wording(text, guess.lang, hasCodes && strongest >= CODED_EVIDENCE, words, this.lexicon, lower) : undefined;
    const localSims = local?.sims;
    // The best MAX_MATCHES by score, then evidence sum, then catalog order (a stable sort's order).
    const topDoc = this.topDoc;
    const topScore = this.topScore;
    const topRaw = this.topRaw;
    const topText = this.topText;
    let topCount = 0;
    const localHits = local?.hits;
    const localSpecific = local?.specific;
    // A non-English paste that tells of no trouble: no wording alone, English or its own, reaches the `none` line.
    const quiet = local !== undefined && !local.trouble;
    const aloneBelow = local !== undefined && isScriptLanguage(local.lang) ? LOCAL_WORDING_HITS_CJK : LOCAL_WORDING_HITS;
    for (let di = 0; di < bestIntent.length; di++) {
      const sim = sims[di] as number;
      const has = (bestIntent[di] as number) >= 0;
      // No evidence and no word in common, in English or the paste's language: no score (the usual case in a large catalog).
      if (sim === 0 && !has && !(localSims && (localSims[di] as number) > 0)) continue;
      // A quiet paste (a help page, a notice) without codes adds no wording to a playbook its phrases point at:
      // a page that names a feature ("the offline address book", "Outlook 2013") with no failure is no case of it.
      const muted = quiet && has && !hasCodes;
      let t = muted ? 0 : Math.min(1, sim / TEXT_SATURATION) * (quiet && !has ? Math.min(share, LOCAL_WORDING_ALONE) : share);
      if (localSims && localHits && localSpecific) {
        // Localised wording alone (no evidence for this playbook) stays below the `none` line unless it shares
        // several terms with the playbook's wording in that language.
        // So does wording whose shared terms are all generic words of the field (message, mailbox, recipient).
        const alone = !has && ((localHits[di] as number) < aloneBelow || localSpecific[di] === 0);
        const tl = muted ? 0 : Math.min(1, (localSims[di] as number) / TEXT_SATURATION) * (alone ? Math.min(share, LOCAL_WORDING_ALONE) : share);
        if (tl > t) t = tl;
      }
      if (!has && !(t > 0.01)) continue;
      // A help page without codes that reports no failure of its own (a page about storage limits, bounces in
      // general) names a playbook's phrase as an example ("邮箱已满" among the causes of a bounce): one such phrase
      // alone stays under the `none` line, two or more still match.
      const found0 = has ? (bestRaw[di] as number) * (local?.helpPage && !hasCodes ? QUIET_PHRASES : 1) : 0;
      const raw = found0 >= FAILURE_CONTEXT_MIN && failing() ? found0 + FAILURE_CONTEXT_WEIGHT : found0;
      const score = 1 - (1 - (has ? evidenceScoreOf(raw) : 0)) * (1 - t);
      if (!(score > 0.01)) continue;
      let k = topCount;
      while (k > 0 && (score > (topScore[k - 1] as number) || (score === topScore[k - 1] && raw > (topRaw[k - 1] as number)))) k--;
      if (k >= MAX_MATCHES) continue;
      // Shift the worse ones down one place (the last falls off when the list is full).
      for (let j = Math.min(topCount, MAX_MATCHES - 1); j > k; j--) {
        topDoc[j] = topDoc[j - 1] as number;
        topScore[j] = topScore[j - 1] as number;
        topRaw[j] = topRaw[j - 1] as number;
        topText[j] = topText[j - 1] as number;
      }
      topDoc[k] = di;
      topScore[k] = score;
      topRaw[k] = raw;
      topText[k] = t;
      if (topCount < MAX_MATCHES) topCount++;
    }
    const ranked: Candidate[] = [];
    for (let k = 0; k < topCount; k++) {
      const di = topDoc[k] as number;
      const ii = bestIntent[di] as number;
      const c = (ii >= 0 ? scoreIntent(this.intentAt(ii), found) : null) ??
        { playbook: this.catalog.playbooks[di] as Playbook, intent: '', evidenceScore: 0, rawSum: 0, why: [], textShare: 0, coded: false, docIndex: di, score: 0 };
      c.docIndex = di;
      c.textShare = topText[k] as number;
      c.score = topScore[k] as number;
      if (c.rawSum >= FAILURE_CONTEXT_MIN && failing()) c.why.push({ evidence: 'a mail system reports the delivery failed or deferred', span: null, weight: FAILURE_CONTEXT_WEIGHT });
      ranked.push(c);
    }
    for (const di of touched) bestIntent[di] = -1;
    let stated = statedVersions(text, lower, literals?.hasVersionSubstring);
    // The paste names no version: the one the thread stated before (if the caller knows it) counts.
    const carried = !stated.length && options?.versions?.length ? options.versions : undefined;
    if (carried) stated = carried.map((v) => ({ version: v.version as StatedVersion['version'], evidence: v.evidence, ...(v.vianet && { vianet: true }) }));
    if (stated.length) rankByVersion(ranked, stated);
    // A pair this paste cannot tell apart (a question's askWhen evidence, none of its unlessAny): both ranked, the question asked.
    const head = ranked[0];
    const forced = head && head.score >= THRESHOLDS.none ? this.telling.forced(head.playbook.id, found) : undefined;
    if (head && forced) liftOther(ranked, head, forced, this.catalog.playbookById.get(forced.other), this.firstIntentOf.get(forced.other) ?? '', stated);
    // The wording is explained for the matches it adds to (see textWhy below), in one walk.
    let explained = 0;
    for (const c of ranked) if (c.textShare >= 0.02 && explained < this.explainDocs.length) this.explainDocs[explained++] = c.docIndex;
    explain(this.explainDocs, explained);
    shownWords.n = 0;
    const matches = ranked.map((c) => {
      if (c.textShare >= 0.02) {
        c.why.push(local && (local.sims[c.docIndex] as number) > (sims[c.docIndex] as number)
          ? localWhy(local, c.textShare, c.evidenceScore)
          : textWhy(text, topTerms(c.docIndex), c.textShare, c.evidenceScore));
      }
      return toMatch(c);
    });
    const result: MatchResult = { kind, signals: summarizeSignals(signals), verdict: 'none', matches };
    if (input.length > text.length) result.truncated = { analysedChars: text.length, totalChars: input.length };
    if (stated.length) result.versions = stated.map((v) => ({ version: v.version, evidence: v.evidence, ...(v.vianet && { vianet: true }), ...(carried && { thread: true }) }));
    const [first, second] = ranked;
    // A page in another language that lists several errors, each with its explanation (a provider's table of
    // bounce messages, "代表的なエラーメッセージと対策"): three playbooks or more found each by its own evidence, or two
    // by messages they quote on a page that names itself a help page. A reference list, no case to act on.
    if (local && first && first.score >= THRESHOLDS.none && (listsErrors(ranked, 3, false) || (local.helpCue && listsErrors(ranked, 2, true)))) return result;
    // The same in English, with no reply or status code: a bounce library's README that lists the keywords and subjects it
    // sorts by ("`User unknown`, `No such user`", "`Mailbox full`, `Quota exceeded`"), a vendor's table of bounce classes, a
    // list of RFC reply meanings. A bounce, a log or a session that tells of three failures carries their codes; a message's
    // headers name several verdicts of one filtering (TrustedSenderList, BCL, compauth) and stay with the header rules.
    if (!local && !hasCodes && kind !== 'headers' && first && first.score >= THRESHOLDS.none && listsErrors(ranked, 3, false)) return result;
    // Only successes (220/250/235 lines, a delivered message), a report (DMARC, ARF), another service's failure (a database's
    // refused connection or TLS handshake), program source whose codes are its string literals or a server's configuration
    // (config-listing.ts) or a manual's prose about its messages and options (manual.ts): nothing to act on.
    // A mail system's own report of a failed delivery (failure-context.ts) is mail, however its reason reads
    // ("delivery temporarily suspended: Server certificate not verified"): never outside it.
    if (first && first.score >= THRESHOLDS.none && (isSuccessOnly(signals, lower) || isReportOnly(signals, lower) || isForeignService(signals, lower, literals?.foreignMarks()) || (!failing() && isOutsideMail(first.playbook.topics, first.rawSum === 0, signals, lower, literals?.foreignMarks())) || isSourceListing(signals, text) || (!failing() && (isConfigListing(text) || isCodeTable(text) || (!hasCodes && quotesAuthRecord(lower)) || evidenceOnConfigLines(text, first.why) || readsAsManual(lower, literals?.manualMarks()))))) return result;
    // A client's sign-in refused by another provider's submission service (Gmail, SendGrid, SES …): not Exchange's.
    const other = first && otherProvider(first.playbook.topics, signals, lower);
    if (other) return { ...result, otherProvider: other };
    if (first && first.score >= THRESHOLDS.none) {
      if (second && first.score - second.score < THRESHOLDS.ambiguousGap) {
        result.verdict = 'ambiguous';
        const q = this.telling.forPair(first.playbook.id, second.playbook.id);
        if (q) {
          result.question = q.ask;
          result.questionId = q.id;
          result.answers = q.answers.map((a) => ({ label: a.label, ...(a.settles && { settles: a.settles }) }));
        } else {
          result.question = tellApart(first, second, (id) => this.intentNamed(id));
        }
      } else {
        result.verdict = 'match';
      }
    }
    return result;
  }
}

/** Compiles, registers and binds everything the matcher needs from the catalog (and writes the compiled cache when it had none). */
function build(catalog: Catalog, compiled: CompiledMatcher | undefined): Built {
  // The compiled cache (warm start) holds the term index and every condition compiled, for this catalog.
  let cached = compiled ?? (catalog.key ? readCompiled(catalog.root, catalog.key) : undefined);
  const conditionCount = catalog.intents.reduce((n, i) => n + evidenceWithLocal(i).length + (requireAnyWithLocal(i)?.length ?? 0) + (i.exclude?.length ?? 0), 0);
  if (cached && (cached.conditions.length !== conditionCount || !sameDocuments(cached, catalog))) cached = undefined;
  const compiledConditions: CompiledCondition[] = [];
  const compile = (c: Condition): CompiledCondition => {
    const one = cached ? (cached.conditions[compiledConditions.length] as CompiledCondition) : compileCondition(c);
    compiledConditions.push(one);
    return one;
  };
  const conditions = new ConditionIndex();
  const conditionsOf = new IntentConditions();
  const triggerLists = new Map<number, number[]>();
  catalog.intents.forEach((intent, ii) => {
    const index = (c: CompiledCondition) => ({ id: conditions.register(c) });
    const evidence = evidenceWithLocal(intent).map((e) => ({ id: conditions.register(compile(e)), weight: e.weight }));
    const requireAny = (requireAnyWithLocal(intent) ?? []).map((c) => index(compile(c)));
    const exclude = (intent.exclude ?? []).map((c) => index(compile(c)));
    for (const e of evidence) {
      if (e.weight <= 0) continue;
      const list = triggerLists.get(e.id) ?? [];
      if (!list.includes(ii)) list.push(ii);
      triggerLists.set(e.id, list);
    }
    conditionsOf.add(evidence, requireAny, exclude);
  });
  conditionsOf.finish();
  const triggers: Int32Array[] = [];
  for (const [id, list] of triggerLists) triggers[id] = Int32Array.from(list);
  const tellingIds: number[] = [];
  const telling = new TellingIndex(catalog.questions ?? [], (c) => {
    const one = compileCondition(c);
    const id = conditions.register(one);
    tellingIds.push(id);
    return { id, label: one.label };
  });
  let data = cached?.text;
  if (!data) {
    data = compileTextIndex(catalog.playbooks.map((p) => ({ id: p.id, words: splitWords(playbookWording(p, catalog.intents)) })));
    if (catalog.key) writeCompiled(catalog.root, catalog.key, { text: data, conditions: compiledConditions });
  }
  const text = new TextIndex(data);
  const lexicon = new Lexicon((w) => text.classify(w), data.words.length + DOMAIN_WORDS.size + 4096);
  lexicon.adopt(data.words, data.wordClass, data.wordHashes, data.wordChars, data.wordStarts);
  for (const w of DOMAIN_WORDS) lexicon.setFlag(lexicon.add(w), FLAG_DOMAIN);
  conditions.phrases.bind(lexicon);
  const language = new LanguageLayer(catalog);
  language.bind(lexicon);
  return { conditions, conditionsOf, triggers, text, lexicon, language, telling, tellingIds: Int32Array.from(tellingIds) };
}

/** The compiled index is of this catalog's playbooks, in order. */
function sameDocuments(compiled: CompiledMatcher, catalog: Catalog): boolean {
  return compiled.text.docIds.length === catalog.playbooks.length && compiled.text.docIds.every((id, i) => id === catalog.playbooks[i]?.id);
}

/** What build() gives, from tables of an earlier build (tables.ts), or undefined when they do not fit this catalog or are not well formed. */
function restore(catalog: Catalog, compiled: CompiledMatcher, t: MatcherTables): Built | undefined {
  if (t.format !== TABLES_FORMAT || t.intents !== catalog.intents.length || t.playbooks !== catalog.playbooks.length || !sameDocuments(compiled, catalog)) return undefined;
  const conditions = new ConditionIndex();
  if (!conditions.restore(t.conditions)) return undefined;
  const count = conditions.size;
  const conditionsOf = new IntentConditions();
  if (!conditionsOf.restore(t.intentConditions, catalog.intents.length)) return undefined;
  const { triggerStart, triggerList } = t;
  if (triggerStart.length !== count + 1 || triggerStart[0] !== 0 || triggerStart[count] !== triggerList.length) return undefined;
  const triggers: Int32Array[] = [];
  for (let id = 0; id < count; id++) {
    const a = triggerStart[id] as number;
    const b = triggerStart[id + 1] as number;
    if (b > a) triggers[id] = triggerList.subarray(a, b);
  }
  let next = 0;
  let fits = true;
  const telling = new TellingIndex(catalog.questions ?? [], (c) => {
    const id = t.telling[next++];
    if (id === undefined || id >= count) fits = false;
    return { id: id ?? 0, label: compileCondition(c).label };
  });
  if (!fits || next !== t.telling.length) return undefined;
  if (!t.text || !(t.text.pairs instanceof Int32Array) || !(t.text.pairBits instanceof Int32Array)) return undefined;
  const text = new TextIndex(compiled.text, t.text);
  const lexicon = Lexicon.restore((w) => text.classify(w), t.lexicon);
  if (!lexicon) return undefined;
  const language = new LanguageLayer(catalog);
  language.adoptVotes(t.votes);
  return { conditions, conditionsOf, triggers, text, lexicon, language, telling, tellingIds: t.telling };
}

/** Past this length a paste is copied into one flat string first (the scanners pass over it several times). */
const COPY_FROM = 32 * 1024;

/**
 * The paste as a flat, sequential string. A long paste is often a slice of a larger string or a
 * concatenation (a rope), and reading those one code unit at a time costs 1.5-4× a flat string;
 * a round trip through a Buffer copies the code units as they are (lone surrogates too): Latin-1
 * when every unit fits in a byte (a one-byte string, which lowercases several times faster), else UTF-16.
 */
function flatSequential(s: string): string {
  if (s.length < COPY_FROM) return flatten(s);
  return BEYOND_LATIN1.test(s) ? Buffer.from(s, 'utf16le').toString('utf16le') : Buffer.from(s, 'latin1').toString('latin1');
}

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** Whether the start of the paste (the part the wording is read from) names something of this field. */
function isOnTopic(words: WordBuf, lexicon: Lexicon): boolean {
  const n = Math.min(words.n, 1500);
  for (let i = 0; i < n; i++) {
    if (lexicon.hasFlag(words.lex[i] as number, FLAG_DOMAIN)) return true;
    // "cu5", "cu12": a cumulative update.
    const len = words.length(i);
    if ((len === 3 || len === 4) && words.code(i, 0) === 99 && words.code(i, 1) === 117 && words.digitsFrom(i, 2)) return true;
  }
  return false;
}

function isCodeSignal(s: Signal): boolean {
  return s.type === 'statusCode' || s.type === 'replyCode' || s.type === 'component' || s.type === 'hresult' || s.type === 'eventId' || s.type === 'exception';
}

/** The words that describe a playbook for the free-text index. */
function playbookWording(p: Playbook, intents: readonly Intent[]): string {
  const parts = [p.title, p.summary, ...p.symptoms, ...p.symptoms, p.diagnosis.meaning];
  for (const i of intents) if (i.playbook === p.id) parts.push(i.title, ...i.examples.map((e) => withoutEnvelope(e.text.slice(0, 2000))));
  return parts.join('\n');
}

/**
 * A delivery report's envelope fields (RFC 3464 per-message and per-recipient fields, the returned
 * message's headers): the same in every bounce whatever went wrong, so an example's wording leaves
 * them out (Diagnostic-Code keeps its text, without the field name) and a paste's "Reporting-MTA: dns"
 * or "Final-Recipient: rfc822" is like no playbook in particular.
 */
const ENVELOPE_FIELD = /^\s*(?:reporting-mta|received-from-mta|arrival-date|final-recipient|original-recipient|x-actual-recipient|action|status|remote-mta|last-attempt-date|will-retry-until|x-postfix-[\w-]+|x-[\w-]*queue-id|return-path|received|message-id|date|from|to|cc|subject|mime-version|content-[\w-]+|x-mailer|delivered-to|auto-submitted|x-original-to):.*$/gim;

function withoutEnvelope(text: string): string {
  return text.replace(ENVELOPE_FIELD, '').replace(/^(\s*)diagnostic-code:\s*(?:smtp|x-[\w-]+)?;?/gim, '$1');
}

/** A phrase this strong is a message a page quotes (a product or version name weighs less). */
const QUOTED_MESSAGE = 0.3;

/**
 * Whether at least `least` ranked playbooks score a medium match, each on evidence of its own: its deciding
 * reason (the first, or with `quoted` a message it quotes: a phrase of QUOTED_MESSAGE weight, not a product name
 * nor a code alone) is a reason no playbook counted before gave, at a place of the paste none of their evidence
 * covers. A pair that shares its evidence (IMCEAEX beside ExRecipNotFound for two playbooks, the 5.1.1 of that
 * NDR for a third) is one error, however many playbooks read it; a table of errors names each at its own line.
 */
function listsErrors(ranked: readonly Candidate[], least: number, quoted: boolean): boolean {
  const reasons = new Set<string>();
  const covered: Span[] = [];
  for (const c of ranked) {
    if (c.score < THRESHOLDS.medium || c.rawSum <= 0) continue;
    const why = quoted ? c.why.find((w) => w.evidence.startsWith('phrase ') && w.weight >= QUOTED_MESSAGE) : c.why[0];
    if (why === undefined || reasons.has(why.evidence)) continue;
    const span = why.span;
    if (span && covered.some((s) => s[0] < span[1] && span[0] < s[1])) continue;
    reasons.add(why.evidence);
    for (const w of c.why) if (w.span) covered.push(w.span);
  }
  return reasons.size >= least;
}

function evidenceScoreOf(sum: number): number {
  return 1 - Math.exp(-EVIDENCE_STEEPNESS * sum);
}

/**
 * The candidate of an intent ranked on its evidence: its fired evidence, in declaration order. Only
 * asked of an intent whose evidence sum (IntentConditions.sum) came out positive, so no exclusion is
 * found and a required condition is (the sum checked both); the sum here is the same, taken in the same order.
 */
function scoreIntent(ci: CompiledIntent, found: Found): Candidate | null {
  let sum = 0;
  let coded = false;
  const why: WhyItem[] = [];
  for (const e of ci.evidence) {
    const span = found.get(e.id);
    if (span === undefined) continue;
    sum += e.weight;
    if (e.code) coded = true;
    why.push({ evidence: e.label, span, weight: e.weight });
  }
  if (sum <= 0) return null;
  return { playbook: ci.playbook, intent: ci.intent.id, evidenceScore: evidenceScoreOf(sum), rawSum: sum, why, textShare: 0, coded, docIndex: -1, score: 0 };
}

/**
 * The paste states a version: a candidate whose playbook does not apply to it keeps VERSION_MISFIT of
 * its score unless codes put it there (a version never overrides a code match); then re-sorted
 * (stable: equal scores keep their order).
 */
function rankByVersion(ranked: Candidate[], stated: ReturnType<typeof statedVersions>): void {
  let changed = false;
  for (const c of ranked) {
    const supported = c.playbook.appliesTo.versions as readonly string[];
    let applies = false;
    for (const v of stated) if (supported.includes(v.version)) applies = true;
    c.applies = applies;
    if (!applies && !c.coded) {
      c.score *= VERSION_MISFIT;
      changed = true;
    }
  }
  if (changed) ranked.sort((x, y) => y.score - x.score);
}

/** Ranks the other playbook of an undecided pair second, just below the first, saying which shared evidence put it there. */
function liftOther(ranked: Candidate[], head: Candidate, forced: NonNullable<ReturnType<TellingIndex['forced']>>, playbook: Playbook | undefined, intent: string, stated: ReturnType<typeof statedVersions>): void {
  if (!playbook) return;
  const at = ranked.findIndex((c) => c.playbook.id === forced.other);
  const existing = at >= 0 ? ranked.splice(at, 1)[0] : undefined;
  const shared = forced.shared.map((s): WhyItem => ({ evidence: `${s.label} (fits both; question ${forced.question.id})`, span: s.span, weight: 0 }));
  const c: Candidate = existing ?? { playbook, intent, evidenceScore: 0, rawSum: 0, why: [], textShare: 0, coded: true, docIndex: -1, score: 0 };
  c.why = [...shared, ...c.why.filter((w) => w.weight > 0)];
  c.score = Math.max(c.score, head.score - UNDECIDED_GAP);
  if (stated.length) c.applies = applicability(playbook, stated).applies !== false;
  ranked.splice(1, 0, c);
  if (ranked.length > MAX_MATCHES) ranked.length = MAX_MATCHES;
}

/** The words the current paste's explanations name, with their spans: cut once per paste (several matches name the same words); match() empties it. */
const shownWords = { n: 0, start: new Int32Array(32), end: new Int32Array(32), text: new Array<string>(32) };

/** The paste's words at [start, end) as an explanation shows them: cleaned, lowercased, at most 60 characters. */
function shownWord(text: string, start: number, end: number): string {
  const c = shownWords;
  for (let k = 0; k < c.n; k++) if (c.start[k] === start && c.end[k] === end) return c.text[k] as string;
  const w = cleanText(text.slice(start, Math.min(end, start + 60))).toLowerCase();
  if (c.n < c.start.length) {
    c.start[c.n] = start;
    c.end[c.n] = end;
    c.text[c.n++] = w;
  }
  return w;
}

/** The wording evidence, naming the paste's own words (not their stems), each once. */
function textWhy(text: string, shown: Term[], share: number, evidenceScore: number): WhyItem {
  const span: Span | null = shown[0] ? [shown[0].start, shown[0].end] : null;
  let evidence = "wording like the playbook's: ";
  const seen: string[] = [];
  for (const t of shown) {
    const w = shownWord(text, t.start, t.end);
    if (seen.includes(w)) continue;
    evidence += seen.length ? `, "${w}"` : `"${w}"`;
    seen.push(w);
  }
  return {
    evidence,
    span,
    weight: round((1 - evidenceScore) * share),
  };
}

/** The wording evidence of a paste in another language: the terms its language's symptoms share with it. */
function localWhy(local: LocalWording, share: number, evidenceScore: number): WhyItem {
  // The same words for every match of the paste: written out once.
  if (localShown.of !== local) {
    localShown.of = local;
    let shown = '';
    const n = Math.min(local.matched.length, 4);
    for (let k = 0; k < n; k++) shown += k ? `, "${local.matched[k] as string}"` : `"${local.matched[k] as string}"`;
    localShown.evidence = `wording like the playbook's (${local.lang}): ${shown}`;
  }
  return { evidence: localShown.evidence, span: null, weight: round((1 - evidenceScore) * share) };
}

/** localWhy's evidence text for the last paste's localised wording (a paste's wording object is its own). */
const localShown: { of: LocalWording | null; evidence: string } = { of: null, evidence: '' };

function confidenceOf(score: number): Confidence {
  return score >= THRESHOLDS.high ? 'high' : score >= THRESHOLDS.medium ? 'medium' : 'low';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function toMatch(c: Candidate): Match {
  const m: Match = {
    playbook: c.playbook.id,
    title: c.playbook.title,
    topics: c.playbook.topics,
    score: round(c.score),
    confidence: confidenceOf(c.score),
    intent: c.intent,
    why: c.why,
  };
  if (c.applies !== undefined) m.applies = c.applies;
  return m;
}

const NOTHING_TO_ASK: Askable = { labels: new Set(), byWeight: [] };

/** An intent's evidence labels, and its positive evidence other than the paste kind, heaviest first (computed once). */
function askable(ci: CompiledIntent | undefined): Askable {
  if (!ci) return NOTHING_TO_ASK;
  ci.askable ??= {
    labels: new Set(ci.evidence.map((e) => e.label)),
    byWeight: ci.evidence.filter((e) => e.weight > 0 && !e.local && e.key !== 'kind').sort((x, y) => y.weight - x.weight),
  };
  return ci.askable;
}

/** The question whose answer separates the best two: evidence one expects and the other does not. */
function tellApart(a: Candidate, b: Candidate, intentNamed: (id: string) => CompiledIntent | undefined): string {
  const fired = (label: string) => a.why.some((w) => w.evidence === label) || b.why.some((w) => w.evidence === label);
  const pick = (mine: Candidate, other: Candidate) => {
    const otherLabels = askable(intentNamed(other.intent)).labels;
    // The heaviest such evidence (the first of equal weights): the list is sorted that way once.
    return askable(intentNamed(mine.intent)).byWeight.find((e) => !otherLabels.has(e.label) && !fired(e.label));
  };
  const ea = pick(a, b);
  const eb = pick(b, a);
  if (ea || eb) {
    const parts: string[] = [];
    if (ea) parts.push(`${ea.label} (→ ${a.playbook.title})`);
    if (eb) parts.push(`${eb.label} (→ ${b.playbook.title})`);
    return `Does the full error text show ${parts.join(' or ')}?`;
  }
  return `Which fits better: "${a.playbook.summary.trim()}" or "${b.playbook.summary.trim()}"?`;
}
