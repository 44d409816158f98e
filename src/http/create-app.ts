/**
 * The Express app: middleware, the `/v1` API, operational endpoints,
 * and any routers other parts mount (see {@link RouterMount}).
 *
 * Order: request id and logging, metrics, security headers, CORS, the
 * caller's API key, rate limit on /v1 (per key), a working key for
 * anything under /v1, JSON body (MAX_BODY_BYTES), routes each with
 * their role check, 404, errors. Keys are checked before bodies are
 * read, so callers without one cost little.
 */
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';

import { DEFAULT_ACCESS } from '../access/roles.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { DedupService } from '../service/dedup-service.js';
import type { AccessControl } from './access-control.js';
import { routerFrom, type RouteGuard } from './api-route.js';
import { apiSchemas } from './api-schemas.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { corsFor, rateLimiter, securityHeaders } from './guards.js';
import {
  createRegistry,
  registerServiceMetrics,
  requestMetrics,
} from './metrics.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import { requestLogging } from './request-logging.js';
import { requireUtf8 } from './validation.js';
import type { RouterMount } from './router-mount.js';
import { accessRoutes } from './routes/access-routes.js';
import { itemRoutes } from './routes/item-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { pairRoutes } from './routes/pair-routes.js';
import { searchRoutes } from './routes/search-routes.js';

/** Prefix of the versioned API. */
export const API_PREFIX = '/v1';

/** What the app is built from. */
export interface AppOptions {
  /** The dedup service; may still be starting (routes answer 503). */
  service: DedupService;
  /** Validated settings (limits, CORS, rate limit). */
  config: Config;
  /** Root logger; requests log through children with `request.id`. */
  logger: Logger;
  /**
   * More endpoints, mounted after the built-in ones, in order, and
   * listed in openapi.json. Default none.
   */
  routers?: readonly RouterMount[];
  /** Metrics registry to fill and expose at /metrics. Default: a new
   * one with the default process metrics. */
  registry?: Registry;
  /**
   * API keys and roles. Default none: every route is open, as tests
   * and embedders want; `serve` always passes one.
   */
  access?: AccessControl;
}

/** Builds the app. Listening is the caller's job. */
export function createApp(options: AppOptions): Express {
  const { service, config, logger } = options;
  const registry = options.registry ?? createRegistry();
  registerServiceMetrics(registry, service);

  const schemas = apiSchemas(config);
  const access = options.access;
  const api: RouterMount = {
    path: API_PREFIX,
    access: 'client',
    routes: [
      ...itemRoutes(service, schemas),
      ...searchRoutes(service, schemas),
      ...pairRoutes(service, schemas),
      ...(access ? accessRoutes() : []),
    ],
  };

  // The ops routes serve the document that describes them too.
  const built: { document?: OpenApiDocument } = {};
  const ops: RouterMount = {
    path: '',
    access: 'public',
    routes: opsRoutes(
      service,
      registry,
      () => built.document as OpenApiDocument,
    ),
  };
  const mounts = [ops, api, ...(options.routers ?? [])];
  built.document = buildOpenApi(mounts, schemas, { secured: !!access });

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(logger));
  app.use(requestMetrics(registry));
  app.use(securityHeaders());
  const cors = corsFor(config);
  if (cors) app.use(cors);
  if (access) app.use(access.identify);
  app.use(API_PREFIX, rateLimiter(config));
  if (access) app.use(API_PREFIX, access.require('any-key'));
  app.use(express.json({ limit: config.MAX_BODY_BYTES, verify: requireUtf8 }));

  for (const mount of mounts) {
    const at = mount.path === '' ? '/' : mount.path;
    const mountAccess = mount.access ?? DEFAULT_ACCESS;
    const guard: RouteGuard | undefined =
      access && ((route) => access.require(route.access ?? mountAccess));
    if (mount.routes) {
      app.use(at, routerFrom(mount.routes, mount.path, guard));
    }
    if (mount.router) {
      if (access) app.use(at, access.require(mountAccess));
      app.use(at, mount.router);
    }
  }

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
