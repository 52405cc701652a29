// The durable walkthrough service the conversation layer calls: it loads a session from the store,
// applies one action with the pure engine, and saves with compare-and-set, recording the outcome
// under the press's idempotency key in the same transaction. So a press replayed by a platform
// retry returns the first outcome, two presses at once advance the session exactly once, and a
// killed process loses nothing: the store holds the whole state, every call starts from it.
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, type CompanionWrite, type SessionStore, type StoredOutcome } from './store.ts';
import type { Action, ApplyResult } from './action.ts';
import { apply } from './apply.ts';
import type { WalkPlaybook } from './flow.ts';
import { threadBusy, unknownPlaybook, type Rejection } from './rejection.ts';
import type { Actor, Session, TimelineEntry } from './session.ts';
import { startSession } from './start.ts';
import { summarize, type Summary } from './summary.ts';
import { currentStep, type StepView } from './view.ts';

export type SessionTarget = { sessionId: string } | { threadKey: string };

export interface StartRequest {
  threadKey: string;
  playbookId: string;
  actor: Actor;
  /** The platform's id for this event (Slack action/trigger id, Teams activity id): replays return the first outcome. */
  idempotencyKey?: string;
  /** Another document to write in the same transaction as the new session (the thread's state), made from it. */
  companion?: (session: Session) => CompanionWrite;
  /** The Exchange versions the thread's paste states: the walkthrough skips steps for other versions. */
  versions?: Session['versions'];
}

export interface ActRequest {
  target: SessionTarget;
  action: Action;
  actor: Actor;
  /** The step the pressed button was rendered for; a press on a step the session has left is refused as stale. */
  expectedStep?: string;
  idempotencyKey?: string;
  /** High-risk change steps need a second person's confirmation. */
  fourEyes?: boolean;
}

/** What the conversation layer renders. `view` is the step to show next (absent once the session ended; then `summary`). */
export type Outcome =
  | { kind: 'applied'; session: Session; events: TimelineEntry[]; replayed: boolean; view?: StepView; summary?: Summary }
  | { kind: 'rejected'; rejection: Rejection; replayed: boolean; session?: Session; view?: StepView }
  | { kind: 'not-found'; message: string }
  | { kind: 'unavailable'; message: string };

export type Lookup = { kind: 'found'; session: Session; view?: StepView; summary?: Summary } | { kind: 'not-found'; message: string } | { kind: 'unavailable'; message: string };

/** What is kept under an idempotency key: enough to answer a replay without applying again. */
type Recorded = { kind: 'applied'; sessionId: string; version: number; events: TimelineEntry[] } | { kind: 'rejected'; sessionId: string | null; rejection: Rejection };

export interface WalkthroughsOptions {
  store: SessionStore;
  /** The catalog lookup (loadCatalog's playbooks by id). */
  playbooks: (id: string) => WalkPlaybook | undefined;
  now?: () => Date;
  newId?: () => string;
  /** Compare-and-set retries before answering "busy". */
  maxAttempts?: number;
  /** How long idempotency keys are remembered (platform retries come within minutes). */
  keyTtlMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class Walkthroughs {
  readonly #store: SessionStore;
  readonly #playbooks: (id: string) => WalkPlaybook | undefined;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #maxAttempts: number;
  readonly #keyTtlMs: number;
  #ready: Promise<void> | undefined;
  #prunedAt = 0;

  constructor(options: WalkthroughsOptions) {
    this.#store = options.store;
    this.#playbooks = options.playbooks;
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? randomUUID;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#keyTtlMs = options.keyTtlMs ?? DAY_MS;
  }

  /** Migrate the store once (retried on the next call if it failed). */
  ready(): Promise<void> {
    this.#ready ??= this.#store.migrate().then(
      () => undefined,
      (err: unknown) => {
        this.#ready = undefined;
        throw err;
      },
    );
    return this.#ready;
  }

  /** Forget idempotency keys older than the TTL, at most once per TTL/24 (keeps the table bounded). */
  async #pruneIfDue(): Promise<void> {
    const now = this.#now().getTime();
    if (now - this.#prunedAt < this.#keyTtlMs / 24) return;
    this.#prunedAt = now;
    // Housekeeping: a store that cannot delete now (read-only, busy) must not fail the request.
    await this.#store.pruneOutcomes(new Date(now - this.#keyTtlMs)).catch(() => undefined);
  }

  async start(req: StartRequest): Promise<Outcome> {
    return this.#guard(async () => {
      const prior = await this.#prior(req.idempotencyKey);
      if (prior) return prior;
      const playbook = this.#playbooks(req.playbookId);
      if (!playbook) return this.#refuse(req.idempotencyKey, null, unknownPlaybook(req.playbookId));
      for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
        const existing = await this.#store.getSessionByThread(req.threadKey);
        if (existing?.status === 'active') return this.#refuse(req.idempotencyKey, existing, threadBusy(existing));
        const result = startSession(playbook, { id: this.#newId(), threadKey: req.threadKey, actor: req.actor, at: this.#now(), versions: req.versions });
        const companion = result.ok && req.companion ? req.companion(result.session) : undefined;
        const done = await this.#commit(req.idempotencyKey, undefined, result, playbook, companion);
        if (done) return done;
      }
      return busy();
    });
  }

  async act(req: ActRequest): Promise<Outcome> {
    return this.#guard(async () => {
      const prior = await this.#prior(req.idempotencyKey);
      if (prior) return prior;
      for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
        const session = await this.#load(req.target);
        if (!session) return notFound(req.target);
        const playbook = this.#playbooks(session.playbookId);
        if (!playbook) return this.#refuse(req.idempotencyKey, session, unknownPlaybook(session.playbookId));
        const result = apply(session, playbook, req.action, { actor: req.actor, at: this.#now(), expectedStep: req.expectedStep, fourEyes: req.fourEyes });
        const done = await this.#commit(req.idempotencyKey, session, result, playbook);
        if (done) return done;
      }
      return busy();
    });
  }

  /** The session of a thread (its active one, else its latest) or by id, with the step to show or its summary. */
  async get(target: SessionTarget): Promise<Lookup> {
    return this.#guard(async (): Promise<Lookup> => {
      const session = await this.#load(target);
      if (!session) return notFound(target);
      const playbook = this.#playbooks(session.playbookId);
      return { kind: 'found', session, ...(playbook ? this.#render(session, playbook) : {}) };
    });
  }

  /** The summary of a session, finished or not (then: so far). */
  summary(session: Session): Summary | undefined {
    const playbook = this.#playbooks(session.playbookId);
    return playbook ? summarize(session, playbook, this.#now()) : undefined;
  }

  async #guard<T>(work: () => Promise<T>): Promise<T | { kind: 'unavailable'; message: string }> {
    try {
      await this.ready();
      await this.#pruneIfDue();
      return await work();
    } catch (err) {
      if (err instanceof StoreUnavailableError) return { kind: 'unavailable', message: err.message };
      throw err;
    }
  }

  async #load(target: SessionTarget): Promise<Session | undefined> {
    return 'sessionId' in target ? this.#store.getSession(target.sessionId) : this.#store.getSessionByThread(target.threadKey);
  }

  #render(session: Session, playbook: WalkPlaybook): { view?: StepView; summary?: Summary } {
    return session.status === 'active' ? { view: currentStep(session, playbook) } : { summary: summarize(session, playbook, this.#now()) };
  }

  /** Save an accepted result (compare-and-set) or record a refusal. Undefined means "lost a race: load and judge again". */
  async #commit(key: string | undefined, base: Session | undefined, result: ApplyResult, playbook: WalkPlaybook, companion?: CompanionWrite): Promise<Outcome | undefined> {
    if (!result.ok) return this.#refuse(key, base ?? null, result.rejection);
    const { session, events } = result;
    const recorded: Recorded = { kind: 'applied', sessionId: session.id, version: session.version, events };
    const saved = await this.#store.save(session, base?.version ?? 0, key ? { key, outcome: recorded, at: session.updatedAt } : undefined, companion);
    if (saved.status === 'duplicate') return this.#replay(saved.outcome);
    if (saved.status === 'conflict') return undefined;
    return { kind: 'applied', session, events, replayed: false, ...this.#render(session, playbook) };
  }

  async #refuse(key: string | undefined, session: Session | null, rejection: Rejection): Promise<Outcome> {
    const recorded: Recorded = { kind: 'rejected', sessionId: session?.id ?? null, rejection };
    if (key) {
      const stored = await this.#store.putOutcome(key, recorded.sessionId, { outcome: recorded, at: this.#now().toISOString() });
      if (!sameRecord(stored.outcome, recorded)) return this.#replay(stored);
    }
    const playbook = session ? this.#playbooks(session.playbookId) : undefined;
    const view = session?.status === 'active' && playbook ? currentStep(session, playbook) : undefined;
    return { kind: 'rejected', rejection, replayed: false, session: session ?? undefined, view };
  }

  async #prior(key: string | undefined): Promise<Outcome | undefined> {
    if (!key) return undefined;
    const stored = await this.#store.getOutcome(key);
    return stored ? this.#replay(stored) : undefined;
  }

  /** Answer a replayed press with what the first press did, showing the session as it is now. */
  async #replay(stored: StoredOutcome): Promise<Outcome> {
    const recorded = stored.outcome as Recorded;
    const session = recorded.sessionId ? await this.#store.getSession(recorded.sessionId) : undefined;
    const playbook = session ? this.#playbooks(session.playbookId) : undefined;
    const rendered = session && playbook ? this.#render(session, playbook) : {};
    if (recorded.kind === 'rejected') return { kind: 'rejected', rejection: recorded.rejection, replayed: true, session, view: rendered.view };
    if (!session) return { kind: 'not-found', message: 'The walkthrough this press belonged to no longer exists.' };
    return { kind: 'applied', session, events: recorded.events, replayed: true, ...rendered };
  }
}

function sameRecord(a: unknown, b: Recorded): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Not recorded under the key: a later retry of the same press may well succeed. */
function busy(): Outcome {
  const rejection: Rejection = { kind: 'busy', message: 'This walkthrough is changing too fast right now (many presses at once); nothing was applied. Try again.' };
  return { kind: 'rejected', rejection, replayed: false };
}

function notFound(target: SessionTarget): { kind: 'not-found'; message: string } {
  return 'sessionId' in target
    ? { kind: 'not-found', message: `There is no walkthrough with id "${target.sessionId}".` }
    : { kind: 'not-found', message: 'There is no walkthrough in this thread yet. Paste an error to get a playbook, then start it.' };
}
