// Audit log rows, shared by both stores: the filter of a read and a row back as an entry.
import type { AuditEntry } from '../audit/chain.ts';
import type { AuditQuery } from '../audit/log.ts';

export interface AuditRow {
  seq: number | string;
  at: string;
  actor_platform: string;
  actor_id: string;
  actor_name: string;
  thread: string;
  session: string;
  step: string;
  action: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export function decodeAudit(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq), at: r.at, actorPlatform: r.actor_platform, actorId: r.actor_id, actorName: r.actor_name, thread: r.thread,
    session: r.session, step: r.step, action: r.action, detail: r.detail, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** WHERE clause and values for a query; `param` makes the placeholder of the next value. */
export function auditQuery(q: AuditQuery, param: () => string): { where: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  parts.push(`seq > ${param()}`);
  values.push(q.afterSeq ?? 0);
  if (q.since) {
    parts.push(`at >= ${param()}`);
    values.push(q.since);
  }
  if (q.thread) {
    parts.push(`thread = ${param()}`);
    values.push(q.thread);
  }
  return { where: `WHERE ${parts.join(' AND ')}`, values };
}
