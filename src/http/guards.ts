/**
 * Middleware that protects the API: security headers (helmet), CORS for
 * the configured origins only, and a per-address rate limit.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';

import type { Config } from '../config/config.js';
import { AppError, ErrorCode } from '../errors/app-error.js';

/** Standard security headers. */
export function securityHeaders(): RequestHandler {
  return helmet();
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
 * At most RATE_LIMIT_PER_MINUTE requests per client address per minute;
 * past it, `rate_limited` (429) with RateLimit headers.
 */
export function rateLimiter(config: Config): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.RATE_LIMIT_PER_MINUTE,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(
        new AppError(
          ErrorCode.RateLimited,
          `more than ${config.RATE_LIMIT_PER_MINUTE} requests in a ` +
            'minute (RATE_LIMIT_PER_MINUTE); retry later',
        ),
      );
    },
  });
}
