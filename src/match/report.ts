// A machine-written report about mail, not a failure of it: a DMARC aggregate report (RFC 7489,
// appendix C: <feedback>, <record>, <row>, <policy_evaluated>, <auth_results>) or an abuse feedback
// report (ARF, RFC 5965: Feedback-Type, Original-Mail-From, Arrival-Date …). Its "<spf>fail</spf>" or
// "Feedback-Type: abuse" shares words with SPF and DMARC rejections, but no playbook reads reports:
// the verdict is `none`. A paste that also holds a failing reply or status (a bounce quoting a
// report) stays a candidate.
import { Automaton } from './automaton.ts';
import type { Signal } from './types.ts';

/** DMARC aggregate report elements; the first four exist only in such a report. */
const DMARC_TAGS = [
  '<policy_evaluated>', '<auth_results>', '<policy_published>', '<report_metadata>',
  '<disposition>', '<source_ip>', '<header_from>', '<envelope_from>', '<feedback>', '<identifiers>',
];
const DMARC_OWN = 4;
/** ARF fields; the report needs Feedback-Type and one more. */
const ARF_FIELDS = ['feedback-type:', 'original-mail-from:', 'original-rcpt-to:', 'arrival-date:', 'reported-domain:', 'source-ip:', 'incidents:'];

const PATTERNS = [...DMARC_TAGS, ...ARF_FIELDS];
const automaton = new Automaton(PATTERNS);
const found = new Uint8Array(PATTERNS.length);

/** Reports sit at the start of what is pasted: the head is enough. */
const HEAD = 16 * 1024;

export function isReportOnly(signals: readonly Signal[], lower: string): boolean {
  for (const s of signals) {
    const c = s.value.charCodeAt(0);
    if ((s.type === 'replyCode' || s.type === 'statusCode') && (c === 52 || c === 53)) return false;
    if (s.type === 'component' || s.type === 'exception') return false;
  }
  found.fill(0);
  if (automaton.scan(lower, found, 0, Math.min(lower.length, HEAD)) < 2) return false;
  let own = 0;
  let dmarc = 0;
  for (let p = 0; p < DMARC_TAGS.length; p++) {
    if (found[p] === 0) continue;
    dmarc++;
    if (p < DMARC_OWN) own++;
  }
  if (own >= 1 && dmarc >= 2) return true;
  let arf = 0;
  for (let p = DMARC_TAGS.length; p < PATTERNS.length; p++) arf += found[p] as number;
  return found[DMARC_TAGS.length] === 1 && arf >= 2;
}
