/**
 * The parts `serve` runs beside the dedup service once it has started:
 * training (retrain jobs, model versions, activation) and the review
 * queue. Both need a started service, yet their routes are mounted from
 * the first request through {@link LatePart} stand-ins, so the app and
 * openapi.json are complete at once and early callers get a 503 with a
 * Retry-After instead of a 404.
 *
 * @example
 * const parts = new ServeParts({ service, config, logger });
 * const app = createApp({ ..., routers: parts.mounts() });
 * await service.start();
 * parts.start();
 * // at shutdown, after the server stops and before service.close():
 * await parts.close();
 */
import type { Config } from '../config/config.js';
import { LatePart } from '../http/late-part.js';
import type { RouterMount } from '../http/router-mount.js';
import { trainingMount } from '../http/routes/training-routes.js';
import type { Logger } from '../logging/logger.js';
import { openReviewQueue, type OpenReview } from '../review/open-review.js';
import { reviewMounts } from '../review/review-mounts.js';
import type { ReviewQueue } from '../review/review-queue.js';
import type { DedupService } from '../service/dedup-service.js';
import {
  startTraining,
  type TrainingControl,
} from '../training/training-control.js';

/** What the parts are built over. */
export interface ServePartsOptions {
  /** The service; it must have started before {@link ServeParts.start}. */
  service: DedupService;
  /** Settings. */
  config: Config;
  /** Root logger. */
  logger: Logger;
}

/** Training and the review queue of one serving process. */
export class ServeParts {
  /** Training controls, bound by start(). */
  readonly training = new LatePart<TrainingControl>('training');
  /** The review queue, bound by start(). */
  readonly review = new LatePart<ReviewQueue>('the review queue');

  private openReview: OpenReview | undefined;

  constructor(private readonly options: ServePartsOptions) {}

  /** The training and review mounts, for createApp's `routers`. */
  mounts(): RouterMount[] {
    return [
      trainingMount(this.training.stand),
      ...reviewMounts(this.review.stand, this.options.service),
    ];
  }

  /**
   * Starts training and the review queue's background sweep. Call once,
   * after the service has started. Throws `bad_config` for inconsistent
   * review settings (training is then closed by close()).
   */
  start(): void {
    const { service, config, logger } = this.options;
    this.training.bind(startTraining({ service, config, logger }));

    this.openReview = openReviewQueue(service, config, { logger });
    this.openReview.queue.start();
    this.review.bind(this.openReview.queue);
  }

  /**
   * Stops the review queue, then training (which releases a running
   * job). Requests still in flight are told the service is stopping.
   * Call after the HTTP server has stopped and before the service
   * closes; safe when start() never ran.
   */
  async close(): Promise<void> {
    this.review.unbind();
    await this.openReview?.close();
    await this.training.unbind()?.close();
  }
}
