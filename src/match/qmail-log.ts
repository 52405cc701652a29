// qmail-send's log writes the remote reply with '_' for every space ("delivery 7: deferral:
// Sorry,_I_wasn't_able_to_establish_an_SMTP_connection._(#4.4.1)/"), so no phrase of the reply is
// found (a phrase glued by '_' on both sides counts as part of a parameter name, evidence.ts).
// On the lines of such a log, after the "delivery N: failure:" / "deferral:" marker, the '_' become
// spaces again; the text keeps its length, so every span still points at the paste.

const MARKERS = [': failure: ', ': deferral: '] as const;

/** Where the reply of a qmail delivery-log line starts (after its marker), or -1. */
function replyStart(line: string): number {
  for (const marker of MARKERS) {
    const at = line.indexOf(marker);
    if (at < 0) continue;
    // The marker follows "delivery <digits>", qmail-send's own wording.
    let d = at - 1;
    while (d >= 0 && line.charCodeAt(d) >= 48 && line.charCodeAt(d) <= 57) d--;
    if (d < at - 1 && d >= 8 && line.startsWith('delivery ', d - 8)) return at + marker.length;
  }
  return -1;
}

/** The text with the '_' of qmail delivery-log replies turned back into spaces (the text itself when it has none). */
export function qmailLogSpaces(text: string): string {
  if (!text.includes(': deferral: ') && !text.includes(': failure: ')) return text;
  let changed = false;
  const lines = text.split('\n').map((line) => {
    const from = replyStart(line);
    if (from < 0 || !line.includes('_', from)) return line;
    changed = true;
    return line.slice(0, from) + line.slice(from).replaceAll('_', ' ');
  });
  return changed ? lines.join('\n') : text;
}
