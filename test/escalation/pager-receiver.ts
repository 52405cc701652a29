// A loopback pager for tests: a PagerDuty Events API v2 endpoint (POST /pd/v2/enqueue, answering 202
// as PagerDuty does) and a webhook receiver (POST /hook) that checks ehlo's HMAC-SHA256 signature the
// way a real receiver would. It records every request; failNext makes the next requests answer 500.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TIMESTAMP_HEADER, verifySignature } from '../../src/escalation/webhook.ts';

export const WEBHOOK_SECRET = 'whsec-ehlo-test-0123456789';

export interface Received {
  path: string;
  body: Record<string, unknown>;
  status: number;
  /** For /hook: whether the signature checked out. */
  signed?: boolean;
}

export class PagerReceiver {
  readonly received: Received[] = [];
  #server: Server | undefined;
  #fail = 0;
  port = 0;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          // recorded as {}
        }
        if (this.#fail > 0) {
          this.#fail--;
          this.received.push({ path, body, status: 500 });
          res.writeHead(500).end('down');
          return;
        }
        if (path === '/hook') {
          const sig = req.headers['x-ehlo-signature'];
          const ts = req.headers[TIMESTAMP_HEADER.toLowerCase()];
          const signed = verifySignature(WEBHOOK_SECRET, typeof ts === 'string' ? ts : undefined, raw, typeof sig === 'string' ? sig : undefined);
          this.received.push({ path, body, status: signed ? 200 : 401, signed });
          res.writeHead(signed ? 200 : 401).end();
          return;
        }
        if (path === '/pd/v2/enqueue') {
          const ok = typeof body.routing_key === 'string' && ['trigger', 'acknowledge', 'resolve'].includes(String(body.event_action)) && typeof body.dedup_key === 'string';
          this.received.push({ path, body, status: ok ? 202 : 400 });
          res.writeHead(ok ? 202 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { status: 'success', message: 'Event processed', dedup_key: body.dedup_key } : { status: 'invalid event' }));
          return;
        }
        this.received.push({ path, body, status: 404 });
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  failNext(n: number): void {
    this.#fail += n;
  }

  /** Accepted PagerDuty events, in order: [event_action, dedup_key]. */
  pagerduty(): Array<[string, string]> {
    return this.received.filter((r) => r.path === '/pd/v2/enqueue' && r.status === 202).map((r) => [String(r.body.event_action), String(r.body.dedup_key)]);
  }

  webhook(): Received[] {
    return this.received.filter((r) => r.path === '/hook');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}
