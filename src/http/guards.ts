/**
 * Middleware that protects the API: security headers (helmet), CORS for
 * the configured origins only (none by default), and a rate limit per
 * API key, or per address for callers without one.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';

import type { Config } from '../config/config.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { principalIn } from './access-control.js';

/**
 * Standard security headers, less the policy that upgrades the page's
 * own requests to https: on a plain-HTTP deployment (a private network,
 * no TLS proxy) it would make browsers fetch the review page's script
 * and style from an https port that does not exist.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
}

/**
 * CORS for the comma-separated CORS_ORIGINS; undefined when it is empty,
 * so no cross-origin headers are sent at all.
 */
export function corsFor(config: Config): RequestHandler | undefined {
  const origins = config.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return undefined;
  return cors({ origin: origins, exposedHeaders: ['X-Request-Id'] });
}

/**
 * At most RATE_LIMIT_PER_MINUTE requests per minute for each API key
 * (identified by AccessControl.identify, which must run first), or for
 * each client address when the request has no working key; past it,
 * `rate_limited` (429) with RateLimit headers and Retry-After. Keys get
 * budgets of their own so that callers behind one proxy or NAT do not
 * share one.
 */
export function rateLimiter(config: Config): RequestHandler {
  const limit = config.RATE_LIMIT_PER_MINUTE;
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const principal = principalIn(res);
      return principal
        ? `key:${principal.keyId}`
        : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (_req, res, next) => {
      const principal = principalIn(res);
      const who = principal
        ? `API key ${principal.keyId} (${principal.prefix}) made`
        : 'this address made';
      next(
        new AppError(
          ErrorCode.RateLimited,
          `${who} more than ${limit} requests in a minute ` +
            '(RATE_LIMIT_PER_MINUTE); retry later',
          principal && { 'key.id': principal.keyId },
        ),
      );
    },
  });
}
