// The thread's context as the handlers and cards use it: what the last paste said (kept in the
// thread state for "other matches", "not this" and starting a walkthrough from it), and the context of
// the thread's walkthrough (targets from the paste or typed, the paste excerpt and diagnosis it
// started from), which checks, step cards and handoffs read.
import type { MatchResult } from '../match/types.ts';
import type { Actor, Session } from '../walkthrough/session.ts';
import { safeBlock, safeLine } from '../text/neutralise.ts';
import { redact } from '../text/redact.ts';
import { legacyContext } from './state/legacy-context.ts';
import { THREAD_LIMITS, type PasteState, type ThreadDoc, type WalkContext } from './state/thread-state.ts';
import type { ThreadHandle } from './state/thread.ts';
import { targetsFromSignals, type Placeholder, type TargetValues } from './targets.ts';
import { factsFromPaste, type PasteFacts } from './command-fill.ts';
import { rolesFromPaste, type TargetRoles } from './roles.ts';

/** ehlo itself, in timelines (its own notes are never shown as people's notes). */
export const EHLO_ACTOR: Actor = { id: 'ehlo', name: 'ehlo' };

/** Notes people wrote (ehlo's own notes, such as legacy context notes, left out). */
export function peopleNotes<N extends { by: Actor }>(notes: readonly N[]): N[] {
  return notes.filter((n) => n.by.id !== EHLO_ACTOR.id);
}

export interface ThreadContext {
  targets: TargetValues;
  answered: ReadonlySet<Placeholder>;
  paste?: WalkContext['paste'];
  diagnosis?: WalkContext['diagnosis'];
  /** What the paste carries for step commands (a decoded IMCEAEX address). */
  facts?: PasteFacts;
  /** The role of each target the paste named (sender IP, receiving host …). */
  roles?: TargetRoles;
}

export function emptyContext(): ThreadContext {
  return { targets: {}, answered: new Set() };
}

function clip(s: string, max = THREAD_LIMITS.text): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** What the thread keeps of a paste: its matches and targets, and a redacted excerpt (never the whole text). */
export function pasteState(text: string, result: MatchResult, at: Date): PasteState {
  const head = text.length > 8 * THREAD_LIMITS.excerpt ? text.slice(0, 8 * THREAD_LIMITS.excerpt) : text;
  const excerpt = safeBlock(redact(head), THREAD_LIMITS.excerpt);
  const facts = factsFromPaste(head);
  const targets = Object.fromEntries(Object.entries(targetsFromSignals(result.signals)).map(([k, v]) => [k, clip(v)]));
  const roles = Object.fromEntries(Object.entries(rolesFromPaste(head, result.signals, targets)).map(([k, v]) => [k, clip(v)]));
  return {
    at: at.toISOString(),
    kind: result.kind,
    chars: text.length,
    excerpt: excerpt.text,
    ...((excerpt.truncated || head.length < text.length) && { cut: true }),
    verdict: result.verdict,
    ...(result.question && { question: result.question.slice(0, 1000) }),
    ...(result.questionId && { questionId: result.questionId.slice(0, 120) }),
    ...(result.versions?.length && { versions: result.versions.slice(0, 8).map((v) => ({ version: v.version.slice(0, 20), evidence: v.evidence.slice(0, 120), ...(v.vianet && { vianet: true }), ...(v.thread && { thread: true }) })) }),
    matches: result.matches.slice(0, THREAD_LIMITS.matches).map((m) => ({
      playbook: clip(m.playbook),
      title: m.title.slice(0, 500),
      topics: m.topics.slice(0, 20).map((t) => clip(t)),
      score: m.score,
      confidence: m.confidence,
      intent: clip(m.intent),
      why: m.why.slice(0, THREAD_LIMITS.why).map((w) => ({ evidence: clip(w.evidence), span: w.span, weight: w.weight })),
    })),
    targets,
    ...(Object.keys(roles).length && { roles }),
    ...(Object.keys(facts).length && { facts }),
  };
}

/** The walkthrough context a start from this paste gets (targets, excerpt, diagnosis of the chosen playbook). */
export function walkFromPaste(sessionId: string, paste: PasteState | undefined, playbookId: string): WalkContext {
  if (!paste) return { sessionId, targets: {}, answered: [] };
  const match = paste.matches.find((m) => m.playbook === playbookId);
  return {
    sessionId,
    targets: { ...paste.targets },
    answered: [],
    paste: { kind: paste.kind, chars: paste.chars, excerpt: paste.excerpt, ...(paste.cut && { cut: true }) },
    ...(paste.facts && { facts: paste.facts }),
    ...(paste.roles && { roles: paste.roles }),
    ...(match && { diagnosis: { playbook: match.playbook, confidence: match.confidence, score: match.score, verdict: paste.verdict, evidence: match.why.slice(0, 6).map((w) => safeLine(w.evidence, 200)) } }),
  };
}

export function toContext(walk: WalkContext | undefined): ThreadContext {
  if (!walk) return emptyContext();
  return { targets: walk.targets, answered: new Set(walk.answered), paste: walk.paste, diagnosis: walk.diagnosis, ...(walk.facts && { facts: walk.facts }), ...(walk.roles && { roles: walk.roles }) };
}

/** The walk context of `session` in this thread: from the thread state, or moved there from a legacy session's notes. */
export async function walkOf(state: ThreadHandle, session: Session): Promise<WalkContext | undefined> {
  const doc: ThreadDoc = await state.read();
  if (doc.walk?.sessionId === session.id) return doc.walk;
  const legacy = legacyContext(session);
  if (!legacy || session.status !== 'active' || session.threadKey !== state.thread) return legacy;
  await state.write((d) => {
    d.walk = legacy;
  });
  return legacy;
}

export async function contextOf(state: ThreadHandle, session: Session): Promise<ThreadContext> {
  return toContext(await walkOf(state, session));
}
