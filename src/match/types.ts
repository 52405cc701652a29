// Types shared by the matcher: signals with their spans, and the match result (the `ehlo match --json` contract, docs/contracts.md).
import type { PasteKind } from '../catalog/schema.ts';

/** [start, end) character offsets into the paste as given. */
export type Span = [number, number];

export const SIGNAL_TYPES = [
  'replyCode',
  'statusCode',
  'component',
  'host',
  'ip',
  'email',
  'eventId',
  'kb',
  'agent',
  'hresult',
  'exception',
  'cmdlet',
  'http',
  'imceaex',
  'x500',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export interface Signal {
  type: SignalType;
  /** Normalised value: codes as written, components with original case, hosts lowercased. */
  value: string;
  span: Span;
  /** For a status code: whether it stands inside another reply on the same line (the inner cause). */
  nested?: boolean;
}

/** A word of the paste (a run of letters and digits), lowercased, with its span. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

export interface Extraction {
  signals: Signal[];
  words: Word[];
  kind: PasteKind;
}

/** The `signals` object of `ehlo match --json`: unique values per type, in order of appearance. */
export interface SignalSummary {
  replyCodes: string[];
  statusCodes: string[];
  components: string[];
  hosts: string[];
  ips: string[];
  emails: string[];
  eventIds: string[];
  kbs: string[];
  agents: string[];
  hresults: string[];
  exceptions: string[];
  cmdlets: string[];
  httpStatus: string[];
  legacyAddresses: string[];
}

export interface WhyItem {
  evidence: string;
  span: Span | null;
  weight: number;
}

export type Confidence = 'high' | 'medium' | 'low';
export type Verdict = 'match' | 'ambiguous' | 'none';

export interface Match {
  playbook: string;
  title: string;
  topics: string[];
  score: number;
  confidence: Confidence;
  intent: string;
  why: WhyItem[];
  /** Set when the paste states an Exchange version: whether the playbook's appliesTo covers it. */
  applies?: boolean;
}

/** An Exchange version the paste states, and the words that said so. */
export interface StatedVersionSummary {
  version: string;
  evidence: string;
  vianet?: boolean;
  /** Stated earlier in the thread, not in this paste. */
  thread?: boolean;
}

/** What the caller knows beyond the paste. */
export interface MatchOptions {
  /** Versions the thread stated before; used when the paste itself states none. */
  versions?: readonly StatedVersionSummary[];
}

/** Another provider's submission service that answered the client (provider.ts). */
export interface OtherProvider {
  /** The provider's name as people say it ("Gmail", "Amazon SES"). */
  name: string;
  /** Its submission host, when the paste names it. */
  host?: string;
  /** The mark in the paste that told (a host, "gsmtp", a help link). */
  evidence: string;
  /** The provider's public documentation of SMTP submission. */
  docs: string;
}

export interface MatchResult {
  kind: PasteKind;
  signals: SignalSummary;
  verdict: Verdict;
  matches: Match[];
  /** With `ambiguous`: the question whose answer tells the best two apart. */
  question?: string;
  /** With a question written for the pair (questions/*.yaml): its id and its answers (each settles on a playbook, or on nothing). */
  questionId?: string;
  answers?: Array<{ label: string; settles?: string }>;
  /** The Exchange versions the paste states (product names, build numbers, Exchange Online hosts). */
  versions?: StatedVersionSummary[];
  /** Set when only the first part of a very large paste was analysed. */
  truncated?: { analysedChars: number; totalChars: number };
  /** With `none`: the sign-in was refused by another provider's submission service (Gmail, SendGrid …), not by Exchange. */
  otherProvider?: OtherProvider;
}
