// The audit log: every action people and ehlo take (paste matched, walkthrough started, press, check
// run with target and result, confirmation, escalation, page sent / acknowledged / resolved,
// permission refusal) appended to the store's audit_log table. ehlo only ever appends (no code path
// updates or deletes a row); each entry carries the hash of the one before (chain.ts), so a gap or
// an edit is found by `ehlo audit verify`. Recording never breaks the conversation: a store that
// cannot be reached is logged.
import type { Logger } from 'pino';
import { redact } from '../text/redact.ts';
import type { AuditEntry, AuditFields } from './chain.ts';

export const AUDIT_ACTIONS = [
  'paste-matched', 'walkthrough-started', 'press', 'command', 'step-done', 'step-failed', 'step-skipped', 'step-back', 'confirm', 'check-run',
  'note', 'escalate', 'oncall-thread-opened', 'page-sent', 'page-failed', 'page-acknowledged', 'page-resolved', 'stop', 'finish', 'permission-refused',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Limits per field, so a hostile paste cannot grow the log (details are redacted and cut). */
export const AUDIT_LIMITS = { field: 512, detail: 4000, page: 1000 } as const;

export interface AuditQuery {
  /** Entries with seq greater than this (paging). */
  afterSeq?: number;
  since?: string;
  thread?: string;
  limit?: number;
}

/** What a store gives the audit log: an append that chains atomically, and ordered reads. */
export interface AuditStore {
  /** Append one entry after the current last one (in one transaction: the chain never forks). */
  appendAudit(fields: AuditFields): Promise<AuditEntry>;
  /** Entries in seq order (at most `limit`, default AUDIT_LIMITS.page). */
  readAudit(query: AuditQuery): Promise<AuditEntry[]>;
}

export interface AuditRecord {
  action: AuditAction;
  /** platform:… thread key; the actor's platform is its first part. */
  thread: string;
  actor: { id: string; name: string };
  session?: string;
  step?: string;
  detail?: Record<string, unknown>;
  at?: Date;
}

/** Cut to `max` characters, and well-formed (a lone surrogate becomes U+FFFD, as UTF-8 stores it anyway). */
function cut(s: string, max: number = AUDIT_LIMITS.field): string {
  return (s.length > max ? `${s.slice(0, max - 1)}…` : s).toWellFormed();
}

export function platformOf(thread: string): string {
  const i = thread.indexOf(':');
  return i > 0 ? thread.slice(0, i) : 'unknown';
}

/** The fields of an entry as stored: actor split into platform and id, detail as redacted JSON. */
export function auditFields(r: AuditRecord, now: Date): AuditFields {
  let detail = r.detail ? JSON.stringify(r.detail, (_k, v: unknown) => (typeof v === 'string' ? redact(cut(v, 1000)) : v)) : '{}';
  if (detail.length > AUDIT_LIMITS.detail) detail = JSON.stringify({ truncated: true, head: detail.slice(0, AUDIT_LIMITS.detail - 100) });
  return {
    at: (r.at ?? now).toISOString(),
    actorPlatform: platformOf(r.thread),
    actorId: cut(r.actor.id),
    actorName: cut(r.actor.name),
    thread: cut(r.thread),
    session: cut(r.session ?? ''),
    step: cut(r.step ?? ''),
    action: r.action,
    detail: detail.toWellFormed(),
  };
}

export class AuditLog {
  readonly #store: AuditStore;
  readonly #logger: Logger | undefined;
  readonly #clock: () => Date;

  constructor(store: AuditStore, options: { logger?: Logger; clock?: () => Date } = {}) {
    this.#store = store;
    this.#logger = options.logger;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Whether entries go to `store` (then they can be appended in the same transaction as its other writes). */
  appendsTo(store: object): boolean {
    return this.#store === store;
  }

  /** The entry's fields as they will be stored (for an append made with other writes, EventWrites.audit). */
  fields(r: AuditRecord): AuditFields {
    return auditFields(r, this.#clock());
  }

  /** Log an entry that could not be appended (at error level, with the action, never the detail). */
  lost(err: unknown, f: Pick<AuditFields, 'action' | 'thread'>): void {
    this.#logger?.error({ err, action: f.action, thread: f.thread }, 'cannot append to the audit log');
  }

  /** Append an entry; never throws (a failure is logged at error level with the action, never the detail). */
  async record(r: AuditRecord): Promise<AuditEntry | undefined> {
    try {
      return await this.#store.appendAudit(auditFields(r, this.#clock()));
    } catch (err) {
      this.lost(err, r);
      return undefined;
    }
  }

  /** Every entry matching the query, in order, read a page at a time. */
  async *entries(query: Omit<AuditQuery, 'afterSeq' | 'limit'> = {}): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const page = await this.#store.readAudit({ ...query, afterSeq: after, limit: AUDIT_LIMITS.page });
      for (const e of page) yield e;
      if (page.length < AUDIT_LIMITS.page) return;
      after = page.at(-1)!.seq;
    }
  }
}
