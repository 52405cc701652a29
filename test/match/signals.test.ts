import { describe, expect, it } from 'vitest';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';
import type { Signal, SignalType } from '../../src/match/types.ts';

function signals(text: string): Signal[] {
  return extractSignals(text, splitWords(text));
}
function values(text: string, type: SignalType): string[] {
  return signals(text).filter((s) => s.type === type).map((s) => s.value);
}

describe('signal extraction', () => {
  it('keeps every span pointing at its text', () => {
    const text = 'Remote Server returned \'550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\' [Agent: Mailbox Rules Agent] on EX01.contoso.com (10.0.0.5)';
    for (const s of signals(text)) {
      const at = text.slice(s.span[0], s.span[1]);
      expect(at.toLowerCase()).toBe(s.value.toLowerCase());
    }
  });

  it('finds enhanced status codes with multi-digit details', () => {
    expect(values('550 5.7.509 Access denied, sending domain does not pass DMARC', 'statusCode')).toEqual(['5.7.509']);
    expect(values('450 4.4.317 Cannot connect to remote server', 'statusCode')).toEqual(['4.4.317']);
    expect(values('#< #4.4.7 smtp;550 4.4.7 QUEUE.Expired; message expired> #SMTP#', 'statusCode')).toEqual(['4.4.7', '4.4.7']);
    expect(values('version 15.2.1118 and 1.2.3.4', 'statusCode')).toEqual([]);
  });

  it('finds reply codes only where they act as replies', () => {
    expect(values('550 5.1.1 RESOLVER.ADR.RecipNotFound', 'replyCode')).toEqual(['550']);
    expect(values('smtp;550 Requested action not taken', 'replyCode')).toEqual(['550']);
    expect(values('250-PIPELINING\n550-5.7.1 Unable to relay', 'replyCode')).toEqual(['250', '550']);
    expect(values('We have 550 users and 432 mailboxes on 2 servers', 'replyCode')).toEqual([]);
  });

  it('keeps nested codes: the outer failure and the inner cause', () => {
    const text = '450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail]';
    const status = signals(text).filter((s) => s.type === 'statusCode');
    expect(status.map((s) => [s.value, Boolean(s.nested)])).toEqual([['4.4.317', false], ['5.7.3', true]]);
    expect(values(text, 'replyCode')).toEqual(['450', '451']);
  });

  it('finds Exchange component tokens', () => {
    expect(values('432 4.2.0 STOREDRV.Deliver; Agent transient failure', 'component')).toEqual(['STOREDRV.Deliver']);
    expect(values('#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##', 'component')).toEqual(['RESOLVER.ADR.ExRecipNotFound']);
    expect(values('554 5.2.0 STOREDRV.Deliver.Exception:ObjectNotFoundException; Failed', 'component')).toEqual(['STOREDRV.Deliver.Exception']);
    expect(values('451 4.4.0 SMTPSEND.DNS.NonExistentDomain; nonexistent domain', 'component')).toEqual(['SMTPSEND.DNS.NonExistentDomain']);
    expect(values('Relay MAIL.CONTOSO.COM', 'component')).toEqual([]);
  });

  it('finds transport agent names', () => {
    expect(values('failure during message resubmission [Agent: Mailbox Rules Agent]', 'agent')).toEqual(['Mailbox Rules Agent']);
    expect(values('550 5.6.0 APPROVAL.InvalidExpiry [Agent: Approval Processing Agent]', 'agent')).toEqual(['Approval Processing Agent']);
  });

  it('finds event IDs and KB numbers', () => {
    expect(values('Log Name: Application\nEvent ID: 1035\nSource: MSExchangeFrontEndTransport', 'eventId')).toEqual(['1035']);
    expect(values('MSExchangeIS event 9518 was logged', 'eventId')).toEqual(['9518']);
    expect(values('after uninstalling KB2837618 and installing KB 2850061 (see support.microsoft.com/kb/2850061)', 'kb')).toEqual(['2837618', '2850061', '2850061']);
  });

  it('finds hosts, IPv4 and IPv6 addresses and e-mail addresses', () => {
    const text = 'Generating server: BN6PR11MB1234.namprd11.prod.outlook.com\nuser@contoso.com via [2603:10b6:404:12::17] and 40.92.0.1; file autodiscover.xml';
    expect(values(text, 'host')).toEqual(['bn6pr11mb1234.namprd11.prod.outlook.com']);
    expect(values(text, 'ip')).toEqual(['2603:10b6:404:12::17', '40.92.0.1']);
    expect(values(text, 'email')).toEqual(['user@contoso.com']);
    expect(values('<mailto:kijitora@example.edu>', 'email')).toEqual(['kijitora@example.edu']);
  });

  it('finds IMCEAEX and X.500 addresses', () => {
    const text = 'IMCEAEX-_O=CONTOSO_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP_CN=RECIPIENTS_CN=User@contoso.com\n/o=ExchangeLabs/ou=Exchange';
    expect(values(text, 'imceaex')).toHaveLength(1);
    expect(values(text, 'x500')).toEqual(['/o=ExchangeLabs/ou=Exchange']);
  });

  it('finds cmdlets, exception types and HRESULT / Win32 codes', () => {
    expect(values('PS> Get-Queue | Get-Message -IncludeRecipientInfo', 'cmdlet')).toEqual(['Get-Queue', 'Get-Message']);
    expect(values('Microsoft.Exchange.WebServices.Data.AutodiscoverLocalException: The Autodiscover service couldn\'t be located.', 'exception'))
      .toEqual(['Microsoft.Exchange.WebServices.Data.AutodiscoverLocalException']);
    expect(values('"MapiExceptionShutoffQuotaExceeded:00.00000:FF000000"', 'exception')).toEqual(['MapiExceptionShutoffQuotaExceeded']);
    expect(values('0x8004010F The operation failed. Error 0x96f connecting', 'hresult')).toEqual(['0x8004010F', '0x96F']);
  });

  it('finds HTTP statuses in client errors but not other numbers', () => {
    expect(values('The request failed. The remote server returned an error: (401) Unauthorized.', 'http')).toEqual(['401']);
    expect(values('WinRM client received an HTTP server error status (500)', 'http')).toEqual(['500']);
    expect(values('HTTP/1.1 403 Forbidden', 'http')).toEqual(['403']);
    expect(values('we have (401) mailboxes', 'http')).toEqual([]);
  });
});

describe('codes as client libraries and other scripts print them', () => {
  it('reads a reply code opening a Python tuple or repr of the reply (smtplib)', () => {
    const text = "smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, the user credentials were incorrect.')";
    expect(values(text, 'replyCode')).toEqual(['535']);
    expect(values(text, 'statusCode')).toEqual(['5.7.139']);
    expect(values("Error SMTP sendmail: (535, '5.7.0 authentication failed')", 'replyCode')).toEqual(['535']);
    expect(values("{'a@contoso.com': (550,b'5.1.1 User unknown')}", 'replyCode')).toEqual(['550']);
    expect(values("SMTPDataError: (550, b’5.7.60 SMTP; Client does not have permissions", 'statusCode')).toEqual(['5.7.60']);
    expect(values("SMTPDataError: (550, b’5.7.60 SMTP; Client does not have permissions", 'replyCode')).toEqual(['550']);
    expect(values("SMTPServerDisconnected: (421, b'Service not available')", 'replyCode')).toEqual(['421']);
    // Any other tuple of a number and a string is no reply.
    expect(values("x = (250, 'ok'); print((404, 'missing'))", 'replyCode')).toEqual([]);
    expect(values('f(535, 2)', 'replyCode')).toEqual([]);
  });

  it("reads the server's replies behind a client's markers (swaks, Go's debug log, a log line's prefix)", () => {
    expect(values('<-  220 MW4PR03CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready\n -> EHLO host\n<-  250-SIZE 157286400', 'replyCode')).toEqual(['220', '250']);
    expect(values('<~  250 2.1.0 Sender OK', 'replyCode')).toEqual(['250']);
    // swaks marks the replies it takes for errors "<**" (and "<~*" inside TLS): a refusal with no status code is still a reply.
    expect(values(' -> .\n<** 550 Too many received headers - possible mail loop\n -> QUIT', 'replyCode')).toEqual(['550']);
    expect(values('<~* 554 Transaction failed', 'replyCode')).toEqual(['554']);
    expect(values('*** 550 is a number in prose', 'replyCode')).toEqual([]);
    expect(values('2024/05/01 10:00:00 - < 250-PIPELINING\n- < 250 SMTPUTF8', 'replyCode')).toEqual(['250', '250']);
    expect(values('DEBUG SMTP: (executor-thread-25) 220 BN9PR03CA0.outlook.office365.com Microsoft ESMTP MAIL Service ready', 'replyCode')).toEqual(['220']);
    // A marker glued to the number is something else ("<318 bytes encoded mime message>").
    expect(values('INFO [x] <318 bytes encoded mime message (source size 315 bytes)>', 'replyCode')).toEqual([]);
    expect(values('count(x)250 items', 'replyCode')).toEqual([]);
  });

  it("reads Python's exception classes, dotted or bare", () => {
    expect(values('smtplib.SMTPAuthenticationError: (535, ...)', 'exception')).toEqual(['smtplib.SMTPAuthenticationError']);
    expect(values('raise SMTPServerDisconnected("Connection unexpectedly closed")', 'exception')).toEqual(['SMTPServerDisconnected']);
    expect(values('smtplib.SMTPServerDisconnected: Connection unexpectedly closed', 'exception')).toEqual(['smtplib.SMTPServerDisconnected']);
    expect(values('SMTPRecipientsRefused: {...} and SMTPSenderRefused, SMTPDataError', 'exception')).toEqual(['SMTPRecipientsRefused', 'SMTPSenderRefused', 'SMTPDataError']);
    expect(values('Net::SMTPAuthenticationError 504 5.7.4 Unrecognized authentication type', 'exception')).toEqual(['SMTPAuthenticationError']);
    // Java and .NET names as before; words that only end like one are none.
    expect(values('javax.mail.AuthenticationFailedException: 535 5.7.3', 'exception')).toEqual(['javax.mail.AuthenticationFailedException']);
    expect(values('MailKit.Security.AuthenticationException: 535', 'exception')).toEqual(['MailKit.Security.AuthenticationException']);
    expect(values('SMTPerror TypeError ConnectionRefusedError SMTPSvc.Refused smtp.Disconnected', 'exception')).toEqual([]);
  });

  it('reads codes glued to Chinese or Japanese text', () => {
    const ja = '550 5.4.1リレー アクセスが拒否されました';
    expect(values(ja, 'statusCode')).toEqual(['5.4.1']);
    expect(values(ja, 'replyCode')).toEqual(['550']);
    expect(values('5.1.1收件人不存在', 'statusCode')).toEqual(['5.1.1']);
    expect(values('发生5.7.1错误可能是由于', 'statusCode')).toEqual(['5.7.1']);
    expect(values('错误：4.4.7。', 'statusCode')).toEqual(['4.4.7']);
    expect(values('服务器mail.contoso.com拒绝', 'host')).toEqual(['mail.contoso.com']);
  });
});

describe('nested status codes (same line as the one before)', () => {
  it('marks exactly the status codes with no newline since the previous one', async () => {
    const fc = (await import('fast-check')).default;
    const piece = fc.constantFrom('550 5.1.1 ', '4.4.7', ' x ', '\n', '5.7.3 STARTTLS ', ';', 'ok ', '\r\n');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      const statuses = extractSignals(text, splitWords(text)).filter((s) => s.type === 'statusCode');
      statuses.forEach((s, i) => {
        const prev = statuses[i - 1];
        const expected = prev !== undefined && !text.slice(prev.span[1], s.span[0]).includes('\n');
        expect(s.nested === true, `${JSON.stringify(text)} @${s.span[0]}`).toBe(expected);
      });
    }), { numRuns: 300 });
  });
});
