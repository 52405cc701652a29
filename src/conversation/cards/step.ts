// One walkthrough step as a card: what to do, the command, what healthy looks like, whether it changes
// something (then the first button confirms), the check it can run and on what, and the choices.
import type { Playbook } from '../../catalog/schema.ts';
import { clock } from '../../text/time.ts';
import type { ProbeRequestOptions } from '../../probes/types.ts';
import type { StepView } from '../../walkthrough/view.ts';
import { encodeAction, type StepChoice } from '../actions.ts';
import { reply, type Block, type Button, type Reply } from '../reply.ts';
import { who } from '../../text/neutralise.ts';
import { shortTitle } from './parts.ts';
import { checkRequest, type Placeholder, type TargetValues } from '../targets.ts';
import { fillCommand, type PasteFacts } from '../command-fill.ts';
import type { TargetRoles } from '../roles.ts';

export const SHELL_NAMES: Record<string, string> = {
  powershell: 'PowerShell',
  ems: 'Exchange Management Shell',
  exo: 'Exchange Online PowerShell',
  cmd: 'Command Prompt',
  bash: 'shell',
  'admin-center': 'admin center',
};

const LABEL: Record<StepChoice, string> = {
  confirm: 'I am making this change',
  done: 'Done',
  failed: 'Failed',
  skip: 'Skip',
  'run-check': 'Run check',
  back: 'Back',
  escalate: 'Escalate',
  stop: 'Stop',
};

/** One number per action on every step card (the console presses by number): Done and Confirm share 1. */
export const STEP_SHORTCUT: Record<StepChoice, number> = { confirm: 1, done: 1, failed: 2, skip: 3, 'run-check': 4, back: 5, escalate: 6, stop: 7 };

function stepButton(view: StepView, choice: StepChoice): Button {
  const button: Button = {
    id: choice,
    label: LABEL[choice],
    shortcut: STEP_SHORTCUT[choice],
    style: choice === 'done' || choice === 'run-check' ? 'primary' : choice === 'confirm' || choice === 'escalate' ? 'danger' : 'default',
    value: encodeAction({ k: 'step', s: view.sessionId, t: view.step.id, v: view.version, c: choice }),
  };
  if (choice === 'confirm' && view.step.changes !== false) {
    button.confirm = { title: 'This step changes something', text: `${view.step.changes.risk} risk: ${view.step.changes.what}` };
  }
  // Escalate asks in the thread itself (who will be paged, then "Yes"), so it carries no dialog of its own.
  return button;
}

/** The options a check runs with, as the CLI would take them: " --port 587 --starttls". */
function optionText(o: ProbeRequestOptions): string {
  const parts: string[] = [];
  if (o.port !== undefined) parts.push(`--port ${o.port}`);
  if (o.starttls === true) parts.push('--starttls');
  if (o.starttls === false) parts.push('--no-starttls');
  if (o.tlsOnConnect) parts.push('--tls-on-connect');
  if (o.quitAfter) parts.push(`--quit-after ${o.quitAfter}`);
  if (o.email) parts.push(`--email ${o.email}`);
  for (const s of o.dkimSelectors ?? []) parts.push(`--dkim-selector ${s}`);
  if (o.httpPort !== undefined) parts.push(`--http-port ${o.httpPort}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** "dns libsisimai.org (domain from the paste)" or what is still needed. */
function checkLine(view: StepView, targets: TargetValues, answered: ReadonlySet<Placeholder>, roles: TargetRoles = {}): string | undefined {
  const probe = view.step.probe;
  if (!probe) return undefined;
  const filled = checkRequest(probe, targets, { roles, answered });
  const effect = [probe.onPass === 'done' ? 'a pass marks this step done' : probe.onPass === 'skip' ? 'a pass skips this step' : '', probe.onFail === 'failed' ? 'a fail marks it failed' : '']
    .filter(Boolean)
    .join(', ');
  const tail = effect ? ` — ${effect}` : '';
  if (filled.ok) {
    const from = filled.used.map((p) => `${probe.role && !answered.has(p) ? probe.role : p} ${answered.has(p) ? 'as given' : 'from the paste'}`).join(', ');
    const opts = optionText(filled.options);
    const read = filled.note ? `, ${filled.note}` : '';
    return `Check: ${filled.kind} ${filled.target}${opts}${from || read ? ` (${from}${from ? read : read.slice(2)})` : ''}${tail}.`;
  }
  const need =
    'missing' in filled ? `I will ask for the ${probe.role ? `${probe.role.replace('-', ' ')} (${filled.missing})` : filled.missing}` : 'unknown' in filled ? `the playbook's target has an unknown placeholder {${filled.unknown}}` : `it cannot run: ${filled.message}`;
  return `Check: ${probe.kind} ${probe.target} — ${need}${tail}.`;
}

export function stepCard(thread: string, view: StepView, playbook: Pick<Playbook, 'title'>, targets: TargetValues, answered: ReadonlySet<Placeholder>, facts?: PasteFacts, roles?: TargetRoles): Reply {
  const { step } = view;
  const blocks: Block[] = [
    { type: 'header', text: `Step ${view.position} of ${view.total}: ${step.title}` },
    { type: 'progress', current: view.position, total: view.total, label: shortTitle(playbook.title, 60) },
    { type: 'text', text: step.action.trim() },
  ];
  if (step.command) {
    const command = fillCommand(step.command.text.trim(), targets, answered, facts);
    blocks.push({ type: 'code', text: command.text, label: SHELL_NAMES[step.command.shell] ?? step.command.shell });
    if (command.filled.length) {
      const what = command.filled.map((f) => `${f.value.length > 90 ? `${f.value.slice(0, 89)}…` : f.value} (${f.from === 'given' ? 'as given' : 'from the paste'}, for ${f.sample.length > 40 ? `${f.sample.slice(0, 39)}…` : f.sample})`);
      blocks.push({ type: 'text', text: `Filled in: ${what.join('; ')}.` });
    }
  }
  blocks.push({ type: 'fields', fields: [{ label: 'Healthy', value: step.expect.healthy.trim() }, { label: 'Unhealthy', value: step.expect.unhealthy.trim() }] });
  // The paste stated no version (else a step for other versions would have been skipped): say whom it is for.
  if (step.appliesTo) blocks.push({ type: 'text', text: `Only for ${step.appliesTo.map((v) => (v === 'Online' ? 'Exchange Online' : `Exchange ${v}`)).join(', ')}: skip it on another version.` });
  if (step.changes === false) blocks.push({ type: 'text', text: 'Read-only: this step changes nothing.' });
  else if (view.state.confirmedBy && view.state.confirmedAt) {
    blocks.push({ type: 'text', text: `Changes something (${step.changes.risk} risk): ${step.changes.what} Confirmed by ${who(view.state.confirmedBy)} at ${clock(view.state.confirmedAt)}.`, tone: 'warning' });
  } else {
    blocks.push({ type: 'text', text: `Changes something (${step.changes.risk} risk): ${step.changes.what} Confirm before you make the change.`, tone: 'warning' });
  }
  if (view.escalation) blocks.push({ type: 'text', text: `Escalated to on-call by ${who(view.escalation.by)} at ${clock(view.escalation.at)}; the walkthrough goes on.`, tone: 'warning' });
  if (view.state.needsSecond && view.state.confirmedBy && !view.state.approvedBy) {
    blocks.push({ type: 'text', text: `High risk: a second person must confirm too (four eyes) before this step can be marked done.`, tone: 'danger' });
  }
  const check = checkLine(view, targets, answered, roles);
  if (check) blocks.push({ type: 'text', text: check });
  blocks.push({ type: 'buttons', buttons: view.choices.map((c) => stepButton(view, c)) });
  return reply(thread, `Step ${view.position}/${view.total}: ${step.title}`, blocks, { kind: 'step', meta: { playbook: view.playbookId, session: view.sessionId, step: step.id, version: view.version } });
}

/**
 * What another step card of the session becomes when a different card shows the current step (a
 * typed command posted a new one, or a press moved an older one on): no buttons. The live card may
 * be above or below it, so the text names neither.
 */
export function supersededStepCard(thread: string, old: { reply: string; position: number; title: string }): Reply {
  const text = `Step ${old.position} (${old.title}): no longer current; the walkthrough goes on in this thread's live step card.`;
  return { id: old.reply, thread, kind: 'notice', summary: `Step ${old.position}: no longer current`, blocks: [{ type: 'text', text }], inPlace: true };
}
