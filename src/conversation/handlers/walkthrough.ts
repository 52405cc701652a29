// Starting, moving and reading a thread's walkthrough through the durable engine. Button presses carry
// the step they were rendered for (a press on a step already left is refused as stale) and a key
// made of session, step, version and choice: the same button pressed twice, by two people at once or
// replayed by a platform retry is applied exactly once, and the others are answered with that outcome.
import type { Action } from '../../walkthrough/action.ts';
import type { Session } from '../../walkthrough/session.ts';
import type { Lookup } from '../../walkthrough/walkthroughs.ts';
import type { StepChoice } from '../actions.ts';
import { catalogCard } from '../cards/catalog.ts';
import { searchCatalog } from '../../catalog/search.ts';
import { shortTitle } from '../cards/parts.ts';
import { walkFromPaste } from '../context.ts';
import { safeLine, who } from '../../text/neutralise.ts';
import type { Turn } from '../turn.ts';
import { askOwedProof, runCheck } from './check.ts';
import { postEnd, postStep, showOutcome } from './outcome.ts';
import { askEscalation, mirror } from './escalate.ts';
import { statedVersions } from '../../match/version.ts';
import { versionsForSteps } from '../../walkthrough/versions.ts';
import { eventLine } from '../cards/outcome.ts';
import type { Playbook } from '../../catalog/schema.ts';
import type { TimelineEntry } from '../../walkthrough/session.ts';

/** The steps a start skipped (the first ones, for other Exchange versions), one line each. */
async function showSkips(turn: Turn, events: TimelineEntry[], playbook: Playbook | undefined): Promise<void> {
  await turn.say(events.map((e) => eventLine(e, playbook)).join('\n'));
}

type StepAction = Exclude<StepChoice, 'run-check'>;

/** Permissions for step choices: confirming a change (a high-risk one has its own rule), stopping someone else's walkthrough. */
async function mayAct(turn: Turn, choice: StepChoice, sessionId: string, stepId: string | undefined): Promise<boolean> {
  if (choice === 'confirm') {
    const lookup = await turn.deps.walkthroughs.get({ sessionId });
    const playbook = lookup.kind === 'found' ? turn.deps.catalog.playbookById.get(lookup.session.playbookId) : undefined;
    const step = playbook?.steps.find((s) => s.id === stepId);
    const high = step?.changes !== false && step?.changes?.risk === 'high';
    return turn.allowed(high ? 'confirmHigh' : 'confirm', { session: sessionId, step: stepId });
  }
  if (choice === 'stop') {
    const lookup = await turn.deps.walkthroughs.get({ sessionId });
    if (lookup.kind === 'found' && lookup.session.startedBy.id !== turn.event.actor.id) return turn.allowed('stopOthers', { session: sessionId, step: stepId });
  }
  return true;
}

function toAction(choice: StepAction, reason: string): Action {
  const why = reason.trim() || undefined;
  switch (choice) {
    case 'failed': return { type: 'failed', reason: why };
    case 'skip': return { type: 'skip', reason: why };
    case 'escalate': return { type: 'escalate', reason: why };
    case 'stop': return { type: 'stop', reason: why };
    default: return { type: choice };
  }
}

/** Session-wide choices apply from any card; step choices only on the step they were shown for. */
const SESSION_WIDE: ReadonlySet<StepChoice> = new Set(['escalate', 'stop']);

/** Which playbook `start <words>` means; undefined after answering (a list, or nothing found). */
async function choosePlaybook(turn: Turn, words: string): Promise<string | undefined> {
  const q = words.trim();
  if (!q) {
    const paste = (await turn.state.read()).paste;
    const top = paste?.matches[0];
    if (paste && top && paste.verdict === 'match') return top.playbook;
    if (paste && paste.verdict === 'ambiguous') await turn.say('Two playbooks fit the last paste; press the Start button of the one that matches.');
    else await turn.say('Which playbook? Paste an error to get a diagnosis, or search: playbooks <words>.');
    return undefined;
  }
  const found = searchCatalog(turn.deps.catalog, q);
  if (found.length === 1) return found[0]?.id;
  if (found.length === 0) await turn.say(`No playbook is called or mentions “${safeLine(q, 80)}”. Search with playbooks <words>.`, 'warning');
  else await turn.post(catalogCard(turn.thread, turn.deps.catalog, q));
  return undefined;
}

export async function startWalkthrough(turn: Turn, words: string, playbookId?: string): Promise<void> {
  const id = playbookId ?? (await choosePlaybook(turn, words));
  if (!id) return;
  if (!(await turn.allowed('start'))) return;
  const { walkthroughs, catalog, logger } = turn.deps;
  const key = turn.key('start');
  const paste = (await turn.state.read()).paste;
  // The Exchange versions the paste states: the walkthrough skips steps written for other versions.
  const versions = paste ? versionsForSteps(statedVersions(paste.excerpt)).map((v) => ({ version: v.version, evidence: v.evidence })) : [];
  // The thread's walkthrough context is written in the same transaction as the session.
  let committed: (() => void) | undefined;
  const started = await walkthroughs.start({
    threadKey: turn.thread,
    playbookId: id,
    actor: turn.event.actor,
    idempotencyKey: key,
    ...(versions.length && { versions }),
    companion: (session) => {
      const prepared = turn.state.companion((d) => {
        d.walk = walkFromPaste(session.id, paste, id);
        d.pending = undefined;
      });
      committed = prepared.committed;
      return prepared.write;
    },
  });
  if (started.kind === 'rejected' && started.rejection.kind === 'thread-busy') {
    await turn.say(started.rejection.message, 'warning');
    const now = await walkthroughs.get({ threadKey: turn.thread });
    if (now.kind === 'found' && now.view) await postStep(turn, now.session, now.view);
    return;
  }
  if (started.kind !== 'applied' || started.replayed) return showOutcome(turn, started);
  committed?.();
  logger.info({ thread: turn.thread, session: started.session.id, playbook: id }, 'walkthrough started');
  await turn.audit('walkthrough-started', { session: started.session.id, detail: { playbook: id } });
  const { session, view } = started;
  const playbook = catalog.playbookById.get(id);
  await turn.say(`${who(turn.event.actor)} started the walkthrough of “${playbook ? shortTitle(playbook.title, 80) : id}” (${playbook?.steps.length ?? '?'} steps). One step at a time: use the buttons, or type done, failed, skip, check, back, note, escalate, stop.`, 'success');
  const stated = session.versions ?? [];
  if (stated.length && playbook?.steps.some((s) => s.appliesTo)) {
    await turn.say(`The paste says ${stated.map((v) => (v.version === 'Online' ? 'Exchange Online' : `Exchange ${v.version}`)).join(' and ')}: steps written only for other versions are skipped, and each skip says why.`);
  }
  const skipped = started.events.filter((e) => e.action === 'skipped');
  if (skipped.length) await showSkips(turn, skipped, playbook);
  if (view) await postStep(turn, session, view);
}

/** A button on a step card. */
export async function pressStep(turn: Turn, p: { s: string; t: string; v: number; c: StepChoice }): Promise<void> {
  if (p.c === 'run-check') return runCheck(turn, { sessionId: p.s }, p.t);
  if (p.c === 'escalate') return askEscalation(turn, '');
  if (!(await mayAct(turn, p.c, p.s, p.t))) return;
  const outcome = await turn.deps.walkthroughs.act({
    fourEyes: turn.deps.policy.fourEyes,
    target: { sessionId: p.s },
    action: toAction(p.c, ''),
    actor: turn.event.actor,
    expectedStep: SESSION_WIDE.has(p.c) ? undefined : p.t,
    idempotencyKey: `press:${p.s}:${p.t}:${p.v}:${p.c}`,
  });
  await showOutcome(turn, outcome);
}

/** The thread's active session, or a message saying why there is none. */
async function activeSession(turn: Turn, lookup: Lookup): Promise<Session | undefined> {
  if (lookup.kind === 'unavailable') {
    await turn.say(lookup.message, 'danger');
    return undefined;
  }
  if (lookup.kind === 'not-found') {
    await turn.say('There is no walkthrough in this thread. Paste an error to get a playbook, then start it.');
    return undefined;
  }
  if (lookup.session.status !== 'active') {
    await turn.say(`The last walkthrough here (${lookup.session.playbookId}) is ${lookup.session.status}; paste a new error or start a playbook.`);
    return undefined;
  }
  return lookup.session;
}

/**
 * A typed step command (done, failed …). When the thread has no walkthrough and the command came
 * with words ("Failed to connect to …"), it was a paste after all: `fallback` handles it.
 */
export async function typedStep(turn: Turn, choice: StepAction, args: string, fallback: () => Promise<void>): Promise<void> {
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (args && lookup.kind === 'not-found') return fallback();
  const session = await activeSession(turn, lookup);
  if (!session) return;
  if (!(await mayAct(turn, choice, session.id, session.cursor ?? undefined))) return;
  const outcome = await turn.deps.walkthroughs.act({
    fourEyes: turn.deps.policy.fourEyes,
    target: { sessionId: session.id },
    action: toAction(choice, args),
    actor: turn.event.actor,
    expectedStep: SESSION_WIDE.has(choice) ? undefined : (session.cursor ?? undefined),
    idempotencyKey: turn.key(choice),
  });
  await showOutcome(turn, outcome);
}

export async function addNote(turn: Turn, text: string, fallback: () => Promise<void>): Promise<void> {
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (lookup.kind === 'not-found') return text.trim() ? fallback() : turn.say('There is no walkthrough in this thread to add a note to.');
  if (lookup.kind === 'unavailable') return turn.say(lookup.message, 'danger');
  const outcome = await turn.deps.walkthroughs.act({ target: { sessionId: lookup.session.id }, action: { type: 'note', text }, actor: turn.event.actor, idempotencyKey: turn.key('note') });
  if (outcome.kind === 'applied' && !outcome.replayed) {
    await turn.audit('note', { session: lookup.session.id, step: lookup.session.cursor ?? undefined, detail: { text } });
    await mirror(turn, `${who(turn.event.actor)} added a note.`);
    return turn.say(`Note added by ${who(turn.event.actor)}.`, 'success');
  }
  await showOutcome(turn, outcome);
}

export async function status(turn: Turn): Promise<void> {
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (lookup.kind === 'unavailable') return turn.say(lookup.message, 'danger');
  if (lookup.kind === 'not-found') return turn.say('No walkthrough in this thread yet. Paste an error to get a diagnosis, or browse with playbooks.');
  const { session, view } = lookup;
  if (!view) {
    await postEnd(turn, session);
    await askOwedProof(turn, session);
    return;
  }
  const settled = Object.values(session.steps).filter((s) => s.status !== 'pending').length;
  await turn.say(`Walkthrough of ${session.playbookId}, started by ${who(session.startedBy)}; ${settled} step(s) settled so far.`);
  await postStep(turn, session, view);
}

/** A channel attached to the thread (the console starting): resume an open walkthrough and say so. */
export async function resume(turn: Turn): Promise<void> {
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (lookup.kind === 'unavailable') return turn.say(lookup.message, 'danger');
  if (lookup.kind !== 'found') return;
  if (!lookup.view) {
    // A finished walkthrough whose fix a person has not confirmed yet: ask again.
    if (lookup.session.status === 'finished' && lookup.session.threadKey === turn.thread) await askOwedProof(turn, lookup.session);
    return;
  }
  const { session, view } = lookup;
  const title = shortTitle(turn.deps.catalog.playbookById.get(session.playbookId)?.title ?? session.playbookId, 80);
  await turn.say(`Resuming the walkthrough of “${title}”, started by ${who(session.startedBy)} at ${session.createdAt.slice(0, 16).replace('T', ' ')} UTC: step ${view.position} of ${view.total}.`);
  await postStep(turn, session, view);
}
