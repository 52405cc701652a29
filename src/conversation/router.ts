// Event → handler. A message is a command when it reads as one, the answer to a pending question
// when ehlo asked one, and otherwise a paste.
import { PROBE_KINDS, type ProbeKind } from '../catalog/schema.ts';
import { decodeAction } from './action-schema.ts';
import type { ButtonAction } from './actions.ts';
import { helpCard } from './cards/help.ts';
import { parseCommand } from './commands.ts';
import type { CommandName } from './events.ts';
import { adoptCheck, answer, answerInput, answerProof, cancel, probeWithProgress, runCheck, setTarget } from './handlers/check.ts';
import { answerQuestion, browse, foreseePaste, handlePaste, notThis, showOthers } from './handlers/paste.ts';
import { addNote, pressStep, resume, startWalkthrough, status, typedStep } from './handlers/walkthrough.ts';
import { askEscalation, escalate, onCallActed, timeline } from './handlers/escalate.ts';
import type { Turn } from './turn.ts';

function isProbeKind(k: string): k is ProbeKind {
  return (PROBE_KINDS as readonly string[]).includes(k);
}

async function command(turn: Turn, name: CommandName, args: string, raw: string): Promise<void> {
  const asPaste = () => handlePaste(turn, raw);
  switch (name) {
    case 'match': return handlePaste(turn, args);
    case 'probe': {
      const [kind = '', target = ''] = args.trim().split(/\s+/, 2);
      if (!isProbeKind(kind.toLowerCase()) || !target) return turn.say(`Usage: probe <kind> <target>, kind one of ${PROBE_KINDS.join(', ')}.`, 'warning');
      await probeWithProgress(turn, kind.toLowerCase() as ProbeKind, target);
      return;
    }
    case 'playbooks': return browse(turn, args);
    case 'start': return startWalkthrough(turn, args);
    case 'status': return status(turn);
    case 'next':
    case 'done': return typedStep(turn, 'done', '', asPaste);
    case 'confirm': return typedStep(turn, 'confirm', '', asPaste);
    case 'back': return typedStep(turn, 'back', '', asPaste);
    case 'skip': return typedStep(turn, 'skip', args, asPaste);
    case 'failed': return typedStep(turn, 'failed', args, asPaste);
    case 'escalate': {
      const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
      if (args && lookup.kind === 'not-found') return asPaste();
      return askEscalation(turn, args);
    }
    case 'timeline': return timeline(turn);
    case 'stop': return typedStep(turn, 'stop', args, asPaste);
    case 'check': return runCheck(turn, { threadKey: turn.thread });
    case 'note': return addNote(turn, args, asPaste);
    case 'set': return setTarget(turn, args);
    case 'cancel': return cancel(turn);
    case 'help': return turn.post(helpCard(turn.thread));
  }
}

async function press(turn: Turn, action: ButtonAction): Promise<void> {
  switch (action.k) {
    case 'start': return startWalkthrough(turn, '', action.p);
    case 'others': return showOthers(turn);
    case 'not-this': return notThis(turn, action.p);
    case 'settle': return answerQuestion(turn, action.q, action.a);
    case 'catalog': return browse(turn, action.q ?? '');
    case 'step': return pressStep(turn, action);
    case 'cancel': return cancel(turn);
    case 'cancel-check': return cancel(turn, action.c);
    case 'adopt-check': return adoptCheck(turn, action.c, action.j, action.z);
    case 'answer': return answerInput(turn);
    case 'probe': return probeWithProgress(turn, action.c, action.t);
    case 'escalate': return escalate(turn, action);
    case 'proof': return answerProof(turn, action.s, action.a);
  }
}

/** Commands that leave ehlo's open question open. */
const KEEPS_QUESTION: ReadonlySet<CommandName> = new Set(['cancel', 'help', 'status']);

async function dropQuestion(turn: Turn): Promise<void> {
  await turn.state.write((d) => {
    d.pending = undefined;
  });
}

async function message(turn: Turn, text: string): Promise<void> {
  const parsed = parseCommand(text);
  const pending = (await turn.state.read()).pending;
  if (parsed) {
    if (pending && !KEEPS_QUESTION.has(parsed.name)) await dropQuestion(turn);
    return command(turn, parsed.name, parsed.args, text);
  }
  if (pending && !text.trim().includes('\n') && text.trim().length <= 300) return answer(turn, text);
  if (pending) await dropQuestion(turn);
  return handlePaste(turn, text);
}

/** A message ehlo was not addressed in: a matching paste, or the answer to its question; nothing else. */
async function ambient(turn: Turn, text: string): Promise<void> {
  const pending = (await turn.state.read()).pending;
  if (pending && !text.trim().includes('\n') && text.trim().length <= 300) return answer(turn, text, { quiet: true });
  return handlePaste(turn, text, { onlyIfMatched: true });
}

/**
 * What route() is likely to do that needs no thread state, done ahead (while the thread lock is asked
 * for): the diagnosis of a message that reads as a paste. The thread may turn out to have a question
 * pending (then the message may be its answer); the diagnosis is then simply not used.
 */
export function foresee(turn: Turn): void {
  const e = turn.event;
  if (e.type !== 'message') return;
  const parsed = e.ambient ? undefined : parseCommand(e.text);
  if (!parsed) foreseePaste(turn, e.text);
  else if (parsed.name === 'match') foreseePaste(turn, parsed.args);
}

export async function route(turn: Turn): Promise<void> {
  const e = turn.event;
  if (e.type === 'press') await turn.audit('press', { detail: { value: e.value.slice(0, 300) } });
  await onCallActed(turn);
  switch (e.type) {
    case 'message': return e.ambient ? ambient(turn, e.text) : message(turn, e.text);
    case 'command': return command(turn, e.name, e.args, `${e.name} ${e.args}`.trim());
    case 'open': return resume(turn);
    case 'press': {
      const action = decodeAction(e.value);
      if (!action) return turn.say('That button is not one ehlo understands (it may come from an older version); nothing was done.', 'warning');
      return press(turn, action);
    }
  }
}
