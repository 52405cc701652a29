// Calls to the Bot Connector retried the way Teams asks: 429 (throttled), 412 (a concurrent update of
// the same message), 502 and 504 (the connector's gateway) with exponential backoff and full jitter,
// honouring Retry-After when the connector sends one. Everything else fails at once.
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 412, 502, 504]);

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** Called before each wait (metrics, logs). */
  onRetry?: (status: number, attempt: number, waitMs: number) => void;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The HTTP status of a failed connector call (the SDK's HttpError), if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const s = (err as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (n: string) => string | null } } }).response?.headers;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : null;
  if (!raw) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(op: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 8000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const status = statusOf(err);
      if (status === undefined || !RETRY_STATUSES.has(status) || attempt >= attempts) throw err;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const jitter = random() * backoff;
      const wait = Math.min(max, Math.max(retryAfterMs(err) ?? 0, jitter));
      options.onRetry?.(status, attempt, wait);
      await sleep(wait);
    }
  }
}
