// Running a step's check: fill its target from the thread's context (or ask for what is missing and
// take the next plain line as the answer), show "running…" and update it with progress and then
// the result, and record the result as evidence; the playbook decides whether it settles the step.
import type { ProbeKind } from '../../catalog/schema.ts';
import { runProbe } from '../../probes/run.ts';
import type { ProbeResult } from '../../probes/types.ts';
import type { Session } from '../../walkthrough/session.ts';
import type { SessionTarget } from '../../walkthrough/walkthroughs.ts';
import { encodeAction } from '../actions.ts';
import { probeResult, probeRunning } from '../cards/probe.ts';
import { contextNoteText, EHLO_ACTOR, readContext } from '../context.ts';
import { reply } from '../reply.ts';
import { ASK, fillTarget, readAnswer, type Placeholder, PLACEHOLDERS } from '../targets.ts';
import type { Turn } from '../turn.ts';
import { postStep, showOutcome } from './outcome.ts';

/** Run one probe with a "running…" reply that becomes its result. */
export async function probeWithProgress(turn: Turn, kind: ProbeKind, target: string, why?: string): Promise<ProbeResult> {
  const running = probeRunning(turn.thread, kind, target, undefined, why);
  await turn.post(running);
  let last = 0;
  const onProgress = (message: string): void => {
    const now = Date.now();
    if (now - last < turn.deps.progressEveryMs) return;
    last = now;
    void turn.update({ ...probeRunning(turn.thread, kind, target, message, why), id: running.id });
  };
  const { probeConfig, limiter, logger } = turn.deps;
  const result = await runProbe(kind, target, { config: probeConfig, user: turn.event.actor.id, signal: turn.signal, onProgress, limiter });
  logger.info({ thread: turn.thread, probe: kind, target: result.target, status: result.status, ms: result.ms }, 'probe ran');
  await turn.update(probeResult(running.id, turn.thread, result));
  return result;
}

async function askFor(turn: Turn, session: Session, stepId: string, placeholder: Placeholder, kind: string, template: string): Promise<void> {
  turn.deps.memory.get(turn.thread).pending = { placeholder, sessionId: session.id, stepId, version: session.version };
  const { what, example } = ASK[placeholder];
  const prompt = `The ${kind} check (${template}) needs ${what}. Type it (for example ${example}), or cancel.`;
  await turn.post(reply(turn.thread, prompt, [{ type: 'text', text: prompt }, { type: 'buttons', buttons: [{ id: 'cancel', label: 'Cancel', style: 'default', value: encodeAction({ k: 'cancel' }) }] }], { ask: { prompt: `${placeholder}?` } }));
}

function effectLine(session: Session, stepTitle: string): string {
  const last = session.evidence.at(-1);
  switch (last?.effect) {
    case 'done': return `The check passed, so “${stepTitle}” is marked done, as the playbook says.`;
    case 'skipped': return `The check passed, so “${stepTitle}” is skipped, as the playbook says.`;
    case 'failed': return `The check failed, so “${stepTitle}” is marked failed; following the playbook's branch.`;
    default: return `Recorded as evidence for “${stepTitle}”. Decide with the buttons: Done if it looks healthy, Failed if not.`;
  }
}

export async function runCheck(turn: Turn, target: SessionTarget, expectedStep?: string): Promise<void> {
  const { walkthroughs, memory } = turn.deps;
  const lookup = await walkthroughs.get(target);
  if (lookup.kind !== 'found') return turn.say(lookup.message, lookup.kind === 'unavailable' ? 'danger' : 'warning');
  const { session, view } = lookup;
  if (!view) return turn.say(`This walkthrough is ${session.status}; there is no step to check.`, 'warning');
  if (expectedStep && view.step.id !== expectedStep) {
    await turn.say(`That check is for step "${expectedStep}", but the walkthrough is now at step "${view.step.id}"; nothing was run.`, 'warning');
    return postStep(turn, session, view);
  }
  const probe = view.step.probe;
  if (!probe) return turn.say(`Step “${view.step.title}” has no check to run. Mark it with done or failed.`);
  const ctx = readContext(session);
  const filled = fillTarget(probe.target, ctx.targets);
  if (!filled.ok) {
    if ('unknown' in filled) return turn.say(`The playbook's check target "${probe.target}" uses {${filled.unknown}}, which ehlo cannot fill. Run the check by hand with probe ${probe.kind} <target>.`, 'warning');
    return askFor(turn, session, view.step.id, filled.missing, probe.kind, probe.target);
  }
  const running = `${session.id}:${view.step.id}`;
  if (memory.running.has(running)) return turn.say('That check is already running; its result will show here.');
  memory.running.add(running);
  try {
    const result = await probeWithProgress(turn, probe.kind, filled.target);
    if (result.status === 'refused') {
      return turn.say('Nothing was checked: the probe policy refused that target (see above), so nothing was recorded. Allow it in probes.allow or EHLO_PROBE_ALLOW, or mark the step by hand.', 'warning');
    }
    const outcome = await walkthroughs.act({
      target: { sessionId: session.id },
      action: { type: 'check-result', report: result },
      actor: turn.event.actor,
      expectedStep: view.step.id,
      idempotencyKey: `check:${session.id}:${view.step.id}:${session.evidence.length}`,
    });
    if (outcome.kind === 'applied' && !outcome.replayed) {
      await turn.say(effectLine(outcome.session, view.step.title), outcome.session.evidence.at(-1)?.effect === 'failed' ? 'warning' : 'success');
      if (outcome.view) return postStep(turn, outcome.session, outcome.view);
      return showOutcome(turn, { ...outcome, events: [] });
    }
    await showOutcome(turn, outcome);
  } finally {
    memory.running.delete(running);
  }
}

/** Record a target value in the session (durable) for its checks. */
async function recordTarget(turn: Turn, sessionId: string, placeholder: Placeholder, value: string): Promise<boolean> {
  const text = contextNoteText({ targets: { [placeholder]: value }, answered: [placeholder] });
  const noted = await turn.deps.walkthroughs.act({ target: { sessionId }, action: { type: 'note', text }, actor: EHLO_ACTOR, idempotencyKey: turn.key(`set-${placeholder}`) });
  if (noted.kind === 'applied') return true;
  await showOutcome(turn, noted);
  return false;
}

/** The next plain line after a question: the value asked for. */
export async function answer(turn: Turn, text: string): Promise<void> {
  const state = turn.deps.memory.get(turn.thread);
  const pending = state.pending;
  if (!pending) return;
  const read = readAnswer(pending.placeholder, text);
  if (!read.ok) {
    await turn.post(reply(turn.thread, read.message, [{ type: 'text', text: `${read.message} Type it again, or cancel.`, tone: 'warning' }], { ask: { prompt: `${pending.placeholder}?` } }));
    return;
  }
  state.pending = undefined;
  if (!(await recordTarget(turn, pending.sessionId, pending.placeholder, read.value))) return;
  await turn.say(`Using ${pending.placeholder} ${read.value} for this walkthrough's checks (change it with set ${pending.placeholder} <value>).`);
  await runCheck(turn, { sessionId: pending.sessionId }, pending.stepId);
}

export async function setTarget(turn: Turn, args: string): Promise<void> {
  const [rawName = '', value = ''] = args.trim().split(/\s+/, 2);
  const name = rawName.replace(/^\{|\}$/g, '').toLowerCase();
  if (!(PLACEHOLDERS as readonly string[]).includes(name)) return turn.say(`set takes one of ${PLACEHOLDERS.join(', ')} and a value, for example: set host mail.contoso.com`, 'warning');
  const placeholder = name as Placeholder;
  const read = readAnswer(placeholder, value);
  if (!read.ok) return turn.say(read.message, 'warning');
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (lookup.kind === 'unavailable') return turn.say(lookup.message, 'danger');
  if (lookup.kind !== 'found' || lookup.session.status !== 'active') return turn.say('Start a walkthrough first: set changes the targets of its checks.');
  if (await recordTarget(turn, lookup.session.id, placeholder, read.value)) await turn.say(`Checks in this walkthrough now use ${placeholder} ${read.value}.`, 'success');
}

export async function cancel(turn: Turn): Promise<void> {
  const state = turn.deps.memory.get(turn.thread);
  if (!state.pending) return turn.say('There is no open question to cancel.');
  state.pending = undefined;
  await turn.say('OK, that check will not run. Mark the step by hand, or type check to try again.');
}
