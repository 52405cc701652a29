// The one error a store throws when it cannot be reached or used: the caller shows the message and
// keeps serving what does not need the store.
export type StoreKind = 'sqlite' | 'postgres';

export class StoreUnavailableError extends Error {
  readonly store: StoreKind;

  /** `where` names the store without secrets ("PostgreSQL 127.0.0.1:5432/ehlo"); `reason` is the low-level cause. */
  constructor(store: StoreKind, where: string, reason: string, hint: string, cause?: unknown) {
    super(`The walkthrough store (${where}) is unavailable: ${reason}. Walkthroughs are paused until it is back; matching and probes still work. ${hint}`, { cause });
    this.name = 'StoreUnavailableError';
    this.store = store;
  }
}

export function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorText(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
