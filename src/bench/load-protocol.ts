/**
 * Messages between a benchmark part and the load-generating child
 * process (load-client.ts), which runs autocannon apart from the server
 * so that the two do not share an event loop.
 */
import type { LatencySummary } from './latency.js';

/** One kind of request in a traffic mix. */
export interface RequestKind {
  /** Name in the results, e.g. `search`. */
  name: string;
  /** Path on the server, e.g. `/v1/search`. */
  path: string;
  /** JSON bodies, used in turn, one per request of this kind. */
  bodies: string[];
  /** Requests of this kind in every `cycle` requests of a connection. */
  share: number;
}

/** What the child runs: sent once, as the first message. */
export interface LoadSpec {
  /** Base URL of the server, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Concurrent connections (each with one request in flight). */
  connections: number;
  /** Seconds to run; the parent may stop it earlier. */
  seconds: number;
  /** Requests per second over all connections; unset: as fast as it can. */
  rate?: number;
  kinds: RequestKind[];
}

/** The parent's request to stop early; the child then reports. */
export const STOP = 'stop';

/** Responses of one kind, by HTTP status. */
export type StatusCounts = Record<string, number>;

/** What the child reports when it is done. */
export interface LoadResult {
  /** Wall seconds the run lasted. */
  seconds: number;
  /** Responses received. */
  responses: number;
  /** Responses per second. */
  rate: number;
  /** Client-side latency of every response, ms. */
  latency: LatencySummary;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Responses not 2xx. */
  non2xx: number;
  /** Statuses by request kind. */
  statuses: Record<string, StatusCounts>;
}

/** Child to parent. */
export type ChildMessage =
  | { type: 'started' }
  | { type: 'done'; result: LoadResult }
  | { type: 'failed'; message: string };
