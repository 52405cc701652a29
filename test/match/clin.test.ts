import { describe, expect, it } from 'vitest';
import { isForeignService, isOutsideMail } from '../../src/match/foreign.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import type { Signal } from '../../src/match/types.ts';

const matcher = defaultMatcher();

describe('a number glued to a colon is a port or a line number, not a reply', () => {
  it('a port after a host placeholder and a source line number are no reply codes', () => {
    const r = matcher.match('trace:43 == Info: OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to <web-address>:443 \n\ntrace:43 == Info: Closing connection 0\n\nSendReport:474 Failed sending curl request with error:SSL connect error');
    expect(r.signals.replyCodes).toEqual([]);
    expect(r.verdict).toBe('none');
  });

  it("PHPMailer's echo glued to a word stays a reply", () => {
    expect(matcher.match('SMTP -> FROM SERVER:220 mail.example.com ESMTP Postfix').signals.replyCodes).toEqual(['220']);
    expect(matcher.match('SMTP -> FROM SERVER:535 Authentication failed').signals.replyCodes).toEqual(['535']);
    expect(matcher.match('退信包含:552 Message size exceeds fixed limit').signals.replyCodes).toEqual(['552']);
  });

  it('a script line number after a file name is no reply', () => {
    expect(matcher.match('At C:\\Reports\\Report.ps1:225 char:5').signals.replyCodes).toEqual([]);
  });
});

describe("E_FAIL printed by a .NET exception's name is no Exchange HRESULT", () => {
  const refused = 'No connection could be made because the target machine actively refused it';

  it('a SocketException (0x80004005) of a proxy is outside mail', () => {
    const text = `System.Net.Sockets.SocketException (0x80004005): ${refused}`;
    const lower = text.toLowerCase();
    const at = lower.indexOf('0x80004005');
    const signals: Signal[] = [{ type: 'hresult', value: '0x80004005', span: [at, at + 10] }];
    expect(isOutsideMail(['connection-failed'], false, signals, lower)).toBe(true);
  });

  it('the same code standing alone, or another HRESULT, keeps the paste a candidate', () => {
    const alone = `error 0x80004005: ${refused}`.toLowerCase();
    expect(isOutsideMail(['connection-failed'], false, [{ type: 'hresult', value: '0x80004005', span: [6, 16] }], alone)).toBe(false);
    const other = `socketexception (0x800ccc0e): ${refused}`.toLowerCase();
    expect(isOutsideMail(['connection-failed'], false, [{ type: 'hresult', value: '0x800ccc0e', span: [17, 27] }], other)).toBe(false);
  });
});

describe("a service's port glued to the host it failed to reach outweighs the word 'message'", () => {
  it("a channel layer's 'receive messages' refused by Redis on :6379 is not mail", () => {
    expect(isForeignService([], 'error trying to receive messages: error 10061 connecting to 127.0.0.1:6379.')).toBe(true);
  });

  it('a stronger mail word still keeps it a mail question', () => {
    expect(isForeignService([], 'error 10061 connecting to 127.0.0.1:6379 while queueing the mail.')).toBe(false);
    expect(isForeignService([], 'redis error while storing the smtp message: connecting to 127.0.0.1:6379')).toBe(false);
  });
});
