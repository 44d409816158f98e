/**
 * Prometheus metrics on their own registry (so several apps can live in
 * one process, as in tests): request latency by route, method and
 * status; index and corpus sizes; the serving model version; and the
 * default process metrics. Other parts may register more metrics on
 * the same registry.
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

import type { DedupService } from '../service/dedup-service.js';

/** Label of requests no route took. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Latency buckets, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A fresh registry with the default process metrics. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Registers the service's gauges on `registry`: `dedup_index_items`,
 * `dedup_index_deleted`, `dedup_index_search_ef`, `dedup_items{state}` and
 * `dedup_model_info{version}` (1 for the serving version).
 */
export function registerServiceMetrics(
  registry: Registry,
  service: DedupService,
): void {
  new Gauge({
    name: 'dedup_index_items',
    help: 'Live entries in the nearest-neighbour index',
    registers: [registry],
    collect() {
      this.set(service.status().indexSize);
    },
  });
  new Gauge({
    name: 'dedup_index_deleted',
    help: 'Deleted entries still taking room in the index graph',
    registers: [registry],
    collect() {
      this.set(service.status().indexDeleted);
    },
  });
  new Gauge({
    name: 'dedup_index_search_ef',
    help: 'Beam width of index searches: HNSW_EF, widened past 100,000 entries',
    registers: [registry],
    collect() {
      const ef = service.status().indexEf;
      if (ef !== null) this.set(ef);
    },
  });
  new Gauge({
    name: 'dedup_items',
    help: 'Items in SQLite by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = service.items.count();
      this.set({ state: 'live' }, counts.live);
      this.set({ state: 'deleted' }, counts.deleted);
    },
  });
  new Gauge({
    name: 'dedup_model_info',
    help: 'The serving model version (value 1)',
    labelNames: ['version'],
    registers: [registry],
    collect() {
      this.reset();
      const version = service.status().modelVersion;
      if (version !== null) this.set({ version }, 1);
    },
  });
}

/**
 * Middleware timing every request into
 * `http_request_duration_seconds{route,method,status}`. The route is
 * the matched pattern (e.g. `/v1/items/:id`), never the raw path, so
 * the label set stays small.
 */
export function requestMetrics(registry: Registry): RequestHandler {
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds',
    labelNames: ['route', 'method', 'status'],
    buckets: BUCKETS,
    registers: [registry],
  });

  return (req, res, next) => {
    const stop = histogram.startTimer();
    res.on('finish', () => {
      stop({
        route: routeLabel(
          res.locals.route,
          req.baseUrl,
          req.route as { path?: unknown } | undefined,
        ),
        method: req.method,
        status: String(res.statusCode),
      });
    });
    next();
  };
}

function routeLabel(
  declared: unknown,
  baseUrl: string,
  route: { path?: unknown } | undefined,
): string {
  if (typeof declared === 'string') return declared;
  if (route && typeof route.path === 'string') return `${baseUrl}${route.path}`;
  return UNMATCHED_ROUTE;
}
