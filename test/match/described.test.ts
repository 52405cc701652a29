// Short plain descriptions without trigger words and nested or abbreviated codes, as issue 12 quotes
// them, lead to their playbooks; the same words without the telling part stay `none`.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const top = (t: string) => {
  const r = matcher.match(t);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.playbook;
};

describe('plain descriptions and nested codes', () => {
  it.each([
    ['the deferred ones never arrive', 'exo-hybrid-deferred-not-resubmitted'],
    ['out of office stopped after the CU', 'oof-mailbox-rules-agent-legacyinterop'],
    ['450 4.4.317 Cannot connect to remote server … 5.7.3 STARTTLS is required', 'starttls-required-forced-tls'],
    ['Error: Greeting never received code: ETIMEDOUT command: CONN (smtp.office365.com:587)', 'smtp-connection-failed'],
    ["[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1000) with smtplib.SMTP_SSL('smtp.office365.com', 587)", 'starttls-required-forced-tls'],
    ['postfix/smtp[1885]: status=deferred (TLS is required, but was not offered by host contoso-com.mail.protection.outlook.com[52.101.0.1])', 'starttls-required-forced-tls'],
    ['552 5.3.4 Error: message file too big', 'message-size-limit-exceeded'],
  ])('%s → %s', (text, playbook) => {
    expect(top(text)).toBe(playbook);
  });

  it.each([
    'emails never arrive',
    'socket error: connection refused',
    'Timeout while getting a connection from pool',
    'the deferred payment never arrived',
  ])('%s → none', (text) => {
    expect(top(text)).toBe('none');
  });
});
