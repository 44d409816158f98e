/**
 * Request logging and request ids. Every request gets an id: the
 * caller's `X-Request-Id` when it is a sane token (1 to 128 letters,
 * digits and `._:-`), else a fresh UUID. The id is echoed in the
 * response's X-Request-Id header and logged as `request.id`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';

import type { Logger } from '../logging/logger.js';

/** The header carrying request ids both ways. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Routes that health checkers and scrapers call every few seconds: their
 * lines go at debug, so that polling does not bury the log.
 */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** The caller's id if sane, else a new UUID. */
export function chooseRequestId(given: string | string[] | undefined): string {
  const id = Array.isArray(given) ? given[0] : given;
  return id !== undefined && SANE_ID.test(id) ? id : randomUUID();
}

/** The id given to `req` by the logging middleware. */
export function requestIdOf(req: Request): string {
  const id: unknown = req.id;
  return typeof id === 'string' ? id : JSON.stringify(id);
}

/**
 * pino-http middleware logging one line per request at `info` (`warn`
 * for 4xx and 503, `error` for other 5xx; probes at `debug` unless they
 * fail otherwise) with `request.id`, and setting `req.log`.
 * Authorization headers are redacted.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = chooseRequestId(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customAttributeKeys: { reqId: 'request.id' },
    // Every line of a request, its own and the completion line, then
    // carries the id under the same top-level key.
    quietReqLogger: true,
    customLogLevel: (req, res, err) => {
      const probe = PROBES.has((req.url ?? '').split('?')[0] ?? '');
      // 503 means "still starting" or "shutting down": expected, not a bug.
      if (res.statusCode === 503) return probe ? 'debug' : 'warn';
      if (err || res.statusCode >= 500) return 'error';
      if (probe) return 'debug';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
  });
}
