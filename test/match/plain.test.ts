// Client-library, plain-description and Outlook-dialog pastes of issue 12 (test/fixtures/cases/plain.jsonl,
// each with its public source): Exchange's IMAP4/POP3 "NO AUTHENTICATE failed" / "NO LOGIN failed" inside a
// library's wrapper is a refused sign-in (intents/imap-pop-sign-in-refused.yaml); Outlook on the web's
// "no mailbox and no licence assigned" is a mailbox that does not exist for that account; the other lines of
// Outlook's Security Alert and of its "cannot open the folders" dialog family; "cloud users can't see
// on-prem users' free/busy" as a hybrid availability report. Each rule is shown both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('IMAP/POP sign-in refused by Exchange', () => {
  it('reads the bare NO AUTHENTICATE failed / NO LOGIN failed inside a library wrapper', () => {
    expect(topTopic('Unknown: Can not authenticate to IMAP server: AUTHENTICATE failed.')).toBe('smtp-auth-failed');
    expect(topTopic("!IMAP command 'AUTHENTICATE XOAUTH2 xxxxxx' returned an error: NO AUTHENTICATE failed.\nLog-on not successful.")).toBe('smtp-auth-failed');
    expect(topTopic('Host2 failure: Error login on [outlook.office365.com] with user [username@domain.com] auth [LOGIN]: 2 NO LOGIN failed.')).toBe('smtp-auth-failed');
  });
  it('leaves other software that says "authentication failed" alone', () => {
    expect(topTopic('remote: HTTP Basic: Access denied\nfatal: Authentication failed for https://gitlab.example.com/group/repo.git/')).toBe('none');
  });
});

describe('Outlook on the web: no mailbox for the account', () => {
  it('matches the X-OWA-Error and the page text', () => {
    expect(topTopic('Something went wrong\nX-OWA-Error Microsoft.Exchange.Clients.Owa2.Server.Core.OwaUserHasNoMailboxAndNoLicenseAssignedException\nX-OWA-Version 15.20.2387.23')).toBe('ews-mailbox-not-found');
  });
});

describe('Outlook dialogs', () => {
  it('reads the other Security Alert lines and the folder dialogs', () => {
    expect(topTopic('When you start Microsoft Office Outlook 2007, you receive the following security warning:\n\nThe security certificate was issued by a company you have not chosen to trust.')).toBe('outlook-cert-name-mismatch');
    expect(topTopic('When starting Microsoft Outlook, you get the following error message:\n\nCannot open your default email folders. The file xxxx.ost is not an offline folder file.')).toBe('outlook-connectivity');
    expect(topTopic('Outlook shows "Cannot display the folder. Microsoft Outlook cannot access the specified folder location. Could not open the item. Try again."')).toBe('outlook-connectivity');
  });
});

describe('described hybrid free/busy', () => {
  it('takes "cannot see free/busy" with cross-premises words and not a how-to question', () => {
    expect(topTopic('our cloud users could not see free/busy information for our on-prem users')).toBe('free-busy-hybrid');
    expect(topTopic('How do I let cloud users see free/busy of our on-prem users?')).not.toBe('free-busy-hybrid');
  });
});

describe('non-errors of the collection', () => {
  it('answers none for feature requests and other providers', () => {
    expect(topTopic("Exchange online no longer supports basic authentication out of the box and it's a common security policy not to allow this. \nWould be possible to add support for this similar to exchangelib?")).toBe('none');
    expect(topTopic('Net::SMTPFatalError\n550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements')).toBe('none');
  });
});
