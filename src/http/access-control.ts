/**
 * API keys at the HTTP boundary. `identify` reads the key a request
 * presents (`Authorization: Bearer <key>` or `X-API-Key`) and leaves the
 * caller in `res.locals.principal`; it refuses nothing, so the rate limit
 * that follows can count by key, and by address for everyone else.
 * `require(access)` then answers `unauthorized` (401) without a working
 * key and `forbidden` (403) for a key whose role does not grant the
 * route.
 *
 * While no key exists the service is open, but only to connections that
 * arrive over loopback, unless ALLOW_OPEN_ACCESS is set: so revoking the
 * last key of a server listening on every interface closes it rather
 * than opening it.
 */
import type { Request, RequestHandler, Response } from 'express';

import { keyName, type ApiKey, type ApiKeyStore } from '../access/key-store.js';
import { isLoopback } from '../access/listen-host.js';
import { roleGrants, type Access, type Role } from '../access/roles.js';
import { AppError, ErrorCode } from '../errors/app-error.js';

/** The header that may carry a key instead of Authorization. */
export const KEY_HEADER = 'X-API-Key';

/** The caller a working key identifies. */
export interface Principal {
  /** The key's id. */
  keyId: number;
  /** The key's non-secret prefix. */
  prefix: string;
  /** The key's name, or `key-<id>`; reviewers are recorded under it. */
  name: string;
  /** The key's role. */
  role: Role;
}

/** Options of {@link AccessControl}. */
export interface AccessControlOptions {
  /** Where keys are kept. */
  keys: ApiKeyStore;
  /**
   * While no key exists, serve callers without a key on every
   * interface, not only over loopback (ALLOW_OPEN_ACCESS). Default false.
   */
  allowOpenAccess?: boolean;
}

/** What identify() found, kept per request in `res.locals`. */
interface Presented {
  /** A key was sent but is unknown, revoked or malformed. */
  refused: boolean;
  /** The Authorization scheme when it is not Bearer, e.g. `Basic`. */
  otherScheme?: string;
}

/** Decides who may call what. */
export class AccessControl {
  private readonly keys: ApiKeyStore;
  private readonly allowOpenAccess: boolean;

  constructor(options: AccessControlOptions) {
    this.keys = options.keys;
    this.allowOpenAccess = options.allowOpenAccess ?? false;
  }

  /** Sets `res.locals.principal` for a working key; never refuses. */
  readonly identify: RequestHandler = (req, res, next) => {
    const secret = presentedKey(req);
    const presented: Presented = { refused: false, otherScheme: undefined };
    res.locals.presented = presented;
    const scheme = /^(\S+)/.exec(req.get('Authorization') ?? '')?.[1];
    if (scheme && scheme.toLowerCase() !== 'bearer') {
      presented.otherScheme = scheme.slice(0, 32);
    }
    if (secret === undefined) {
      next();
      return;
    }

    const key = this.keys.findActive(secret);
    if (key) res.locals.principal = principalOf(key);
    else presented.refused = true;
    next();
  };

  /** Middleware letting through only callers `access` admits. */
  require(access: Access): RequestHandler {
    return (req, res, next) => {
      if (access === 'public') {
        next();
        return;
      }
      const principal = principalIn(res);
      if (!principal) {
        const refusal = this.refusal(req, res);
        if (refusal) res.set('WWW-Authenticate', 'Bearer');
        next(refusal);
        return;
      }
      if (access === 'any-key' || roleGrants(principal.role, access)) {
        next();
        return;
      }
      next(
        new AppError(
          ErrorCode.Forbidden,
          `API key ${principal.keyId} (${principal.prefix}) has the role ` +
            `${principal.role}; ${req.method} ${req.originalUrl} needs ` +
            `${access}`,
          { 'key.id': principal.keyId },
        ),
      );
    };
  }

  /** Why a caller without a working key is refused; undefined if not. */
  private refusal(req: Request, res: Response): AppError | undefined {
    const presented = res.locals.presented as Presented | undefined;
    if (presented?.otherScheme) {
      return new AppError(
        ErrorCode.Unauthorized,
        'send the API key as "Authorization: Bearer <key>" or in the ' +
          `${KEY_HEADER} header; the ${presented.otherScheme} scheme is ` +
          'not used',
      );
    }
    if (presented?.refused) {
      return new AppError(
        ErrorCode.Unauthorized,
        'the API key is unknown or has been revoked',
      );
    }
    if (this.keys.hasActive()) {
      return new AppError(
        ErrorCode.Unauthorized,
        'this endpoint needs an API key: send it as ' +
          `"Authorization: Bearer <key>" or in the ${KEY_HEADER} header`,
      );
    }
    if (this.allowOpenAccess || isLoopback(req.socket.localAddress)) {
      return undefined;
    }
    return new AppError(
      ErrorCode.Unauthorized,
      'no API key exists, so only loopback callers are served; create ' +
        'one with `siamese-dedup keys create --role ROLE` or set ' +
        'ALLOW_OPEN_ACCESS=true',
    );
  }
}

/** The principal identify() left, if any. */
export function principalIn(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/**
 * The key a request sends: the Bearer token, else X-API-Key. Another
 * Authorization scheme counts as a key that does not work ('' never
 * matches), so it is refused rather than ignored.
 */
function presentedKey(req: Request): string | undefined {
  const authorization = req.get('Authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? '';
  }
  return req.get(KEY_HEADER)?.trim();
}

function principalOf(key: ApiKey): Principal {
  return {
    keyId: key.id,
    prefix: key.prefix,
    name: keyName(key),
    role: key.role,
  };
}
