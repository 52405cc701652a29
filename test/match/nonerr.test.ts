// Non-errors that share words with errors (test/fixtures/cases/field-nonerrors7.jsonl and
// field-nonerrors8.jsonl, each with its public source): a table of reply codes (listing.ts,
// isCodeTable), an English list of three errors with no failure report (matcher.ts), a setup guide
// that quotes an SPF/DMARC/DKIM record (config-listing.ts, quotesAuthRecord), a Chinese article
// titled "…原因及解决方法" (localised.ts). Each rule is shown both ways: the real errors with the same
// shape keep their playbook.
import { describe, expect, it } from 'vitest';
import { evidenceOnConfigLines, quotesAuthRecord } from '../../src/match/config-listing.ts';
import { readCases } from '../../src/match/evaluate.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { isCodeTable } from '../../src/match/listing.ts';

const matcher = defaultMatcher();
const fixture = (name: string) => readCases(new URL(`../fixtures/cases/${name}`, import.meta.url).pathname);
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const all = [...fixture('field-nonerrors7.jsonl'), ...fixture('field-nonerrors8.jsonl')];
const byId = (id: string) => {
  const c = all.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c.text;
};

describe('isCodeTable', () => {
  it('takes rows that open on different failure codes set off by a spaced dash, "=" or a table bar', () => {
    expect(isCodeTable('* 451 - Requested action aborted: local error in processing\n\n* 452 - Requested action not taken: insufficient system storage\n\n* 550 - Requested action not taken: mailbox unavailable')).toBe(true);
    expect(isCodeTable("- [x] `451` = `SystemError`: Requested action aborted\n- [x] `452` = `SystemFull`: insufficient system storage\n- [x] `500` = `SyntaxError`: Syntax error")).toBe(true);
    expect(isCodeTable("|504|Paramètre de commande non implémentée|…|\n |535|Echec lors de l'authentification|…|\n |550|Action demandée non effectuée|…|")).toBe(true);    expect(isCodeTable('\tMailboxBusy = 450,\n\tLocalErrorInProcessing = 451,\n\tMailboxUnavailable = 550,')).toBe(true);
  });

  it('leaves a server\'s multi-line reply, a session\'s replies and a table of two codes alone', () => {
    expect(isCodeTable('550-5.1.1 The email account that you tried to reach does not exist.\n550-5.1.1 Please try double-checking\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser')).toBe(false);
    expect(isCodeTable('| 550 | mailbox unavailable |\n| 552 | exceeded storage allocation |')).toBe(false);
    expect(isCodeTable('| 250 | OK |\n| 354 | Start mail input |\n| 221 | closing |')).toBe(false);
    expect(isCodeTable("{ message: 'Invalid login: 535 5.7.8 Authentication failed',\n  code: 'EAUTH',\n  response: '535 5.7.8 Authentication failed',\n  responseCode: 535,\n  command: 'AUTH PLAIN' }")).toBe(false);
  });
});

describe('quotesAuthRecord', () => {
  it('finds an SPF, DMARC or DKIM record tag', () => {
    expect(quotesAuthRecord('记录值:v=spf1 include:spf.qiye.aliyun.com -all')).toBe(true);
    expect(quotesAuthRecord('_dmarc txt "v=dmarc1; p=reject; rua=mailto:d@example.com"')).toBe(true);
    expect(quotesAuthRecord('550 5.7.23 the message was rejected because of sender policy framework violation')).toBe(false);
  });
});

/** A why list with one piece of evidence at `needle` in `text` (and a wording item, which is not read). */
const whyAt = (text: string, needle: string) => {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle}`);
  return [{ evidence: `phrase "${needle}"`, span: [at, at + needle.length] as [number, number], weight: 0.3 }, { evidence: "wording like the playbook's: \"x\"", span: [0, 1] as [number, number], weight: 0.1 }];
};

describe('evidenceOnConfigLines', () => {
  it('takes evidence on a commented setting, an Exim ACL statement or a sendmail.cf rule', () => {
    const exim = '  # Always add X-Spam-Score and X-Spam-Report headers, using SA system-wide settings\n  warn  message\t\t= X-Spam-Score: $spam_score ($spam_bar)';
    expect(evidenceOnConfigLines(exim, whyAt(exim, 'Spam-Score'))).toBe(true);
    const acl = '  deny    message       = Rejected because $sender_host_address is in a black list at $dnslist_domain\\n$dnslist_text';
    expect(evidenceOnConfigLines(acl, whyAt(acl, 'black list'))).toBe(true);
    const cf = '# anything else is bogus\nR$*\t\t\t$#error $@ 5.7.1 $: "550 Relaying denied"';
    expect(evidenceOnConfigLines(cf, whyAt(cf, 'Relaying denied'))).toBe(true);
  });

  it('leaves an NDR diagnostic, a CI log line, an exception dump and a heading that opens on a reply alone', () => {
    const ndr = '#< #5.7.1 smtp;550 5.7.1 Unable to relay> #SMTP#';
    expect(evidenceOnConfigLines(ndr, whyAt(ndr, 'Unable to relay'))).toBe(false);
    const ci = '##[error]The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 SMTP; Client was not authenticated';
    expect(evidenceOnConfigLines(ci, whyAt(ci, 'Client was not authenticated'))).toBe(false);
    const dump = '  Message=5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied';
    expect(evidenceOnConfigLines(dump, whyAt(dump, 'SendAsDeniedException'))).toBe(false);
    const heading = '# 550 5.7.1 服务不可用；客户端主机 [x.x.x.x] 被 Spamhaus 阻止';
    expect(evidenceOnConfigLines(heading, whyAt(heading, 'Spamhaus'))).toBe(false);
    const prose = 'Either the user will be denied (if not authenticated and in DNSBL), or checks will proceed further.';
    expect(evidenceOnConfigLines(prose, whyAt(prose, 'in DNSBL'))).toBe(false);
  });
});

describe('non-errors of these shapes answer none', () => {
  it.each(['ne-013', 'ne-020', 'ne-055', 'ne-059', 'ne-083', 'ne-135', 'ne-149', 'ne-157', 'ne-169'])('%s is none', (id) => {
    expect(topTopic(byId(id))).toBe('none');
  });
});

describe('real errors of the same shapes keep their playbook', () => {
  const tuning = readCases(new URL('../fixtures/cases/field-mta9-dev.jsonl', import.meta.url).pathname);
  const zh = readCases(new URL('../fixtures/cases/lang-zh4.jsonl', import.meta.url).pathname);

  it('a qmail bounce that reads like a list of three errors stays a report', () => {
    const c = tuning.find((x) => x.id === 'fld9b-mta-soe-lhost-qmail-19');
    expect(c).toBeDefined();
    expect(topTopic(c!.text)).toBe(c!.topic);
  });

  it('an SPF rejection that quotes the sender\'s record, with its codes, stays spf-fail', () => {
    const c = zh.find((x) => x.id === 'lang-zh4-82wxpeu-aliyun-spf-check-failed');
    expect(c).toBeDefined();
    expect(topTopic(c!.text)).toBe(c!.topic);
  });

  it('a bounce whose transcript carries four failure codes stays a report', () => {
    const c = readCases(new URL('../fixtures/cases/field-mta3.jsonl', import.meta.url).pathname).find((x) => x.id === 'fld3-bp-comcast-via-sendmail-unknown');
    expect(c).toBeDefined();
    expect(isCodeTable(c!.text)).toBe(false);
    expect(topTopic(c!.text)).toBe(c!.topic);
  });
});
