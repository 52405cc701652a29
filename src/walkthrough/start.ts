// Opening a walkthrough: a new session at the playbook's first step.
import { createHash } from 'node:crypto';
import type { ApplyResult } from './action.ts';
import type { WalkPlaybook } from './flow.ts';
import { Actor, LIMITS, type Session, type TimelineEntry } from './session.ts';
import { settle } from './settle.ts';
import { notForVersion } from './versions.ts';

const hashes = new WeakMap<WalkPlaybook, string>();

/** A short content hash of the playbook's steps, kept in the session to notice later edits. */
export function playbookHash(playbook: WalkPlaybook): string {
  let hash = hashes.get(playbook);
  if (hash === undefined) {
    hash = createHash('sha256').update(JSON.stringify({ id: playbook.id, steps: playbook.steps })).digest('hex').slice(0, 16);
    hashes.set(playbook, hash);
  }
  return hash;
}

export interface StartInput {
  id: string;
  threadKey: string;
  actor: Actor;
  at: Date;
  /** The Exchange versions the thread's paste states: steps for other versions are skipped, saying so. */
  versions?: Session['versions'];
}

export function startSession(playbook: WalkPlaybook, input: StartInput): ApplyResult {
  const first = playbook.steps[0];
  if (!first) return { ok: false, rejection: { kind: 'invalid', message: `Playbook "${playbook.id}" has no steps to walk through.` } };
  if (input.threadKey.length === 0 || input.threadKey.length > LIMITS.threadKey) {
    return { ok: false, rejection: { kind: 'invalid', message: `A thread key is 1 to ${LIMITS.threadKey} characters (platform:channel:thread).` } };
  }
  if (!Actor.safeParse(input.actor).success) {
    return { ok: false, rejection: { kind: 'invalid', message: `An actor has an id and a name of 1 to ${LIMITS.actorField} characters.` } };
  }
  const at = input.at.toISOString();
  const entry: TimelineEntry = { at, by: input.actor, action: 'start', stepId: first.id, detail: playbook.title };
  const session: Session = {
    id: input.id,
    threadKey: input.threadKey,
    playbookId: playbook.id,
    playbookHash: playbookHash(playbook),
    status: 'active',
    cursor: first.id,
    path: [first.id],
    version: 1,
    steps: Object.fromEntries(playbook.steps.map((s) => [s.id, { status: 'pending' as const }])),
    evidence: [],
    notes: [],
    timeline: [entry],
    startedBy: input.actor,
    createdAt: at,
    updatedAt: at,
    ...(input.versions?.length && { versions: input.versions.slice(0, 8).map((v) => ({ version: v.version, evidence: v.evidence.slice(0, 200) })) }),
  };
  const off = notForVersion(session.versions, first);
  if (!off) return { ok: true, session, events: [entry] };
  // The first step is for other versions than the paste's: skip on, as settle does for later steps.
  const moved = settle(session, playbook, { step: first, outcome: 'skipped', by: input.actor, at, via: 'version', reason: off });
  if ('kind' in moved) return { ok: false, rejection: moved };
  return { ok: true, session: { ...session, ...moved.set, timeline: [entry, ...moved.events] }, events: [entry, ...moved.events] };
}
