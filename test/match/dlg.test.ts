// Client dialogs of issue 12 (test/fixtures/cases/dlg.jsonl, each with its public source): Outlook's
// free/busy publishing dialogs ("Unable to update public free/busy data") and its account-setup
// failure ("Outlook fails to set up an Exchange e-mail account ... something went wrong") lead to their
// playbooks; a phone mail app's refused sign-in ("Cannot Get Mail. The user name or password for ...
// is incorrect", "Authentication failed. Update your server settings.") is a credential refusal; an
// iOS informational prompt and a how-to's settings path stay none.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('client dialogs', () => {
  it('reads the free/busy publishing dialog family', () => {
    expect(topTopic('Unable to update public free/busy data.\nThe file contains data that is not valid.')).toBe('free-busy-failure');
  });
  it('reads an account-setup failure retold by the user', () => {
    expect(topTopic('Outlook fails to set up an Exchange e-mail account. I tried to setup my existing Exchange e-mail account in the Windows desktop version of Outlook. Outlook says "something went wrong...." I don\'t even get a chance to enter my password')).toBe('autodiscover-failure');
  });
  it('keeps the Exchange connection dialogs and the OAB error', () => {
    expect(topTopic('Cannot open your default e-mail folders. There is not enough memory available to perform the operation.')).toBe('outlook-connectivity');
    expect(topTopic("one of the user tried downloading address book it is giving error \"task email address reported error (0x8004010F): The operation failed. The object cannot be found. All other users its working fine.")).toBe('oab-download-failure');
  });
  it("reads a mobile mail app's refused sign-in dialog", () => {
    expect(topTopic('my iPhone just kept screaming at me: \u201cCannot Get Mail. The user name or password for [my email] is incorrect.\u201d')).toBe('smtp-auth-failed');
    expect(topTopic('Mail sometimes is received, sometimes not. Mostly receive an error message "Authentication failed. Update your server settings.\'')).toBe('smtp-auth-failed');
  });
  it('answers none for an informational prompt and a settings path', () => {
    expect(topTopic('Adding an Exchange account will allow the Exchange administrator to remotely manage your device. The administrator may collect personal data, add/remove accounts and restrictions, list, install, and manage apps, and remotely erase data on your device.')).toBe('none');
    expect(topTopic("The path is Settings \u203a Apps \u203a Mail \u203a Mail Accounts. On older iOS versions (iOS 17 and earlier) it's Settings \u203a Mail \u203a Accounts \u2014 same screen, just one level shallower.")).toBe('none');
  });
});
