// Bugs found by the reliability audit of issue 14, each against real servers on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import type net from 'node:net';
import { runProbe } from '../../src/probes/run.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import { TargetPolicy } from '../../src/probes/policy.ts';
import { classify } from '../../src/probes/address.ts';
import type { ProbeConfigInput } from '../../src/probes/config.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import { startHttp } from '../helpers/https.ts';
import { startRawServer } from '../helpers/smtp.ts';
import { testConfig } from '../helpers/probe-config.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const run = (kind: Parameters<typeof runProbe>[0], target: string, over: ProbeConfigInput = {}) =>
  runProbe(kind, target, { config: testConfig(over), limiter: new ProbeLimiter() });

describe('ptr', () => {
  it('reports a resolver that never answers as a lookup failure (error), not "no PTR record"', async () => {
    const dns = await startDnsServer([], { stall: ['7.113.0.203.in-addr.arpa'] });
    open.push(dns);
    const r = await run('ptr', '203.0.113.7', { allow: ['203.0.113.0/24'], dnsServers: [dns.server], timeouts: { dnsMs: 300 } });
    expect(r.findings.map((f) => f.code)).not.toContain('ptr-missing');
    expect(r.status).toBe('error');
    expect(r.findings[0]).toMatchObject({ severity: 'fail', code: 'dns-lookup-failed' });
    expect(dns.queries).toContain('7.113.0.203.in-addr.arpa PTR');
  });

  it('asks the configured resolver, never /etc/hosts (127.0.0.1 is "localhost" there)', async () => {
    const dns = await startDnsServer([]);
    open.push(dns);
    const r = await run('ptr', '127.0.0.1', { dnsServers: [dns.server] });
    expect(dns.queries).toEqual(['1.0.0.127.in-addr.arpa PTR']);
    expect(r.findings.map((f) => f.code)).toEqual(['ptr-missing']);
  });
});

describe('http read limits', () => {
  it('counts 1xx responses: a server sending 100 Continue without end is cut off within the byte bound', async () => {
    let written = 0;
    const server = await startRawServer((s: net.Socket) => {
      const chunk = Buffer.from('HTTP/1.1 100 Continue\r\nX-Pad: '.concat('a'.repeat(1000), '\r\n\r\n'));
      const pump = (): void => {
        while (!s.destroyed && s.writable) {
          written += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
      };
      s.once('data', pump);
    });
    open.push(server);
    const r = await run('http', `http://127.0.0.1:${server.port}/`, { limits: { maxBytes: 64 * 1024 } });
    expect(r.status).toBe('error');
    expect(r.findings.map((f) => f.code)).toContain('http-too-much-data');
    // the client stops reading at the bound; what the kernel buffered on top is all the server got out
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('redirects', () => {
  it('never shows the password of a redirect URL in findings or transcript', async () => {
    const target = await startHttp((_req, res) => {
      res.writeHead(200);
      res.end('ok');
    });
    const front = await startHttp((_req, res) => {
      res.writeHead(302, { Location: `http://user:s3cret-pass@127.0.0.1:${target.port}/landing` });
      res.end();
    });
    open.push(target, front);
    const r = await run('http', `http://127.0.0.1:${front.port}/`, { redirectPorts: [target.port] });
    const text = JSON.stringify(r);
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toContain('user:');
    expect(r.findings.map((f) => f.code)).toContain('redirect-credentials');
  });

  it('may not move to another port of an allowed host unless that port is allowed', async () => {
    let reached = false;
    const other = await startHttp((_req, res) => {
      reached = true;
      res.end('ok');
    });
    const front = await startHttp((_req, res) => {
      res.writeHead(301, { Location: `http://127.0.0.1:${other.port}/admin` });
      res.end();
    });
    open.push(other, front);
    const r = await run('http', `http://127.0.0.1:${front.port}/`);
    expect(reached).toBe(false);
    expect(r.findings.find((f) => f.code === 'redirect-refused')?.message).toMatch(/redirectPorts/);
    const allowed = await run('http', `http://127.0.0.1:${front.port}/`, { redirectPorts: [other.port] });
    expect(reached).toBe(true);
    expect(allowed.status).toBe('pass');
  });
});

describe('address classes', () => {
  const wide = new TargetPolicy(['::/0', '0.0.0.0/0', '*']);
  it.each([
    ['::a9fe:a9fe', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fec0::1', 'private'],
    ['2002:a9fe:a9fe::1', 'metadata'],
    ['2002:0a00:0001::1', 'private'],
    ['2002:7f00:0001::', 'loopback'],
    ['2002:a9fe:0101::1', 'link-local'],
    // Teredo: server 65.54.227.120, client 192.168.1.1 stored XOR 0xffff… (3f57:fefe)
    ['2001:0:4136:e378:8000:63bf:3f57:fefe', 'private'],
    ['::7f00:1', 'loopback'],
  ])('%s counts as %s and ::/0 does not open it', (addr, cls) => {
    expect(classify(addr).cls).toBe(cls);
    expect(wide.checkAddress(addr, true)?.rule).toBe('address-class');
  });

  it('keeps public 6to4 and Teredo addresses public', () => {
    expect(classify('2002:cb00:7101::1').cls).toBe('reserved'); // 203.0.113.1 is documentation space
    expect(classify('2002:0808:0808::1').cls).toBe('public');
    expect(classify('2001:0:4136:e378:8000:63bf:f7f7:f7f7').cls).toBe('public'); // client 8.8.8.8
    expect(classify('2001:db8::1').cls).toBe('reserved');
    expect(wide.checkAddress('2606:4700::1111', true)).toBeUndefined();
  });
});
