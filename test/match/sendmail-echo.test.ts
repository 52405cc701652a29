import { describe, expect, it } from 'vitest';
import { sendmailEchoBlanked } from '../../src/match/sendmail-echo.ts';

const transcript = (said: string) => `   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n>>> RCPT To:<bob@example.org>\n<<< ${said}\n550 5.1.1 <bob@example.org>... User unknown\n>>> DATA\n<<< 503 Error: need RCPT command`;

describe("sendmail's user-unknown echo of a refused RCPT", () => {
  it('is blanked after a reply about something else, the length kept', () => {
    const t = transcript('550 5.7.1 IP address blacklisted by recipient');
    const out = sendmailEchoBlanked(t);
    expect(out).not.toContain('User unknown');
    expect(out.length).toBe(t.length);
    expect(out).toContain('IP address blacklisted by recipient');
  });

  it('stays after a reply that is itself about the address', () => {
    for (const said of ['550 5.1.1 <bob@example.org>... User Unknown', '550 unknown user', '550 5.7.1 <bob@example.org>: Recipient address rejected: User unknown', '551 not our customer']) {
      const t = transcript(said);
      expect(sendmailEchoBlanked(t)).toBe(t);
    }
  });
});
