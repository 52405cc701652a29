// What sort of paste this is, from its layout and markers (DESIGN.md lists the kinds).
import type { PasteKind } from '../catalog/schema.ts';
import type { Signal } from './types.ts';

/** The kind is decided from the head of the paste; markers sit near the top. */
const HEAD = 64 * 1024;

const NDR_MARKERS = [
  'diagnostic information for administrators',
  'delivery has failed to these recipients',
  "your message couldn't be delivered",
  'your message could not be delivered',
  'delivery status notification',
  'undeliverable:',
  'generating server:',
  'remote server returned',
  'original message headers',
  'the following recipient(s) cannot be reached',
  'message wasn\'t delivered',
];
const QUEUE_MARKERS = ['lasterror', 'get-queue', 'get-message', 'nexthopdomain', 'deliverytype', 'retry-queue', 'messagecount'];
const TRACE_MARKERS = ['get-messagetrace', 'messagetraceid', 'message trace', 'get-messagetracedetail', 'get-messagetracev2', 'get-messagetracedetailv2'];
const POWERSHELL_MARKERS = ['+ categoryinfo', 'fullyqualifiederrorid', 'pssessionopenfailed', 'at line:', '[ps] ', 'ps c:\\', 'psremotingtransportexception', 'connect-exchangeonline', 'new-pssession'];
const EVENT_MARKERS = ['event id', 'eventid', 'log name:', 'source:        msexchange', 'task category:', 'level:         error', 'faulting application'];
const DIALOG_MARKERS = ['microsoft outlook', 'outlook cannot', 'cannot start microsoft outlook', 'security alert', 'the name on the security certificate', 'outlook was redirected', 'automatic reply settings', 'the connection to microsoft exchange', 'outlook must be online', 'there is a problem with the proxy server', 'we can\'t show mailtips', 'allow this website to configure', 'enter password', 'windows security'];

function hasAny(head: string, markers: readonly string[]): boolean {
  for (const m of markers) if (head.includes(m)) return true;
  return false;
}

/** Lines that look like "Header-Name: value" for well-known message headers. */
function headerLines(head: string): number {
  let n = 0;
  for (const name of ['\nreceived:', '\nmessage-id:', '\nauthentication-results:', '\nx-ms-exchange-', '\ndkim-signature:', '\nreturn-path:', '\nx-originating-ip:', '\nmime-version:', '\ncontent-type:']) {
    if (head.includes(name) || head.startsWith(name.slice(1))) n++;
  }
  return n;
}

/** SMTP dialogue lines: "S: 220 …", "C: EHLO …", "<<< 250 …", ">>> MAIL FROM:" or bare verbs. */
function transcriptLines(head: string): number {
  let n = 0;
  for (const line of head.split('\n', 400)) {
    const l = line.trimStart();
    if (l.startsWith('s: ') || l.startsWith('c: ') || l.startsWith('<<< ') || l.startsWith('>>> ') || l.startsWith('<- ') || l.startsWith('-> ') ||
      l.startsWith('ehlo ') || l.startsWith('helo ') || l.startsWith('mail from:') || l.startsWith('rcpt to:') || l === 'starttls' || l === 'data' || l === 'quit') n++;
  }
  return n;
}

export function detectKind(text: string, signals: readonly Signal[]): PasteKind {
  const head = text.slice(0, HEAD).toLowerCase();
  if (hasAny(head, NDR_MARKERS)) return 'ndr';
  if (headerLines(head) >= 3) return 'headers';
  if (transcriptLines(head) >= 2) return 'smtp-transcript';
  if (hasAny(head, TRACE_MARKERS)) return 'message-trace';
  if (hasAny(head, QUEUE_MARKERS)) return 'queue';
  if (hasAny(head, POWERSHELL_MARKERS)) return 'powershell';
  if (hasAny(head, EVENT_MARKERS)) return 'event-log';
  const hasCodes = signals.some((s) => s.type === 'replyCode' || s.type === 'statusCode');
  if (hasCodes) return 'smtp-reply';
  if (hasAny(head, DIALOG_MARKERS)) return 'client-dialog';
  return 'free-text';
}
