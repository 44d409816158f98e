/**
 * Listening and graceful stopping. Stopping refuses new connections,
 * lets in-flight requests finish (up to a grace period, then cuts the
 * remaining connections), and resolves once the server is closed.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Express } from 'express';

/** A listening server. */
export interface RunningServer {
  /** The Node server. */
  server: Server;
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The port actually bound (useful after asking for port 0). */
  port: number;
  /**
   * Stops accepting, waits for in-flight requests up to `graceMs`
   * (default 10,000), then closes what is left.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Listens on `host`:`port` (0 picks a free port). */
export async function listen(
  app: Express,
  host: string,
  port: number,
): Promise<RunningServer> {
  const server = createServer(app);
  server.listen(port, host);
  await once(server, 'listening');

  const bound = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${bound}`,
    port: bound,
    stop: (graceMs = 10_000) => stopServer(server, graceMs),
  };
}

async function stopServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) =>
    server.close((err) => (err ? reject(err) : resolve())),
  );

  // Keep-alive connections with no request in flight would hold close()
  // open until they time out.
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
