// What the core keeps about each thread between events, durably (the store) so a restart or another
// replica picks up where the thread was: the last paste's diagnosis and matches with the targets it
// names, playbooks the thread said "not this" to, a pending question, the context of the thread's
// walkthrough (targets, the paste excerpt and diagnosis it started from), and the checks running now.
// Typed with zod: a document read back is checked before the core trusts it.
import { z } from 'zod';
import { TARGET_ROLES } from '../../catalog/schema.ts';
import { PLACEHOLDERS } from '../targets.ts';

export const THREAD_LIMITS = { excerpt: 2000, matches: 5, why: 8, evidence: 8, rejected: 50, checks: 8, text: 300 } as const;

const Text = z.string().max(THREAD_LIMITS.text);
const Targets = z.partialRecord(z.enum(PLACEHOLDERS), Text);
/** What a paste carries for step commands (see command-fill.ts); absent in documents stored before. */
/** The role of each target, from where it sat in the paste (see roles.ts); absent in documents stored before. */
const Roles = z.partialRecord(z.enum(TARGET_ROLES), Text);
const Facts = z.object({ imceaex: z.string().max(600).optional(), x500: z.string().max(600).optional() }).strict();

export const StoredMatch = z
  .object({
    playbook: Text,
    title: z.string().max(500),
    topics: z.array(Text).max(20),
    score: z.number(),
    confidence: z.enum(['high', 'medium', 'low']),
    intent: Text,
    why: z.array(z.object({ evidence: Text, span: z.tuple([z.number(), z.number()]).nullable(), weight: z.number() }).strict()).max(THREAD_LIMITS.why),
  })
  .strict();

export const PasteState = z
  .object({
    at: z.iso.datetime(),
    kind: z.string().max(40),
    chars: z.number().int().nonnegative(),
    /** Redacted, neutralised, cut: what a handoff may show. */
    excerpt: z.string().max(THREAD_LIMITS.excerpt + 10),
    /** The excerpt is only the start of the paste. */
    cut: z.boolean().optional(),
    verdict: z.enum(['match', 'ambiguous', 'none']),
    question: z.string().max(1000).optional(),
    /** The telling-apart question asked (questions/*.yaml), which the answer buttons answer. */
    questionId: z.string().max(120).optional(),
    /** The Exchange versions the thread has stated (carried to later pastes that state none). */
    versions: z.array(z.object({ version: z.string().max(20), evidence: z.string().max(120), vianet: z.boolean().optional(), thread: z.boolean().optional() }).strict()).max(8).optional(),
    matches: z.array(StoredMatch).max(THREAD_LIMITS.matches),
    targets: Targets,
    roles: Roles.optional(),
    facts: Facts.optional(),
  })
  .strict();
export type PasteState = z.infer<typeof PasteState>;

export const Diagnosis = z
  .object({ playbook: Text, confidence: z.string().max(20), score: z.number(), verdict: z.string().max(20), evidence: z.array(Text).max(THREAD_LIMITS.evidence) })
  .strict();
export type Diagnosis = z.infer<typeof Diagnosis>;

/** The context of the thread's walkthrough, written in the same transaction as its start. */
export const WalkContext = z
  .object({
    sessionId: z.string().min(1).max(100),
    targets: Targets,
    /** Placeholders a person typed (the others came from the paste). */
    answered: z.array(z.enum(PLACEHOLDERS)),
    paste: z.object({ kind: z.string().max(40), chars: z.number().int().nonnegative(), excerpt: z.string().max(THREAD_LIMITS.excerpt + 10), cut: z.boolean().optional() }).strict().optional(),
    diagnosis: Diagnosis.optional(),
    roles: Roles.optional(),
    facts: Facts.optional(),
  })
  .strict();
export type WalkContext = z.infer<typeof WalkContext>;

/** ehlo asked for a check's target; the next plain line (or the card's input) answers it. */
export const PendingQuestion = z
  .object({ placeholder: z.enum(PLACEHOLDERS), sessionId: z.string().max(100), stepId: z.string().max(120), version: z.number().int().positive() })
  .strict();
export type PendingQuestion = z.infer<typeof PendingQuestion>;

/** A check running now: a second press waits for it; Cancel (from any process) stops it. */
export const RunningCheck = z
  .object({
    id: z.string().min(1).max(100),
    sessionId: z.string().max(100),
    stepId: z.string().max(120),
    /** The reply showing "running…", updated with the result. */
    replyId: z.string().max(100),
    startedAt: z.iso.datetime(),
    /** Process that runs it (host:pid), for the log. */
    owner: z.string().max(200),
    cancelRequestedBy: z.object({ id: z.string().max(200), name: z.string().max(200) }).strict().optional(),
  })
  .strict();
export type RunningCheck = z.infer<typeof RunningCheck>;

/** One page of one pager: claimed (sending) before it is sent, so it is sent once whatever the retries. */
export const PageState = z.object({ at: z.iso.datetime(), status: z.enum(['sending', 'sent', 'failed']), error: z.string().max(500).optional() }).strict();
export type PageState = z.infer<typeof PageState>;

export const PAGE_EVENTS = ['trigger', 'acknowledge', 'resolve'] as const;

/**
 * The link between an escalated walkthrough's thread (role origin) and the on-call thread opened for
 * it (role oncall): the other thread's key and link, and on the origin side only, the reversible map
 * of what the packet redacted and the pages sent.
 */
export const EscalationLink = z
  .object({
    role: z.enum(['origin', 'oncall']),
    sessionId: z.string().min(1).max(100),
    /** The other thread (oncall side: the origin; origin side: the on-call thread once open). */
    other: z.string().max(512).optional(),
    otherLink: z.string().max(1000).optional(),
    /** Origin side: opening (claimed), open, failed (say so; escalate again retries), none (no on-call configured). */
    state: z.enum(['opening', 'open', 'failed', 'none']).optional(),
    error: z.string().max(500).optional(),
    redaction: z.array(z.object({ tag: z.string().max(40), value: z.string().max(300) }).strict()).max(500).optional(),
    pages: z.record(z.string().max(40), z.partialRecord(z.enum(PAGE_EVENTS), PageState)).optional(),
  })
  .strict();
export type EscalationLink = z.infer<typeof EscalationLink>;

export const ThreadDoc = z
  .object({
    thread: z.string().min(1).max(512),
    version: z.number().int().nonnegative(),
    updatedAt: z.iso.datetime(),
    paste: PasteState.optional(),
    rejected: z.array(Text).max(THREAD_LIMITS.rejected),
    pending: PendingQuestion.optional(),
    walk: WalkContext.optional(),
    checks: z.array(RunningCheck).max(THREAD_LIMITS.checks),
    escalation: EscalationLink.optional(),
    /** The thread's live step card (its reply id; the store knows the platform message): a new one closes it. */
    stepCard: z.object({ reply: z.string().min(1).max(100), position: z.number().int().positive(), title: Text }).strict().optional(),
  })
  .strict();
export type ThreadDoc = z.infer<typeof ThreadDoc>;

export function emptyThread(thread: string, at: Date): ThreadDoc {
  return { thread, version: 0, updatedAt: at.toISOString(), rejected: [], checks: [] };
}

export type PutResult = 'saved' | 'conflict';

/** Durable thread state: read a thread's document, write it with compare-and-set on its version. */
export interface ThreadStateStore {
  getThread(thread: string): Promise<ThreadDoc | undefined>;
  /** Write `doc` (whose version is expectedVersion + 1) if the stored version is still expectedVersion (0: not stored yet). */
  putThread(doc: ThreadDoc, expectedVersion: number): Promise<PutResult>;
}

export function encodeThread(doc: ThreadDoc): string {
  return JSON.stringify(doc);
}

/** A stored document, or undefined when it no longer reads as one (then the thread starts afresh, and the log says so). */
export function decodeThread(text: string): ThreadDoc | undefined {
  try {
    const parsed = ThreadDoc.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** In one process, bounded (least recently used threads are forgotten): the default for tests. */
export class MemoryThreadStates implements ThreadStateStore {
  readonly #docs = new Map<string, string>();
  readonly #max: number;

  constructor(maxThreads = 10_000) {
    this.#max = maxThreads;
  }

  get size(): number {
    return this.#docs.size;
  }

  getThread(thread: string): Promise<ThreadDoc | undefined> {
    const text = this.#docs.get(thread);
    return Promise.resolve(text === undefined ? undefined : decodeThread(text));
  }

  putThread(doc: ThreadDoc, expectedVersion: number): Promise<PutResult> {
    const current = this.#docs.get(doc.thread);
    const version = current === undefined ? 0 : (decodeThread(current)?.version ?? 0);
    if (version !== expectedVersion) return Promise.resolve('conflict');
    this.#docs.delete(doc.thread);
    this.#docs.set(doc.thread, encodeThread(doc));
    while (this.#docs.size > this.#max) {
      const oldest = this.#docs.keys().next().value;
      if (oldest === undefined) break;
      this.#docs.delete(oldest);
    }
    return Promise.resolve('saved');
  }
}
