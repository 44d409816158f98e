/**
 * Everything the review queue adds to the app, ready for createApp's
 * `routers`: the API under `/v1` and the page under `/review`.
 *
 * @example
 * const review = openReviewQueue(service, config, { logger });
 * review.queue.start();
 * const app = createApp({
 *   service, config, logger,
 *   routers: reviewMounts(review.queue, service),
 * });
 * // at shutdown, before the service closes:
 * await review.close();
 */
import type { RouterMount } from '../http/router-mount.js';
import type { DedupService } from '../service/dedup-service.js';
import {
  REVIEW_PAGE_PATH,
  reviewPagePaths,
  reviewPageRouter,
} from './review-page.js';
import type { ReviewQueue } from './review-queue.js';
import { reviewRoutes } from './review-routes.js';

/** The API and page mounts of the review queue. */
export function reviewMounts(
  queue: ReviewQueue,
  service: DedupService,
): RouterMount[] {
  return [
    { path: '/v1', access: 'reviewer', routes: reviewRoutes(queue, service) },
    {
      path: REVIEW_PAGE_PATH,
      // The page holds no data; it asks for a key to call the API with.
      access: 'public',
      router: reviewPageRouter(),
      paths: reviewPagePaths,
    },
  ];
}
