/**
 * A part of the service that exists only after the app is built, such
 * as training or the review queue, which need a started service. Route
 * factories take their part as a plain object; giving them the
 * stand-in of a LatePart lets the app, and openapi.json with every
 * route, be assembled before the part exists. Until the part is bound,
 * and again once shutdown has begun, any use of the stand-in throws
 * `not_ready` (503) with a Retry-After.
 *
 * @example
 * const training = new LatePart<TrainingControl>('training');
 * const app = createApp({ ..., routers: [trainingMount(training.stand)] });
 * await service.start();
 * training.bind(startTraining({ service, config, logger }));
 * // at shutdown:
 * await training.unbind()?.close();
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import { RETRY_AFTER_DETAIL } from './problem.js';

/** Seconds a client is told to wait while a part starts. Default 5. */
export const LATE_PART_RETRY_SECONDS = 5;

type Phase = 'starting' | 'bound' | 'stopped';

/** A part bound after start-up, used through {@link LatePart.stand}. */
export class LatePart<T extends object> {
  /**
   * Stands in for the part: reading a property forwards to the bound
   * part (methods stay bound to it), or throws `not_ready`.
   */
  readonly stand: T;

  private part: T | undefined;
  private phase: Phase = 'starting';

  /**
   * `name` is said in the 503 detail, e.g. `training`; `retryAfter` is
   * in seconds (default {@link LATE_PART_RETRY_SECONDS}).
   */
  constructor(
    readonly name: string,
    private readonly retryAfter = LATE_PART_RETRY_SECONDS,
  ) {
    this.stand = new Proxy({} as T, {
      get: (_target, key) => {
        const part = this.require();
        const value: unknown = Reflect.get(part, key, part);
        if (typeof value !== 'function') return value;
        // Route handlers pass methods around; keep `this` the part.
        const method = value as (...args: unknown[]) => unknown;
        return method.bind(part);
      },
    });
  }

  /** True while a part is bound. */
  get bound(): boolean {
    return this.phase === 'bound';
  }

  /** Makes `part` serve through the stand-in. Throws if one is bound. */
  bind(part: T): void {
    if (this.phase !== 'starting') {
      throw new Error(`${this.name} is already ${this.phase}`);
    }
    this.part = part;
    this.phase = 'bound';
  }

  /**
   * Detaches the part, so later requests are told the service is
   * stopping, and returns it (undefined if none was bound) for closing.
   */
  unbind(): T | undefined {
    const part = this.part;
    this.part = undefined;
    this.phase = 'stopped';
    return part;
  }

  /** The bound part; throws `not_ready` with a Retry-After otherwise. */
  require(): T {
    if (this.part) return this.part;
    const message =
      this.phase === 'stopped'
        ? `${this.name} has stopped: the service is shutting down`
        : `${this.name} is starting: the model and index are still ` +
          `loading; retry in ${this.retryAfter} s`;
    throw new AppError(ErrorCode.NotReady, message, {
      part: this.name,
      [RETRY_AFTER_DETAIL]: this.retryAfter,
    });
  }
}
