// Names for the statements PostgreSQL should keep prepared: an event's combined write (pg-event-batch.ts)
// has one text per shape (which parts it has, how many events), sent again and again with other
// values. Sent by name, each pooled connection parses it once and may reuse its plan, instead of
// parsing and planning the WITH … ehlo_audit_append statement on every event (about a third of its
// time on the server). Only small batches are named, and a bounded number of shapes per process, so
// the statements each connection keeps stay few; anything else goes unnamed as before.
import { createHash } from 'node:crypto';

/** Shapes named per process at most (each connection keeps the plans of those it ran). */
export const MAX_PREPARED = 64;
/** Longer texts (large batches, rare) are not worth keeping prepared. */
const MAX_TEXT = 8000;

export class PreparedNames {
  readonly #names = new Map<string, string>();
  readonly #max: number;

  constructor(max = MAX_PREPARED) {
    this.#max = max;
  }

  /** The name to send this text under, or undefined to send it unnamed. */
  nameFor(sql: string): string | undefined {
    const known = this.#names.get(sql);
    if (known !== undefined) return known;
    if (sql.length > MAX_TEXT || this.#names.size >= this.#max) return undefined;
    // Derived from the text, so one name never stands for two texts on a connection (pg refuses that).
    const name = `ehlo_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    this.#names.set(sql, name);
    return name;
  }
}
