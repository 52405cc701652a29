// Running checks: a step's check (its target filled from the thread's context, or asked for, the next
// plain line or the card's input answering) and the `probe` command. A check shows "running…" with a
// Cancel button, runs without holding the thread (other events of the thread go on meanwhile), and
// takes the thread again to show its result and record it as evidence: the playbook decides whether
// it settles the step. Cancel (a press or the command, from any process) stops the probe: the reply
// then says cancelled, and nothing is recorded.
import { randomUUID } from 'node:crypto';
import type { ProbeKind } from '../../catalog/schema.ts';
import { InProcessExecutor } from '../../probes/executor.ts';
import type { ProbeRequestOptions, ProbeResult } from '../../probes/types.ts';
import type { Actor, ProofAnswer, Session } from '../../walkthrough/session.ts';
import type { SessionTarget } from '../../walkthrough/walkthroughs.ts';
import { ANSWER_INPUT, encodeAction } from '../actions.ts';
import { probeCancelled, probeResult, probeRunning } from '../cards/probe.ts';
import { contextOf, walkOf } from '../context.ts';
import { who } from '../../text/neutralise.ts';
import { reply } from '../reply.ts';
import type { RunningCheck, ThreadDoc } from '../state/thread-state.ts';
import { ASK, checkRequest, readAnswer, type Placeholder, PLACEHOLDERS } from '../targets.ts';
import type { Turn } from '../turn.ts';
import { closingProof, needsRecheck } from '../../walkthrough/recheck.ts';
import { proofCard } from '../cards/proof.ts';
import { postEnd, postStep, showOutcome } from './outcome.ts';
import { mirror, walkthroughEnded } from './escalate.ts';

/** A running check older than its probe's time limit plus this was left by a process that died. */
const STALE_GRACE_MS = 60_000;

interface CheckSpec {
  kind: ProbeKind;
  target: string;
  /** The step's probe options (port, STARTTLS, DKIM selectors…), filled from the thread's values. */
  options?: ProbeRequestOptions;
  why?: string;
  /** The walkthrough step the check belongs to (none for the `probe` command). */
  step?: { sessionId: string; stepId: string; title: string; evidenceCount: number };
}

function isStale(turn: Turn, c: RunningCheck): boolean {
  return turn.deps.clock().getTime() - Date.parse(c.startedAt) > turn.deps.probeConfig.timeouts.totalMs + STALE_GRACE_MS;
}

/** Checks still running (stale ones left by a dead process are ignored). */
function liveChecks(turn: Turn, doc: ThreadDoc): RunningCheck[] {
  return doc.checks.filter((c) => !isStale(turn, c));
}

/**
 * Post "running…", record the check in the thread, and defer the probe: it runs after this event
 * let go of the thread, then `finish` runs holding the thread again with the result (or not at all
 * when the check was cancelled).
 */
async function launch(turn: Turn, spec: CheckSpec, finish: (result: ProbeResult) => Promise<void>): Promise<void> {
  const id = randomUUID();
  const cancelButton = { id: 'cancel-check', label: 'Cancel', style: 'default' as const, value: encodeAction({ k: 'cancel-check', c: id }) };
  const running = probeRunning(turn.thread, spec.kind, spec.target, undefined, spec.why, cancelButton);
  const entry: RunningCheck = {
    id,
    sessionId: spec.step?.sessionId ?? '',
    stepId: spec.step?.stepId ?? '',
    replyId: running.id,
    startedAt: turn.deps.clock().toISOString(),
    owner: turn.deps.owner,
  };
  await turn.state.write((d) => {
    d.checks = [...liveChecks(turn, d), entry].slice(-8);
  });
  await turn.post(running);
  turn.defer(async () => {
    const { deps } = turn;
    const controller = new AbortController();
    deps.checks.set(id, controller);
    const onOuterAbort = (): void => controller.abort();
    turn.signal?.addEventListener('abort', onOuterAbort, { once: true });
    // A Cancel pressed in another process reaches this one through the thread state.
    const poll = setInterval(() => {
      deps.threads.getThread(turn.thread).then(
        (d) => {
          if (d?.checks.find((c) => c.id === id)?.cancelRequestedBy) controller.abort();
        },
        () => undefined,
      );
    }, deps.cancelPollMs);
    let last = 0;
    const onProgress = (message: string): void => {
      const now = Date.now();
      if (now - last < deps.progressEveryMs) return;
      last = now;
      void turn.update({ ...probeRunning(turn.thread, spec.kind, spec.target, message, spec.why, cancelButton), id: running.id });
    };
    let result: ProbeResult;
    try {
      // In this process (the default) or on a runner of the target's zone (src/runner/queue-executor.ts).
      const executor = deps.executor ?? new InProcessExecutor(deps.probeConfig, deps.limiter);
      const handoff = { thread: turn.thread, checkId: id, actor: turn.event.actor, replyId: running.id, kind: spec.kind, target: spec.target, step: spec.step };
      result = await executor.run({ kind: spec.kind, target: spec.target, options: spec.options, user: turn.event.actor.id }, { signal: controller.signal, onProgress, handoff });
    } finally {
      clearInterval(poll);
      turn.signal?.removeEventListener('abort', onOuterAbort);
      deps.checks.delete(id);
    }
    await turn.relock(async () => {
      const doc = await turn.state.read();
      const mine = doc.checks.find((c) => c.id === id);
      await turn.state.write((d) => {
        d.checks = d.checks.filter((c) => c.id !== id);
      });
      const cancelledBy = mine?.cancelRequestedBy ?? (controller.signal.aborted ? turn.event.actor : undefined);
      deps.logger.info({ thread: turn.thread, probe: spec.kind, target: result.target, status: cancelledBy ? 'cancelled' : result.status, ms: result.ms }, 'probe ran');
      if (cancelledBy) {
        await turn.update(probeCancelled(running.id, turn.thread, spec.kind, spec.target, cancelledBy));
        if (spec.step) await turn.say(`The check was cancelled by ${who(cancelledBy)}; nothing was recorded. Mark the step by hand, or run the check again.`);
        return;
      }
      await turn.update(probeResult(running.id, turn.thread, result));
      await finish(result);
    });
  });
}

/** The `probe` command: one probe with a "running…" reply that becomes its result. */
export async function probeWithProgress(turn: Turn, kind: ProbeKind, target: string, why?: string): Promise<void> {
  if (!(await turn.allowed('probe'))) return;
  await launch(turn, { kind, target, why }, (result) => turn.audit('check-run', { detail: { probe: kind, target: result.target, status: result.status } }));
}

async function askFor(turn: Turn, session: Session, stepId: string, placeholder: Placeholder, kind: string, template: string): Promise<void> {
  await turn.state.write((d) => {
    d.pending = { placeholder, sessionId: session.id, stepId, version: session.version };
  });
  const { what, example } = ASK[placeholder];
  const prompt = `The ${kind} check (${template}) needs ${what}. Type it (for example ${example}), or cancel.`;
  await turn.post(
    reply(turn.thread, prompt, [{ type: 'text', text: prompt }, { type: 'buttons', buttons: [{ id: 'cancel', label: 'Cancel', style: 'default', value: encodeAction({ k: 'cancel' }) }] }], {
      kind: 'question',
      ask: { prompt: `${placeholder}?` },
    }),
  );
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

/** Record a check's result in its walkthrough and show what it did. */
async function recordResult(turn: Turn, step: NonNullable<CheckSpec['step']>, result: ProbeResult): Promise<void> {
  if (result.status === 'refused') {
    return turn.say('Nothing was checked: the probe policy refused that target (see above), so nothing was recorded. Allow it in probes.allow or EHLO_PROBE_ALLOW, or mark the step by hand.', 'warning');
  }
  const outcome = await turn.deps.walkthroughs.act({
    target: { sessionId: step.sessionId },
    action: { type: 'check-result', report: result },
    actor: turn.event.actor,
    expectedStep: step.stepId,
    idempotencyKey: `check:${step.sessionId}:${step.stepId}:${step.evidenceCount}`,
  });
  if (outcome.kind === 'applied' && !outcome.replayed) {
    await turn.audit('check-run', { session: step.sessionId, step: step.stepId, detail: { probe: result.probe, target: result.target, status: result.status } });
    const line = effectLine(outcome.session, step.title);
    await turn.say(line, outcome.session.evidence.at(-1)?.effect === 'failed' ? 'warning' : 'success');
    await mirror(turn, `${who(turn.event.actor)} ran the ${result.probe} check on ${result.target}: ${result.status}. ${line}`);
    await walkthroughEnded(turn, outcome.session);
    if (outcome.view) return postStep(turn, outcome.session, outcome.view);
    return showOutcome(turn, { ...outcome, events: [] });
  }
  if (outcome.kind === 'rejected' && outcome.rejection.kind === 'stale') {
    return turn.say(`The check's result came after the walkthrough left step "${step.stepId}"; it is shown above but was not recorded.`, 'warning');
  }
  await showOutcome(turn, outcome);
}

export async function runCheck(turn: Turn, target: SessionTarget, expectedStep?: string): Promise<void> {
  const lookup = await turn.deps.walkthroughs.get(target);
  if (lookup.kind !== 'found') return turn.say(lookup.message, lookup.kind === 'unavailable' ? 'danger' : 'warning');
  const { session, view } = lookup;
  if (!view) return turn.say(`This walkthrough is ${session.status}; there is no step to check.`, 'warning');
  if (expectedStep && view.step.id !== expectedStep) {
    await turn.say(`That check is for step "${expectedStep}", but the walkthrough is now at step "${view.step.id}"; nothing was run.`, 'warning');
    return postStep(turn, session, view);
  }
  const probe = view.step.probe;
  if (!probe) return turn.say(`Step “${view.step.title}” has no check to run. Mark it with done or failed.`);
  if (!(await turn.allowed('probe', { session: session.id, step: view.step.id }))) return;
  const ctx = await contextOf(turn.state, session);
  const request = checkRequest(probe, ctx.targets, { roles: ctx.roles ?? {}, answered: ctx.answered });
  if (!request.ok) {
    if ('unknown' in request) return turn.say(`The playbook's check target "${probe.target}" uses {${request.unknown}}, which ehlo cannot fill. Run the check by hand with probe ${probe.kind} <target>.`, 'warning');
    if ('missing' in request) return askFor(turn, session, view.step.id, request.missing, probe.kind, probe.target);
    return turn.say(`The ${probe.kind} check (${probe.target}) cannot run on what this thread knows: ${request.message}. Change the value with set <name> <value>, or run the check by hand with probe ${probe.kind} <target>.`, 'warning');
  }
  const doc = await turn.state.read();
  if (liveChecks(turn, doc).some((c) => c.sessionId === session.id && c.stepId === view.step.id)) return turn.say('That check is already running; its result will show here.');
  const step = { sessionId: session.id, stepId: view.step.id, title: view.step.title, evidenceCount: session.evidence.length };
  const why = request.note ? `Checking ${request.target} (${request.note}).` : undefined;
  await launch(turn, { kind: request.kind, target: request.target, options: request.options, why, step }, (result) => recordResult(turn, step, result));
}

/**
 * The closing re-check of a finished walkthrough whose diagnosis rests on a failed check: the same
 * probe on the same target, now that the fix is in. Its result (or why it could not run) is recorded,
 * then the summary shows before and after; "resolved" only when it passed.
 */
export async function recheck(turn: Turn, session: Session): Promise<void> {
  const playbook = turn.deps.catalog.playbookById.get(session.playbookId);
  const proof = playbook ? closingProof(session, playbook) : undefined;
  if (proof?.kind === 'confirm') return turn.post(proofCard(turn.thread, session.id, proof));
  const before = proof?.check;
  const probe = before?.step.probe;
  if (!before || !probe) return postEnd(turn, session);
  const record = async (report: ProbeResult | undefined, reason?: string): Promise<void> => {
    const outcome = await turn.deps.walkthroughs.act({
      target: { sessionId: session.id },
      action: { type: 'recheck', ...(report && { report }), ...(reason && { reason }) },
      actor: turn.event.actor,
      idempotencyKey: `recheck:${session.id}`,
    });
    if (outcome.kind === 'rejected' && !outcome.replayed) await turn.say(outcome.rejection.message, 'warning');
    if (outcome.kind === 'unavailable') return turn.say(outcome.message, 'danger');
    await postEnd(turn, outcome.kind === 'applied' ? outcome.session : (outcome.kind === 'rejected' && outcome.session) || session);
  };
  const ctx = await contextOf(turn.state, session);
  const request = checkRequest(probe, ctx.targets, { roles: ctx.roles ?? {}, answered: ctx.answered });
  if (!request.ok) {
    const reason = 'missing' in request ? `the check needs the ${request.missing}, which this thread does not know` : 'unknown' in request ? `the check's target uses {${request.unknown}}` : request.message;
    return record(undefined, reason);
  }
  const why = `Checking again now that the fix is in: the same ${request.kind} check as “${before.step.title}”, which failed before (${before.report.status}).`;
  const step = { sessionId: session.id, stepId: `recheck:${before.stepId}`.slice(0, 120), title: before.step.title, evidenceCount: session.evidence.length };
  await launch(turn, { kind: request.kind, target: request.target, options: request.options, why, step }, (result) =>
    result.status === 'refused' ? record(undefined, 'the probe policy refused the target (allow it in probes.allow or EHLO_PROBE_ALLOW)') : record(result),
  );
}

/** Post the proof question again when a finished walkthrough still owes a person's confirmation (status, a console restart); true when it did. */
export async function askOwedProof(turn: Turn, session: Session): Promise<boolean> {
  const playbook = turn.deps.catalog.playbookById.get(session.playbookId);
  if (!playbook || !needsRecheck(session, playbook)) return false;
  const proof = closingProof(session, playbook);
  if (proof?.kind !== 'confirm') return false;
  await turn.post(proofCard(turn.thread, session.id, proof));
  return true;
}

const ANSWER_LINE: Record<ProofAnswer, string> = {
  yes: 'confirmed the proof of the fix',
  no: 'says the problem is still there',
  unsure: 'could not tell whether the fix holds',
};

/** A press on the proof card: the person's answer is recorded once, then the summary says what it makes of the walkthrough. */
export async function answerProof(turn: Turn, sessionId: string, answer: ProofAnswer): Promise<void> {
  const outcome = await turn.deps.walkthroughs.act({
    target: { sessionId },
    action: { type: 'recheck', confirmed: answer },
    actor: turn.event.actor,
    idempotencyKey: `proof:${sessionId}`,
  });
  if (outcome.kind === 'not-found') return turn.say(outcome.message, 'warning');
  if (outcome.kind === 'unavailable') return turn.say(outcome.message, 'danger');
  if (outcome.kind === 'rejected') {
    await turn.say(outcome.replayed ? 'The proof of this walkthrough was already answered; its summary is below.' : outcome.rejection.message, 'warning');
    if (outcome.session && outcome.session.status !== 'active') await postEnd(turn, outcome.session);
    return;
  }
  if (!outcome.replayed) {
    await turn.audit('check-run', { session: sessionId, detail: { proof: answer } });
    const line = `${who(turn.event.actor)} ${ANSWER_LINE[answer]}.`;
    await turn.say(line, answer === 'yes' ? 'success' : 'warning');
    await mirror(turn, line);
  }
  await postEnd(turn, outcome.session);
}

/** Record a target value for the thread's walkthrough (durable, in the thread state). */
async function recordTarget(turn: Turn, session: Session, placeholder: Placeholder, value: string): Promise<void> {
  const walk = (await walkOf(turn.state, session)) ?? { sessionId: session.id, targets: {}, answered: [] };
  await turn.state.write((d) => {
    d.walk = { ...walk, targets: { ...walk.targets, [placeholder]: value }, answered: walk.answered.includes(placeholder) ? walk.answered : [...walk.answered, placeholder] };
  });
}

/** The next plain line after a question: the value asked for. */
export async function answer(turn: Turn, text: string, options: { quiet?: boolean } = {}): Promise<void> {
  const pending = (await turn.state.read()).pending;
  if (!pending) return options.quiet ? undefined : turn.say('There is no open question to answer here.');
  const read = readAnswer(pending.placeholder, text);
  // Not addressed to ehlo and not an answer (people talking in the channel): leave the question open.
  if (!read.ok && options.quiet) return;
  if (!read.ok) {
    await turn.post(reply(turn.thread, read.message, [{ type: 'text', text: `${read.message} Type it again, or cancel.`, tone: 'warning' }], { kind: 'question', ask: { prompt: `${pending.placeholder}?` } }));
    return;
  }
  await turn.state.write((d) => {
    d.pending = undefined;
  });
  const lookup = await turn.deps.walkthroughs.get({ sessionId: pending.sessionId });
  if (lookup.kind !== 'found' || lookup.session.status !== 'active') return turn.say('The walkthrough that asked has ended; nothing was checked.', 'warning');
  await recordTarget(turn, lookup.session, pending.placeholder, read.value);
  await turn.say(`Using ${pending.placeholder} ${read.value} for this walkthrough's checks (change it with set ${pending.placeholder} <value>).`);
  await runCheck(turn, { sessionId: pending.sessionId }, pending.stepId);
}

/** A press that carries the answer in the card's input (Teams). */
export async function answerInput(turn: Turn): Promise<void> {
  const e = turn.event;
  const value = e.type === 'press' ? e.inputs?.[ANSWER_INPUT] : undefined;
  if (!value?.trim()) return turn.say('Type the value into the box first, then press the button again.', 'warning');
  return answer(turn, value.slice(0, 300));
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
  await recordTarget(turn, lookup.session, placeholder, read.value);
  await turn.say(`Checks in this walkthrough now use ${placeholder} ${read.value}.`, 'success');
}

/**
 * Finish a check whose process died waiting for its runner (src/runner/queue-executor.ts posts an
 * adopt job due after the deadline; a replica presses this for the checks still shown as running).
 * The running entry is the claim: whoever removes it, holding the thread, shows the result.
 */
export async function adoptCheck(turn: Turn, checkId: string, job: string, zone: string): Promise<void> {
  const doc = await turn.state.read();
  const mine = doc.checks.find((c) => c.id === checkId);
  const adopted = mine && (await turn.deps.executor?.adopt?.({ zone, job }));
  if (!mine || !adopted || adopted.handoff.thread !== turn.thread || adopted.handoff.checkId !== checkId) return;
  const { result } = adopted;
  await turn.state.write((d) => {
    d.checks = d.checks.filter((c) => c.id !== checkId);
  });
  turn.deps.logger.info({ thread: turn.thread, probe: result.probe, target: result.target, status: result.status, job }, 'probe result adopted from a process that stopped waiting');
  if (mine.cancelRequestedBy) return turn.update(probeCancelled(mine.replyId, turn.thread, result.probe, result.target, mine.cancelRequestedBy));
  await turn.update(probeResult(mine.replyId, turn.thread, result));
  const step = adopted.handoff.step as CheckSpec['step'] | undefined;
  if (!step) return turn.audit('check-run', { detail: { probe: result.probe, target: result.target, status: result.status } });
  // A closing re-check is shown but recorded by hand (its summary came from the process that died).
  if (step.stepId.startsWith('recheck:')) return turn.say('The closing re-check finished after the process running it stopped; its result is above. Run it again with check to record it.');
  await recordResult(turn, step, result);
}

/** Ask a running check to stop: here through its controller, in another process through the thread state. */
async function requestCancel(turn: Turn, checks: RunningCheck[], actor: Actor): Promise<void> {
  const ids = new Set(checks.map((c) => c.id));
  await turn.state.write((d) => {
    d.checks = d.checks.map((c) => (ids.has(c.id) ? { ...c, cancelRequestedBy: actor } : c));
  });
  for (const c of checks) turn.deps.checks.get(c.id)?.abort();
  await turn.say(`Cancelling ${checks.length === 1 ? 'the running check' : `${checks.length} running checks`} (asked by ${who(actor)}).`);
}

/** Cancel: a press on a check's Cancel button (its id), or the command: the open question, else the running checks. */
export async function cancel(turn: Turn, checkId?: string): Promise<void> {
  const doc = await turn.state.read();
  const live = liveChecks(turn, doc);
  if (checkId) {
    const check = live.find((c) => c.id === checkId);
    if (!check) return turn.say('That check is no longer running; its result is above.');
    return requestCancel(turn, [check], turn.event.actor);
  }
  if (doc.pending) {
    await turn.state.write((d) => {
      d.pending = undefined;
    });
    return turn.say('OK, that check will not run. Mark the step by hand, or type check to try again.');
  }
  if (live.length) return requestCancel(turn, live, turn.event.actor);
  await turn.say('There is no open question or running check to cancel.');
}
