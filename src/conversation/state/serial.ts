// Per-key serial execution in one process: work for one key runs one at a time, in arrival order,
// while other keys run in parallel. Idle keys hold nothing (the map only has keys with work queued).

export class SerialQueues {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #inFlight = new Set<Promise<unknown>>();

  /** Run `work` after everything queued before it under `key`. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const result = prev.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    this.#inFlight.add(tail);
    void tail.then(() => {
      this.#inFlight.delete(tail);
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get active(): number {
    return this.#tails.size;
  }

  /** Resolves when everything queued so far has finished. */
  async drain(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }
}
