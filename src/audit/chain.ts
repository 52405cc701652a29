// The audit log's hash chain: each entry's hash is SHA-256 over the previous entry's hash and the
// entry's own fields in a fixed order, so editing any field of any entry, or removing an entry from
// the middle (its sequence number goes missing and the next entry's prev_hash no longer matches),
// is detected by walking the chain from the first entry.
import { createHash } from 'node:crypto';

/** The hash the first entry chains from. */
export const GENESIS = '0'.repeat(64);

/** What an entry says (everything but its position and hashes). */
export interface AuditFields {
  at: string;
  actorPlatform: string;
  actorId: string;
  actorName: string;
  thread: string;
  session: string;
  step: string;
  action: string;
  /** JSON text of the action's details (target, result, rule…). */
  detail: string;
}

export interface AuditEntry extends AuditFields {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The hash of an entry at `seq` following `prevHash`. Fields are length-prefixed, so no two entries serialise alike. */
export function entryHash(seq: number, prevHash: string, f: AuditFields): string {
  const h = createHash('sha256');
  h.update(`ehlo-audit-v1\n${seq}\n${prevHash}\n`);
  for (const v of [f.at, f.actorPlatform, f.actorId, f.actorName, f.thread, f.session, f.step, f.action, f.detail]) h.update(`${Buffer.byteLength(v)}:${v}\n`);
  return h.digest('hex');
}

export type ChainBreak = { seq: number; expectedSeq: number; reason: string };

/**
 * Walks entries in order and reports the first break. Call `check` for each entry (in seq order),
 * then `result`. Bounded memory: it keeps only the previous entry.
 */
export class ChainVerifier {
  #expectedSeq = 1;
  #prevHash = GENESIS;
  #count = 0;
  #broken: ChainBreak | undefined;

  get count(): number {
    return this.#count;
  }

  get broken(): ChainBreak | undefined {
    return this.#broken;
  }

  /** False once the chain is broken (stop reading). */
  check(e: AuditEntry): boolean {
    if (this.#broken) return false;
    this.#count++;
    const expectedSeq = this.#expectedSeq;
    if (e.seq !== expectedSeq) {
      this.#broken = {
        seq: e.seq,
        expectedSeq,
        reason: e.seq > expectedSeq ? `entry ${expectedSeq}${e.seq - expectedSeq > 1 ? `–${e.seq - 1}` : ''} is missing (deleted): the next entry found is ${e.seq}` : `entry ${e.seq} appears twice or out of order`,
      };
      return false;
    }
    if (e.prevHash !== this.#prevHash) {
      this.#broken = { seq: e.seq, expectedSeq, reason: `entry ${e.seq} does not chain from entry ${e.seq - 1} (its previous hash is ${e.prevHash.slice(0, 12)}…, entry ${e.seq - 1} hashes to ${this.#prevHash.slice(0, 12)}…): an entry before it was removed or rewritten` };
      return false;
    }
    const hash = entryHash(e.seq, e.prevHash, e);
    if (hash !== e.hash) {
      this.#broken = { seq: e.seq, expectedSeq, reason: `entry ${e.seq} was edited: its fields hash to ${hash.slice(0, 12)}…, not the stored ${e.hash.slice(0, 12)}…` };
      return false;
    }
    this.#prevHash = e.hash;
    this.#expectedSeq = e.seq + 1;
    return true;
  }
}
