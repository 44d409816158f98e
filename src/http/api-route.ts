/**
 * Routes described as data: method, path, schemas, documented responses
 * and a handler. One description makes both the Express route (with
 * validation) and its OpenAPI operation, so the two cannot drift.
 */
import express, {
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { z } from 'zod';

import type { Access } from '../access/roles.js';

import { parseRequestPart, refuseBody, refuseQuery } from './validation.js';

/** HTTP methods a route may use. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented response of a route. */
export interface ResponseDoc {
  /** What the response means. */
  description: string;
  /** Body schema; none for an empty body. Problems need none. */
  schema?: z.ZodType;
  /** Media type of the body. Default `application/json`, or
   * `application/problem+json` for statuses >= 400. */
  mediaType?: string;
}

/** What a handler receives: the parsed request parts. */
export interface RouteInput<B, Q, P> {
  /** The body, parsed by `body`; undefined without a body schema. */
  body: B;
  /** The query, parsed by `query`. */
  query: Q;
  /** The path parameters, parsed by `params`. */
  params: P;
  /** The raw request (for headers, `req.log`). */
  req: Request;
  /** The raw response, for handlers that write their own. */
  res: Response;
}

/** What a handler returns: status and JSON body, or `sent`. */
export type RouteReply = { status?: number; body?: unknown } | { sent: true };

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route: its documentation, its schemas and its handler. */
export interface ApiRoute<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
> {
  /** HTTP method. */
  method: HttpMethod;
  /** Express path relative to the mount point, e.g. `/items/:id`. */
  path: string;
  /** One line for the docs. */
  summary: string;
  /** More detail for the docs. */
  description?: string;
  /** OpenAPI tag grouping the route. */
  tag?: string;
  /**
   * Who may call it when API keys are in use. Default: the mount's
   * access, else `admin`.
   */
  access?: Access;
  /** Schema of the JSON body. */
  body?: B;
  /**
   * Schema of the query string (an object of strings). Without one the
   * route refuses any query parameter, unless `anyQuery` is set.
   */
  query?: Q;
  /**
   * True for routes that probes and browsers call (health, metrics,
   * docs), which ignore a query string rather than refuse it.
   */
  anyQuery?: boolean;
  /** Schema of the path parameters. */
  params?: P;
  /** Documented responses by status. */
  responses: Record<number, ResponseDoc>;
  /** Serves a validated request. Errors thrown become problems. */
  handle(
    input: RouteInput<Out<B>, Out<Q>, Out<P>>,
  ): RouteReply | Promise<RouteReply>;
}

/** Types a route's handler from its schemas; returns it unchanged. */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(route: ApiRoute<B, Q, P>): ApiRoute {
  return route;
}

/** Middleware to run before a route's handler, such as an access check. */
export type RouteGuard = (route: ApiRoute) => RequestHandler;

/**
 * An Express router serving `routes`: `guard` (if given) runs first,
 * then each request part is validated by its schema before the handler
 * runs; a reply is sent as JSON with its status (default 200; 204 sends
 * no body). `res.locals.route` is set to `mountPath + route.path` for
 * metrics.
 */
export function routerFrom(
  routes: readonly ApiRoute[],
  mountPath = '',
  guard?: RouteGuard,
): Router {
  const router = express.Router({ strict: true });

  for (const route of routes) {
    const named: RequestHandler = (_req, res, next) => {
      res.locals.route = `${mountPath}${route.path}`;
      next();
    };
    const guards = guard ? [guard(route)] : [];
    router[route.method](route.path, named, ...guards, async (req, res) => {
      if (!route.body) refuseBody(req.body);
      if (!route.query && !route.anyQuery) refuseQuery(req.query);
      const input = {
        body: route.body && parseRequestPart(route.body, req.body, 'body'),
        query: route.query && parseRequestPart(route.query, req.query, 'query'),
        params:
          route.params && parseRequestPart(route.params, req.params, 'params'),
        req,
        res,
      };

      const reply = await route.handle(input);
      if ('sent' in reply) return;
      const status = reply.status ?? 200;
      if (status === 204 || reply.body === undefined) {
        res.status(status).end();
      } else {
        res.status(status).json(reply.body);
      }
    });
  }
  return router;
}
