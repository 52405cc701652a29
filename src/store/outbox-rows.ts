// Outbox rows as both stores read them back (conversation/state/outbox.ts).
import { decodeReply, type OutboxRow } from '../conversation/state/outbox.ts';

export interface OutboxDbRow {
  seq: number | string;
  id: string;
  thread: string;
  op: string;
  reply: string;
  address: string | null;
  created_at: string;
}

/** In commit order; a row whose reply no longer reads is dropped (and so never delivered). */
export function decodeOutboxRows(rows: readonly OutboxDbRow[]): OutboxRow[] {
  const out: OutboxRow[] = [];
  for (const r of rows) {
    const reply = decodeReply(r.reply);
    if (!reply || (r.op !== 'post' && r.op !== 'update')) continue;
    out.push({ seq: Number(r.seq), id: r.id, thread: r.thread, op: r.op, reply, ...(r.address !== null && { address: r.address }), at: new Date(r.created_at) });
  }
  return out.sort((a, b) => a.seq - b.seq);
}
