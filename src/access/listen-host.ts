/**
 * Where `serve` listens, given the API keys. With no key the service
 * has no way to tell callers apart, so it listens on loopback only,
 * whatever HOST or --host say, unless ALLOW_OPEN_ACCESS is set; either
 * way it says so in a warning. With keys it listens where asked, on
 * every interface by default.
 */

/** The loopback interface used while no key exists. */
export const LOOPBACK_HOST = '127.0.0.1';

/** The interface used with keys when none is asked for. */
export const ALL_INTERFACES = '0.0.0.0';

/** What decides the interface. */
export interface HostRequest {
  /** --host, else HOST; undefined when neither is given. */
  requested: string | undefined;
  /** True when at least one key is not revoked. */
  keysExist: boolean;
  /** ALLOW_OPEN_ACCESS. */
  allowOpenAccess: boolean;
}

/** The interface to listen on and what to warn about. */
export interface HostChoice {
  /** Address to bind. */
  host: string;
  /** A warning to log at start-up, when there is one. */
  warning?: string;
}

const CREATE_KEY =
  'create one with `siamese-dedup keys create --role admin` (keys apply ' +
  'at once; listening beyond loopback then takes a restart)';

/** Picks the interface; see the module comment. */
export function chooseHost(request: HostRequest): HostChoice {
  const { requested, keysExist, allowOpenAccess } = request;
  if (keysExist) return { host: requested ?? ALL_INTERFACES };

  const host = requested ?? LOOPBACK_HOST;
  if (allowOpenAccess) {
    return {
      host,
      warning:
        `no API key exists and ALLOW_OPEN_ACCESS is set: anyone who can ` +
        `reach ${host} can use every endpoint, training and deletion ` +
        'included',
    };
  }
  if (!isLoopback(host)) {
    return {
      host: LOOPBACK_HOST,
      warning:
        `no API key exists, so listening on ${LOOPBACK_HOST} only, not ` +
        `${host} as asked; ${CREATE_KEY}, or set ALLOW_OPEN_ACCESS=true`,
    };
  }
  return {
    host,
    warning:
      `no API key exists: every endpoint is open to local callers ` +
      `on ${host}; ${CREATE_KEY}`,
  };
}

/**
 * True for a loopback address or name: 127.0.0.0/8 (also IPv4-mapped),
 * ::1 and `localhost`.
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return bare === '::1' || bare === 'localhost' || /^127\./.test(v4);
}
