// What ehlo understands, in one card.
import { PROBE_KINDS } from '../../catalog/schema.ts';
import { reply, type Reply } from '../reply.ts';

const COMMANDS: Array<[string, string]> = [
  ['(paste an error)', 'NDR, queue LastError, SMTP reply, Outlook dialog, event log line, headers or a plain description: ehlo diagnoses it'],
  ['match <text>', 'diagnose the text after the word (same as pasting it)'],
  ['playbooks [words]', 'browse or search the catalog'],
  ['start [playbook]', 'walk through a playbook here (without a name: the diagnosis of the last paste)'],
  ['status', 'where the walkthrough in this thread stands'],
  ['done / next', 'the current step is done (healthy, or the change is made)'],
  ['failed [why]', 'the current step failed; the walkthrough follows the playbook\'s branch'],
  ['skip [why]', 'skip the current step'],
  ['confirm', 'confirm you are about to make the change a step describes'],
  ['back', 'reopen the previous step'],
  ['check', 'run the current step\'s check (asks for a target the paste did not name)'],
  ['set <placeholder> <value>', 'set a check target: host, domain, ip, email, url or port'],
  ['note <text>', 'add a note to the walkthrough'],
  ['escalate [why]', 'hand off to on-call (asks first, says who is paged): opens the on-call thread with the packet and pages; the walkthrough goes on'],
  ['timeline', 'what happened in the walkthrough, in order'],
  ['stop [why]', 'end the walkthrough without resolving it'],
  ['probe <kind> <target>', `run one read-only check now (${PROBE_KINDS.join(', ')})`],
  ['cancel', 'drop the question ehlo asked'],
  ['help', 'this list'],
];

export function helpCard(thread: string): Reply {
  return reply(thread, 'ehlo commands', [
    { type: 'header', text: 'ehlo: paste an error, or use a command' },
    { type: 'fields', fields: COMMANDS.map(([label, value]) => ({ label, value })) },
    { type: 'text', text: 'Buttons do the same as the step commands. A press on a step the walkthrough has already left is refused and says why, so a double press never applies twice.' },
  ], { kind: 'help' });
}
