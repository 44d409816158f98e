/** Documented error responses shared by the routes. */
import type { ResponseDoc } from '../api-route.js';

const MEANINGS: Record<number, string> = {
  400: 'Invalid request (bad_input); `errors` names the fields',
  404: 'No such item (not_found)',
  409: 'External id already taken (conflict)',
  413: 'Body larger than MAX_BODY_BYTES (too_large)',
  429: 'Too many requests (rate_limited)',
  503: 'Model and index still loading (not_ready)',
};

/** Problem responses for `statuses`, keyed by status. */
export function errorResponses(
  ...statuses: number[]
): Record<number, ResponseDoc> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: MEANINGS[status] ?? 'Error' },
    ]),
  );
}
