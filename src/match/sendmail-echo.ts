// sendmail's transcript answers every refused RCPT with a line of its own, "550 5.1.1 <x>... User
// unknown", right after the remote server's reply ("<<< 550 5.7.1 IP address blacklisted by
// recipient"): whatever the receiver said, the echo names an unknown user. When the reply it follows
// is not itself about an unknown user, the echo is blanked (spaces, so every span still points at the
// paste) and the receiver's reply decides.

/** Words of a reply that is itself about the address (then the echo agrees with it). */
const ADDRESS_WORDS = ['unknown', 'user', 'mailbox', ' 5.1.', 'no such', 'not found', 'invalid', 'exist', 'address rejected', 'account', 'not our'];

/** The echo: "5xx 5.1.1 <address>... User unknown" (sendmail's own words, any case). */
function isEcho(line: string): boolean {
  const t = line.trim().toLowerCase();
  return t.length < 400 && /^5\d\d 5\.1\.1 \S*\.\.\. user unknown$/.test(t);
}

/** The text with sendmail's user-unknown echo of a refused RCPT blanked, when the remote reply before it says something else. */
export function sendmailEchoBlanked(text: string): string {
  if (!text.includes('<<< ') || !text.includes('... User unknown')) return text;
  const lines = text.split('\n');
  let changed = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!isEcho(line)) continue;
    const prev = (lines[i - 1] as string).trimStart();
    if (!prev.startsWith('<<< 5')) continue;
    const said = prev.toLowerCase();
    if (ADDRESS_WORDS.some((w) => said.includes(w))) continue;
    lines[i] = ' '.repeat(line.length);
    changed = true;
  }
  return changed ? lines.join('\n') : text;
}
