import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeFile, describeBinary, looksLikeMime } from '../../src/paste/decode.ts';

const enc = (s: string) => new TextEncoder().encode(s);

// A delivery report built for this test (multipart/report, a quoted-printable ISO-8859-1 text part,
// a delivery-status part and the returned headers), shaped like the bounces Exchange sends.
const report = [
  'From: postmaster@contoso.com',
  'To: sender@fabrikam.com',
  'Subject: =?iso-8859-1?Q?Unzustellbar:_Pr=FCfung?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset="iso-8859-1"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Die Nachricht konnte nicht zugestellt werden. Das Postfach des Empf=E4ngers =',
  'ist voll.',
  '',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns;EX01.contoso.com',
  '',
  'Final-Recipient: rfc822;user@contoso.com',
  'Action: failed',
  'Status: 5.2.2',
  'Diagnostic-Code: smtp;554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
  '',
  '--b1',
  'Content-Type: text/rfc822-headers',
  '',
  'Subject: Prüfung',
  '',
  '--b1--',
  '',
].join('\r\n');

describe('decoding a pasted file', () => {
  it('decodes an .eml delivery report: charset, quoted-printable, the delivery-status part', async () => {
    const d = await decodeFile(enc(report));
    expect(d.ok && d.format).toBe('eml');
    if (!d.ok) return;
    expect(d.subject).toBe('Unzustellbar: Prüfung');
    expect(d.text).toContain('Das Postfach des Empfängers ist voll.');
    expect(d.text).toContain('Status: 5.2.2');
    expect(d.text).toContain('MapiExceptionShutoffQuotaExceeded');
  });

  it('decodes a base64 text part', async () => {
    const body = Buffer.from('550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', 'utf8').toString('base64');
    const eml = `From: a@b.c\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`;
    const d = await decodeFile(enc(eml));
    expect(d.ok && d.format).toBe('eml');
    expect(d.ok && d.text).toContain('RESOLVER.ADR.RecipNotFound');
  });

  it('keeps a plain paste as text, even one that starts like a header line', async () => {
    const d = await decodeFile(enc('Remote Server returned: 550 5.7.1 Unable to relay\nmore text'));
    expect(d).toEqual({ ok: true, format: 'text', text: 'Remote Server returned: 550 5.7.1 Unable to relay\nmore text' });
    expect(looksLikeMime('Error: something\nWarning: other')).toBe(false);
  });

  it('reads UTF-16 text with a byte-order mark', async () => {
    const s = '451 4.7.0 Temporary server error';
    const b = new Uint8Array([0xff, 0xfe, ...Buffer.from(s, 'utf16le')]);
    expect(await decodeFile(b)).toEqual({ ok: true, format: 'text', text: s });
  });

  it('says a binary file is binary and what it looks like, never text', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await decodeFile(png)).toEqual({ ok: false, format: 'binary', looksLike: 'a PNG image' });
    expect(describeBinary(enc('%PDF-1.7'))).toBe('a PDF document');
    expect(describeBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toMatch(/ZIP/);
  });

  it('says an OLE file that is not an Outlook message is binary', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const d = await decodeFile(ole);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.looksLike).toMatch(/OLE compound file/);
  });

  it('stays bounded on a huge file', async () => {
    const big = enc('From: a@b.c\nSubject: y\n\n' + 'x'.repeat(3 * 1024 * 1024));
    const t0 = performance.now();
    const d = await decodeFile(big);
    expect(d.ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('package.json keeps the decoders as runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['postal-mime', '@kenjiuno/msgreader', 'tinyld']));
  });
});
