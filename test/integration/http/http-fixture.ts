/**
 * A real HTTP server for API tests: a service on a fresh DATA_DIR with
 * the small test model, the app, and a listener on 127.0.0.1 at an
 * ephemeral port; plus small fetch helpers.
 */
import type { z } from 'zod';

import type { Config } from '../../../src/config/config.js';
import { apiSchemas, type ApiSchemas } from '../../../src/http/api-schemas.js';
import { createApp, type AppOptions } from '../../../src/http/create-app.js';
import { listen, type RunningServer } from '../../../src/http/http-server.js';
import { silentLogger } from '../../../src/logging/logger.js';
import type { DedupService } from '../../../src/service/dedup-service.js';
import { openDedupService } from '../../../src/service/open-service.js';
import { removeDir, tempDir, testConfig } from '../service/fixtures.js';

/** A response; `body` is parsed JSON, else text; undefined if empty. */
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A running test server. */
export interface TestServer {
  url: string;
  config: Config;
  dataDir: string;
  service: DedupService;
  running: RunningServer;
  app: ReturnType<typeof createApp>;
  /** The API's schemas, to check response bodies with. */
  schemas: ApiSchemas;
  /** Sends a request; `body` is JSON-encoded unless it is a string. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  /**
   * Sends a request and parses the response body with `schema`, so the
   * test both types and checks the documented shape.
   */
  call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<z.output<S>>>;
  /** Stops the server and the service and removes DATA_DIR. */
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Extra environment for the configuration. */
  env?: Record<string, string>;
  /** Leave the service unstarted (to see 503s). Default false. */
  unstarted?: boolean;
  /** Use this DATA_DIR (kept on close) instead of a fresh one. */
  dataDir?: string;
  /** Extra mounts for the app. */
  routers?: AppOptions['routers'];
}

/** Starts a service, an app and a listener. */
export async function startTestServer(
  modelDir: string,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir('http');
  const config = testConfig(dataDir, modelDir, options.env);
  const service = openDedupService(config);
  if (!options.unstarted) await service.start();

  const app = createApp({
    service,
    config,
    logger: silentLogger(),
    routers: options.routers,
  });
  const running = await listen(app, '127.0.0.1', 0);

  const request = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => send(running.url, method, path, body, headers);

  return {
    url: running.url,
    config,
    dataDir,
    service,
    running,
    app,
    schemas: apiSchemas(config),
    request,
    async call(schema, method, path, body, headers) {
      const reply = await request(method, path, body, headers);
      const parsed = schema.safeParse(reply.body);
      if (!parsed.success) {
        throw new Error(
          `${method} ${path} answered ${reply.status} with a body that ` +
            `does not fit the schema: ${JSON.stringify(reply.body)}\n` +
            parsed.error.message,
        );
      }
      return { ...reply, body: parsed.data };
    },
    async close() {
      await running.stop(1000);
      await service.close();
      if (!options.dataDir) removeDir(dataDir);
    },
  };
}

async function send(
  url: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...headers };
  }
  const res = await fetch(`${url}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text === '' ? undefined : text;
  if (/json/.test(res.headers.get('content-type') ?? '') && text !== '') {
    parsed = JSON.parse(text);
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
