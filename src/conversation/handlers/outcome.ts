// Showing what an engine call did: a notice of what happened (or why nothing did), then the step to
// do next, or the summary when the walkthrough ended, and the handoff packet when it escalated.
import type { Session } from '../../walkthrough/session.ts';
import type { StepView } from '../../walkthrough/view.ts';
import type { Outcome } from '../../walkthrough/walkthroughs.ts';
import { handoffCard } from '../cards/escalation.ts';
import { eventLine } from '../cards/outcome.ts';
import { stepCard, supersededStepCard } from '../cards/step.ts';
import { decodeAction } from '../action-schema.ts';
import { summaryCard } from '../cards/summary.ts';
import { contextOf } from '../context.ts';
import { needsRecheck } from '../../walkthrough/recheck.ts';
import { recheck } from './check.ts';
import type { Turn } from '../turn.ts';
import type { AuditAction } from '../../audit/log.ts';
import type { TimelineAction } from '../../walkthrough/session.ts';
import { mirror, walkthroughEnded } from './escalate.ts';

const AUDIT_OF: Record<TimelineAction, AuditAction> = {
  start: 'walkthrough-started', done: 'step-done', failed: 'step-failed', skipped: 'step-skipped', back: 'step-back', confirm: 'confirm',
  check: 'check-run', recheck: 'check-run', note: 'note', escalate: 'escalate', stop: 'stop', finish: 'finish',
};

/** A press of a step card's button: the channel shows the next step in the card pressed (Slack updates it; Teams replaces the session's step card). */
function pressedStep(turn: Turn): boolean {
  return turn.event.type === 'press' && decodeAction(turn.event.value)?.k === 'step';
}

/**
 * The step card; when it takes the place of the thread's earlier step card (a typed "done", Start
 * pressed again), that card is closed: updated, through the outbox like every reply, to one line
 * without buttons, so only the newest card can be pressed.
 */
export async function postStep(turn: Turn, session: Session, view: StepView): Promise<void> {
  const playbook = turn.deps.catalog.playbookById.get(session.playbookId);
  const ctx = await contextOf(turn.state, session);
  const card = stepCard(turn.thread, view, playbook ?? { title: session.playbookId }, ctx.targets, ctx.answered, ctx.facts, ctx.roles);
  const before = (await turn.state.read()).stepCard;
  await turn.post(card);
  if (turn.via) return; // shown in the on-call thread; the origin's card stays as it is
  await turn.state.write((d) => {
    d.stepCard = { reply: card.id, position: view.position, title: view.step.title.slice(0, 120) };
  });
  if (before && before.reply !== card.id && !pressedStep(turn)) await turn.update(supersededStepCard(turn.thread, before));
}

/** The summary, and for an escalated walkthrough the handoff packet. */
export async function postEnd(turn: Turn, session: Session): Promise<void> {
  const summary = turn.deps.walkthroughs.summary(session);
  if (!summary) return turn.say(`The walkthrough ended (${session.status}); its playbook "${session.playbookId}" is no longer in the catalog, so there is no summary.`);
  await turn.post(summaryCard(turn.thread, summary));
  if (session.status !== 'escalated') return;
  await turn.post(handoffCard(turn.thread, { session, summary, context: await contextOf(turn.state, session) }));
  // The playbook itself escalated (no step left to try): on-call is one command away.
  if (!session.escalation && turn.deps.oncall?.targetFor(turn.thread)) await turn.say('The playbook has no step left to try here. Type escalate to hand this to on-call (it asks first).');
  turn.deps.logger.info({ thread: turn.thread, session: session.id, playbook: session.playbookId }, 'walkthrough escalated; handoff packet posted');
}

/** Where the session stands now: its step card, or its summary. */
async function postNext(turn: Turn, session: Session | undefined, view: StepView | undefined): Promise<void> {
  if (session && view) await postStep(turn, session, view);
  else if (session && session.status !== 'active') {
    const playbook = turn.deps.catalog.playbookById.get(session.playbookId);
    // A fix whose diagnosis rests on a failed check is proved by that check: run it again before the summary.
    if (playbook && needsRecheck(session, playbook)) await recheck(turn, session);
    else await postEnd(turn, session);
  }
}

export async function showOutcome(turn: Turn, outcome: Outcome): Promise<void> {
  switch (outcome.kind) {
    case 'applied': {
      const playbook = turn.deps.catalog.playbookById.get(outcome.session.playbookId);
      const lines = outcome.events.filter((e) => e.action !== 'note' || e.by.id !== 'ehlo').map((e) => eventLine(e, playbook));
      const text = outcome.replayed ? `Already done — this press was applied before: ${lines.join(' ')}` : lines.join('\n');
      if (text) await turn.say(text, outcome.replayed ? 'warning' : 'success');
      if (!outcome.replayed) {
        for (const e of outcome.events) await turn.audit(AUDIT_OF[e.action], { session: outcome.session.id, step: e.stepId, detail: e.detail ? { detail: e.detail } : undefined });
        await mirror(turn, text);
        await walkthroughEnded(turn, outcome.session);
      }
      if (outcome.replayed && outcome.session.status !== 'active') return;
      return postNext(turn, outcome.session, outcome.view);
    }
    case 'rejected': {
      await turn.say(outcome.rejection.message, outcome.rejection.kind === 'busy' ? 'danger' : 'warning');
      if (outcome.view && outcome.session) await postStep(turn, outcome.session, outcome.view);
      return;
    }
    case 'not-found':
      return turn.say(outcome.message, 'warning');
    case 'unavailable':
      return turn.say(outcome.message, 'danger');
  }
}
