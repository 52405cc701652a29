// Deduplicating deliveries: platforms retry (Slack's X-Slack-Retry-Num, Teams' resent activities),
// sometimes while the first copy is still being handled. The core claims each event's delivery id
// before handling it; a copy that finds the id claimed is dropped. A claim that was never finished
// (its process died) expires after a lease, so the platform's next retry is handled after all.

export interface DeliveryLedger {
  /** true: handle this delivery (new, or an earlier claim expired unfinished); false: a copy is being or was handled. */
  claimDelivery(key: string, leaseMs: number, now: Date): Promise<boolean>;
  /** The delivery was handled: copies are duplicates from now on (kept for the retention period). */
  finishDelivery(key: string, now: Date): Promise<void>;
  /** Forget deliveries older than `before`. */
  pruneDeliveries(before: Date): Promise<number>;
}

/** In one process: for tests and the console. */
export class MemoryDeliveries implements DeliveryLedger {
  readonly #seen = new Map<string, { at: number; done: boolean }>();

  claimDelivery(key: string, leaseMs: number, now: Date): Promise<boolean> {
    const prior = this.#seen.get(key);
    if (prior && (prior.done || now.getTime() - prior.at < leaseMs)) return Promise.resolve(false);
    this.#seen.set(key, { at: now.getTime(), done: false });
    return Promise.resolve(true);
  }

  finishDelivery(key: string, now: Date): Promise<void> {
    this.#seen.set(key, { at: now.getTime(), done: true });
    return Promise.resolve();
  }

  pruneDeliveries(before: Date): Promise<number> {
    let n = 0;
    for (const [k, v] of this.#seen) {
      if (v.at < before.getTime()) {
        this.#seen.delete(k);
        n++;
      }
    }
    return Promise.resolve(n);
  }
}
