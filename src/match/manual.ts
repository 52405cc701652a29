// A product manual's or a help page's own prose pasted on its own: hMailServer's list of its error messages
// ("This error means that the sender is trying to …", "This message is generated after …"), MDaemon's option
// help ("Click this switch if you wish to …", "Enabling this option will cause a 552 response …"), a provider's
// page on its own replies ("more details on the meaning of the error message and the steps you can take to …"), a
// module's configuration guide ("The most basic configuration for the module is …, you can use:"). It explains
// what a server says or can be set to say; no server said it to this user, so no playbook reads it and the
// verdict is `none` (matcher.ts, with the other reference-text rules, and only when the paste carries no
// mail system's report of a failed delivery).
//
// Two different markers of that voice are needed: a user who quotes one sentence of a help page beside
// their own bounce still has the bounce's report markers, and one phrase alone ("this error means") is also
// how people describe their own trouble. Found in the literals pass (literals.ts) with the failure-report
// markers; a paste that pass does not answer for gets a pass of its own over its head.
import { Automaton } from './automaton.ts';

export const MANUAL_MARKERS: readonly string[] = [
  'this error means that', 'this error message is issued', 'this error is generated', 'this message is generated',
  'this error message means', 'this response is sent',
  'enabling this option', 'enable this option if', 'when this option is enabled', 'if this option is enabled',
  'click this switch', 'click this checkbox', 'this is disabled by default', 'this is enabled by default',
  // A provider's help page on its own replies, a module's configuration guide.
  'the meaning of the error message', 'steps you can take to', 'the most basic configuration', 'you can use:',
  // A change note that adds a setting and tells what it is for ("This patch adds a new no_dmarc_policy
  // settings, which can be used to control the level of rejects …").
  'this patch adds', 'which can be used to control',
];

/** Distinct markers that make a manual's voice. */
const MIN_MARKERS = 2;
/** The head of the paste looked at when the literals pass did not answer. */
const HEAD = 64 * 1024;

let automaton: Automaton | undefined;
const seen = new Uint8Array(MANUAL_MARKERS.length);

/** Whether the lowercased paste reads as a manual's prose. `marks`: which MANUAL_MARKERS the literals pass found. */
export function readsAsManual(lower: string, marks?: Uint8Array): boolean {
  let found = marks;
  if (!found) {
    seen.fill(0);
    (automaton ??= new Automaton(MANUAL_MARKERS)).scan(lower, seen, 0, Math.min(lower.length, HEAD));
    found = seen;
  }
  let n = 0;
  for (let k = 0; k < found.length; k++) if (found[k] === 1 && ++n >= MIN_MARKERS) return true;
  return false;
}
