// With an app id configured, /api/messages takes only requests carrying a valid token: the SDK's JWT
// middleware checks signature (keys from the authority's JWKS, here a loopback endpoint), audience,
// issuer and expiry. A missing, expired or wrongly signed token is answered 401 and nothing is done:
// the core sees no event and the connector no call. Without an app id only development mode opens
// the endpoint, and never with NODE_ENV=production.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EhloConfig } from '../../../src/config.ts';
import { createRuntime, serve } from '../../../src/server/runtime.ts';
import { corpusPaste, DNS_NDR_ID } from '../../conversation/helpers.ts';
import { invoke, message, send, startConnector, startTeams, type FakeConnector, type TeamsApp } from './helpers.ts';

const APP_ID = '0b5c1d9e-2f3a-4b6c-8d7e-9f0a1b2c3d4e';
const TENANT = '11111111-2222-4333-8444-555555555555';

let jwks: Server;
let authority: string;
let key: CryptoKey;
let otherKey: CryptoKey;
let bc: FakeConnector;
let app: TeamsApp;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  key = pair.privateKey;
  otherKey = (await generateKeyPair('RS256', { extractable: true })).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'ehlo-test-key', alg: 'RS256', use: 'sig' };
  jwks = createServer((req, res) => {
    if (req.url === `/${TENANT}/discovery/v2.0/keys`) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  authority = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/${TENANT}`;
  bc = await startConnector();
  app = await startTeams({ teams: { appId: APP_ID, appPassword: 'not-a-real-secret', tenantId: TENANT, authority, dev: true } });
});
afterAll(async () => {
  await app?.close();
  await bc?.close();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
});

async function token(o: { key?: CryptoKey; kid?: string; exp?: number; aud?: string; iss?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ serviceurl: bc.url, tid: TENANT })
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'ehlo-test-key', typ: 'JWT' })
    .setIssuer(o.iss ?? `${authority}/v2.0`)
    .setAudience(o.aud ?? APP_ID)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(o.exp ?? now + 3600)
    .sign(o.key ?? key);
}

async function teamsEvents(): Promise<number> {
  const text = await (await fetch(app.url.replace('/api/messages', '/metrics'))).text();
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('ehlo_events_total{channel="teams"')) n += Number(line.split(' ').at(-1));
  return n;
}

describe('with an app id configured', () => {
  it('answers 401 to a request without a token, with an expired token, or signed by a key it does not know, and does nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const activity = () => message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true, conversationType: 'personal' });
    const cases: [string, Record<string, string>][] = [
      ['no token', {}],
      ['expired', { authorization: `Bearer ${await token({ exp: now - 3600 })}` }],
      ['unknown key', { authorization: `Bearer ${await token({ key: otherKey, kid: 'someone-elses-key' })}` }],
      ['known kid, wrong key', { authorization: `Bearer ${await token({ key: otherKey })}` }],
      ['another audience', { authorization: `Bearer ${await token({ aud: '99999999-9999-4999-8999-999999999999' })}` }],
      ['another issuer', { authorization: `Bearer ${await token({ iss: 'https://evil.example/v2.0' })}` }],
      ['not a bearer token', { authorization: 'Basic YWxpY2U6cGFzc3dvcmQ=' }],
    ];
    for (const [what, headers] of cases) {
      const res = await send(app.url, activity(), headers);
      expect(res.status, what).toBe(401);
    }
    await app.rt.core.drain();
    expect(bc.requests).toBe(0);
    expect(await teamsEvents()).toBe(0);
  });

  it('lets a request with a valid token past authentication', async () => {
    const res = await send(app.url, message({ serviceUrl: bc.url, text: 'hello', conversationType: 'personal' }), { authorization: `Bearer ${await token()}` });
    // Past the JWT check the SDK asks Entra for a connector token; offline that fails (500), never 401.
    expect(res.status).not.toBe(401);
  });
});

describe('a single-tenant bot', () => {
  it('ignores activities from another tenant', async () => {
    const mine = await startTeams({ teams: { dev: true, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } });
    const other = await startTeams({ teams: { dev: true, tenantId: TENANT } });
    try {
      const before = bc.requests;
      const res = await send(other.url, message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true }));
      expect(res.status).toBe(200);
      const inv = await send(other.url, invoke({ serviceUrl: bc.url, conversationId: 'a:1', replyToId: '1', verb: 'refresh', data: {} }));
      expect(inv.status).toBe(403);
      await other.rt.core.drain();
      expect(bc.requests).toBe(before);
      // The same activity for the configured tenant is answered.
      await send(mine.url, message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true }));
      await bc.waitFor((calls) => calls.length > 0);
    } finally {
      await mine.close();
      await other.close();
    }
  });
});

describe('start-up', () => {
  it('refuses to open Teams without an app id outside development mode, and development mode in production', async () => {
    const config = (teams: Record<string, unknown>) => EhloConfig.parse({ server: { port: 0, host: '127.0.0.1' }, store: { sqlitePath: ':memory:' }, teams });
    const tryServe = async (c: EhloConfig) => {
      const rt = createRuntime(c, { logger: pino({ level: 'silent' }) });
      try {
        const served = await serve(rt, ['teams']);
        await served.stop();
        return 'served';
      } catch (err) {
        await rt.close();
        return (err as Error).message;
      }
    };
    expect(await tryServe(config({}))).toMatch(/needs TEAMS_APP_ID and TEAMS_APP_PASSWORD/);
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(await tryServe(config({ dev: true }))).toMatch(/refused with NODE_ENV=production/);
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
    expect(await tryServe(config({ dev: true }))).toBe('served');
  });
});
