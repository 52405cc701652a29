// Check targets: filled from the paste's signals where it names them, asked for otherwise.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { checkRequest, fillTarget, readAnswer, targetsFromSignals } from '../../src/conversation/targets.ts';
import { corpusPaste, DNS_NDR_ID } from './helpers.ts';

describe('targetsFromSignals', () => {
  it('takes the recipient domain, a non-Microsoft host and a public IP from a real NDR', () => {
    const values = targetsFromSignals(defaultMatcher().match(corpusPaste(DNS_NDR_ID)).signals);
    expect(values).toEqual({ host: 'libsisimai.org', domain: 'libsisimai.org', email: 'neko@libsisimai.org', ip: '25.152.252.27' });
  });

  it('does not offer Microsoft\'s own reporting servers or private addresses as targets', () => {
    const values = targetsFromSignals(defaultMatcher().match('Generating server: BN6PR11MB1234.namprd11.prod.outlook.com\n10.1.2.3 returned 451 4.4.0').signals);
    expect(values.host).toBeUndefined();
    expect(values.ip).toBeUndefined();
  });
});

describe('fillTarget', () => {
  it('fills placeholders and names what is missing', () => {
    expect(fillTarget('{host}:25', { host: 'mail.contoso.com' })).toEqual({ ok: true, target: 'mail.contoso.com:25', used: ['host'] });
    expect(fillTarget('https://{host}/EWS/Exchange.asmx', {})).toEqual({ ok: false, missing: 'host' });
    expect(fillTarget('{tenant}.mail.protection.outlook.com', {})).toEqual({ ok: false, unknown: 'tenant' });
    expect(fillTarget('smtp.office365.com:587', {})).toEqual({ ok: true, target: 'smtp.office365.com:587', used: [] });
  });

  it('lets a host given with a port override the template\'s port', () => {
    expect(fillTarget('{host}:25', { host: '127.0.0.1:2525' })).toMatchObject({ ok: true, target: '127.0.0.1:2525' });
    expect(fillTarget('https://{host}/owa/', { host: 'mail.contoso.com:8443' })).toMatchObject({ ok: true, target: 'https://mail.contoso.com:8443/owa/' });
  });
});

describe('checkRequest', () => {
  it('turns a URL into the host an Exchange endpoint check takes, and says so', () => {
    const r = checkRequest({ kind: 'ews', target: 'https://{host}/EWS/Exchange.asmx' }, { host: 'mail.contoso.com' });
    expect(r).toMatchObject({ ok: true, kind: 'ews', target: 'mail.contoso.com', used: ['host'] });
    expect(r.ok && r.note).toMatch(/mail\.contoso\.com/);
  });

  it('turns an address into the domain a dns check takes', () => {
    expect(checkRequest({ kind: 'dns', target: '{email}' }, { email: 'someone@fabrikam.com' })).toMatchObject({ ok: true, target: 'fabrikam.com', note: 'the domain of someone@fabrikam.com' });
  });

  it('fills the options too, and asks for what they need', () => {
    const probe = { kind: 'autodiscover' as const, target: '{domain}', options: { email: '{email}', port: '{port}' } };
    expect(checkRequest(probe, { domain: 'contoso.com', email: 'a@contoso.com', port: '8443' })).toMatchObject({ ok: true, target: 'contoso.com', options: { email: 'a@contoso.com', port: 8443 }, used: ['domain', 'port', 'email'] });
    expect(checkRequest(probe, { domain: 'contoso.com', port: '8443' })).toEqual({ ok: false, missing: 'email' });
  });

  it('keeps a port the person gave with the host over the template\'s', () => {
    expect(checkRequest({ kind: 'smtp', target: '{host}:25' }, { host: 'mx.contoso.com:2525' })).toMatchObject({ ok: true, target: 'mx.contoso.com:2525' });
  });

  it('says why a value of the wrong kind cannot be checked', () => {
    const r = checkRequest({ kind: 'dnsbl', target: '{host}' }, { host: 'mail.contoso.com' });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/IP address/) });
  });
});

describe('readAnswer', () => {
  it('accepts what each placeholder needs and explains what it wanted otherwise', () => {
    expect(readAnswer('host', ' Mail.Contoso.com. ')).toEqual({ ok: true, value: 'mail.contoso.com' });
    expect(readAnswer('host', '[::1]:2525')).toEqual({ ok: true, value: '[::1]:2525' });
    expect(readAnswer('domain', '<contoso.com>')).toEqual({ ok: true, value: 'contoso.com' });
    expect(readAnswer('ip', '203.0.113.9')).toEqual({ ok: true, value: '203.0.113.9' });
    expect(readAnswer('port', '587')).toEqual({ ok: true, value: '587' });
    expect(readAnswer('domain', 'not a domain')).toMatchObject({ ok: false, message: expect.stringMatching(/for example contoso\.com/) });
    expect(readAnswer('port', '70000')).toMatchObject({ ok: false });
    expect(readAnswer('ip', 'mail.contoso.com')).toMatchObject({ ok: false });
  });
});
