// Turning sessions and outcomes into rows and back, shared by both stores.
import { parseSession, type Session } from '../walkthrough/session.ts';
import type { StoredOutcome } from '../walkthrough/store.ts';
import type { OutcomeRow } from './store.ts';

export function sessionParams(session: Session): [string, string, string, string, number, string, string, string] {
  return [session.id, session.threadKey, session.playbookId, session.status, session.version, JSON.stringify(session), session.createdAt, session.updatedAt];
}

export function decodeSession(doc: string, where: string): Session {
  try {
    return parseSession(JSON.parse(doc));
  } catch (err) {
    throw new Error(`A stored session in ${where} is unreadable (${err instanceof Error ? err.message.slice(0, 200) : String(err)}); stop it and start a new walkthrough.`, { cause: err });
  }
}

export function decodeOutcome(row: OutcomeRow): StoredOutcome {
  return { key: row.key, sessionId: row.session_id, outcome: JSON.parse(row.outcome) as unknown, at: row.created_at };
}

/** Upper bound on how many open sessions one call lists. */
export const MAX_LIST = 100_000;

export function listLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(MAX_LIST, Math.floor(limit ?? MAX_LIST)));
}
