// HTTP and HTTPS servers on 127.0.0.1 for tests, with a handler per request.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { Pem } from './certs.ts';
import type { Listening } from './smtp.ts';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function startHttps(pem: Pem, handler: Handler): Promise<Listening> {
  return start(https.createServer({ key: pem.key, cert: pem.cert }, handler));
}

export async function startHttp(handler: Handler): Promise<Listening> {
  return start(http.createServer(handler));
}

async function start(server: http.Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
