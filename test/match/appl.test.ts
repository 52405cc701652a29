// Pastes from mail gateways and appliances in front of or behind Exchange (issue 12; test/fixtures/cases/appl.jsonl,
// each with its public source): a gateway vendor's table of classification codes copied with its column gaps
// ("450 4.1.8  Sender address rejected: …  Blocked") is a code table (listing.ts, columnedStatus); a refusal that
// names the sender's SPF policy is an SPF failure; Trend Micro's RBL+ (mail-abuse.org) is a reputation list; an
// EdgeSync direct-trust mismatch is a certificate problem; a gateway's deferral notices are a delay, not a relay
// refusal. Each rule is shown both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { isCodeTable } from '../../src/match/listing.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('columned code tables', () => {
  const TABLE = [
    'Reason  Definition  Activity',
    '450 4.1.1  Rejection when relay check is enabled  Blocked',
    '450 4.1.8  Sender address rejected: Domain not found  Blocked',
    '504 5.5.2  Sender address rejected: need fully-qualified address  Blocked',
    '550 5.1.1  Recipient address rejected: undeliverable address  Blocked',
  ].join('\n');
  it('reads three codes each followed by a column gap as a table, and answers none', () => {
    expect(isCodeTable(TABLE)).toBe(true);
    expect(topTopic(TABLE)).toBe('none');
  });
  it('leaves replies with one blank after the status code alone', () => {
    expect(isCodeTable('550 5.1.1 <a@example.com>: Recipient address rejected\n552 5.2.2 Mailbox full\n554 5.7.1 Spam message rejected')).toBe(false);
    expect(isCodeTable('550 5.1.1  User unknown')).toBe(false);
  });
});

describe('gateway refusals', () => {
  it("reads a refusal per the sender's SPF policy as an SPF failure", () => {
    expect(topTopic("550 5.7.1 Message rejected per sender's SPF policy - OXSUS001_514")).toBe('spf-fail');
  });
  it("reads Trend Micro's RBL+ as a reputation list, not a bare RBL word", () => {
    expect(topTopic('550 Mail from <IP adress> refused by rbl-plus.mail-abuse.org.\nPlease refer to http://mail-abuse.org/rbl+ for an explanation')).toBe('ip-blocklisted');
    expect(topTopic('Additionnally three RBL servers are used to detect spam sending IPs in the greylist and the RBL check of the release.')).toBe('none');
  });
  it("reads Mimecast's Administrative Lockout as the gateway's policy", () => {
    expect(topTopic("Remote Server returned '< #5.5.0 smtp;550 Administrative Lockout - Inbound not allowed >'")).toBe('remote-policy-reject');
  });
  it('reads an EdgeSync direct-trust mismatch as a certificate problem', () => {
    expect(topTopic("Message Text\n\nMicrosoft Exchange couldn't match certificate when contacting %1. The connection was stopped.")).toBe('tls-cert-invalid');
  });
  it("reads a gateway's deferral notices as a delay and keeps a real relay refusal", () => {
    expect(topTopic("If Proofpoint is unable to relay the email from their system to the customer's server (as it is down), they are required by RFC to send a deferral notice back to the sending mail server that they've not been successful in delivering the email.")).toBe('delivery-delayed');
    expect(topTopic('Remote Server returned 550 5.7.1 Unable to relay')).toBe('relay-denied');
  });
});
