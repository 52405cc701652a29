// The one HTTP server of a process (on PORT): network channels mount their endpoints on its express
// app (Slack: POST /slack/events; Teams: POST /api/messages), and it answers GET /livez (the process
// is up), GET /readyz (the store answers) and GET /metrics (Prometheus text). Unknown paths get a
// plain 404; a handler's failure a 500 without internals.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.ts';

/** The largest request body any endpoint accepts (Slack and Teams send far less). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Readiness {
  /** ok: the store answered; otherwise a one-line reason (no secrets). */
  (): Promise<{ ok: boolean; detail: string }>;
}

export interface HttpHostOptions {
  port: number;
  /** Default 0.0.0.0 (all interfaces); tests use 127.0.0.1. */
  host?: string;
  logger: Logger;
  metrics: Metrics;
  ready: Readiness;
}

export class HttpHost {
  readonly app: Express;
  readonly #server: Server;
  readonly #o: HttpHostOptions;
  #listening = false;

  constructor(options: HttpHostOptions) {
    this.#o = options;
    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', false);
    app.get('/livez', (_req, res) => void res.type('text/plain').send('ok\n'));
    app.get('/readyz', (_req, res, next) => {
      options.ready().then(
        (r) => void res.status(r.ok ? 200 : 503).type('text/plain').send(`${r.ok ? 'ready' : 'not ready'}: ${r.detail}\n`),
        next,
      );
    });
    app.get('/metrics', (_req, res, next) => {
      options.metrics.registry.metrics().then((text) => void res.type(options.metrics.registry.contentType).send(text), next);
    });
    this.app = app;
    this.#server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, maxHeaderSize: 16 * 1024 }, app);
    this.#server.keepAliveTimeout = 65_000;
  }

  /** Start listening once every channel has mounted its routes; resolves with the bound port. */
  async listen(): Promise<number> {
    const { app } = this;
    app.use((_req, res) => void res.status(404).type('text/plain').send('not found\n'));
    app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
      void next;
      const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (status === 500) {
        this.#o.logger.error({ err, path: req.path }, 'HTTP handler failed');
        this.#o.metrics.error('http', req.path.slice(0, 40));
      }
      if (!res.headersSent) res.status(status).type('text/plain').send(status === 413 ? 'request body too large\n' : status === 500 ? 'internal error\n' : 'bad request\n');
    });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#o.port, this.#o.host ?? '0.0.0.0', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#listening = true;
    return (this.#server.address() as AddressInfo).port;
  }

  get port(): number | undefined {
    const a = this.#server.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }
}
