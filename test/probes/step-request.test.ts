// stepRequest: a step's probe and the thread's values → the runProbe request (placeholders and options filled,
// a value of the wrong shape converted).
import { describe, expect, it } from 'vitest';
import { stepRequest } from '../../src/probes/step-request.ts';
import { loadCatalog } from '../../src/catalog/load.ts';

const values = { host: 'mail.contoso.com', domain: 'contoso.com', ip: '203.0.113.7', email: 'pat@contoso.com', url: 'https://mail.contoso.com/owa/', port: '587' };

describe('stepRequest', () => {
  it('fills the target and the options', () => {
    expect(stepRequest({ kind: 'autodiscover', target: '{domain}', onPass: 'done', onFail: 'failed', options: { email: '{email}' } }, values)).toEqual({ ok: true, kind: 'autodiscover', target: 'contoso.com', options: { email: 'pat@contoso.com' } });
    expect(stepRequest({ kind: 'smtp', target: '{host}', onPass: 'done', onFail: 'failed', options: { port: '{port}', quitAfter: 'tls' } }, values)).toMatchObject({ ok: true, target: 'mail.contoso.com', options: { port: 587, quitAfter: 'tls' } });
  });

  it('says which placeholder is missing', () => {
    expect(stepRequest({ kind: 'dnsbl', target: '{ip}', onPass: 'done', onFail: 'failed' }, { host: 'x.contoso.com' })).toEqual({ ok: false, missing: 'ip', message: 'the check needs {ip}' });
  });

  it('converts a value of another shape: a URL for a host kind, an address for a domain kind', () => {
    expect(stepRequest({ kind: 'ews', target: '{host}', onPass: 'done', onFail: 'failed' }, { host: 'https://mail.contoso.com/EWS/Exchange.asmx' })).toMatchObject({ ok: true, target: 'mail.contoso.com', note: expect.stringContaining('read as mail.contoso.com') });
    expect(stepRequest({ kind: 'dns', target: '{domain}', onPass: 'done', onFail: 'failed' }, { domain: 'pat@fabrikam.com' })).toMatchObject({ ok: true, target: 'fabrikam.com', note: 'the domain of pat@fabrikam.com' });
    expect(stepRequest({ kind: 'ptr', target: '{ip}', onPass: 'done', onFail: 'failed' }, { ip: 'mail.contoso.com' })).toMatchObject({ ok: false, message: expect.stringMatching(/takes an IP address/) });
  });

  it('builds a request for every probe step of the catalog from a full set of values', () => {
    for (const p of loadCatalog().playbooks) {
      for (const s of p.steps) if (s.probe) expect(stepRequest(s.probe, values), `${p.id} ${s.id}`).toMatchObject({ ok: true });
    }
  });
});
