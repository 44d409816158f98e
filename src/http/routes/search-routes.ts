/** `/v1/search` and `/v1/score`: nearest items, and one pair's energy. */
import type { DedupService } from '../../service/dedup-service.js';
import { defineRoute, type ApiRoute } from '../api-route.js';
import { DEFAULT_K, type ApiSchemas } from '../api-schemas.js';
import { errorResponses } from './common-responses.js';

/** The search and score routes, relative to `/v1`. */
export function searchRoutes(
  service: DedupService,
  schemas: ApiSchemas,
): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/search',
      tag: 'search',
      summary: 'Find the stored items nearest to a text',
      description:
        'Returns up to k live items, nearest (lowest energy) first, ' +
        'only those with energy <= max_energy when it is given.',
      body: schemas.searchRequest,
      responses: {
        200: { description: 'Nearest first', schema: schemas.searchResponse },
        ...errorResponses(400, 413, 503),
      },
      handle: async ({ body }) => {
        const k = body.k ?? Math.min(DEFAULT_K, service.config.MAX_K);
        const results = await service.search(body.text, k, body.max_energy);
        return { body: { results } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/score',
      tag: 'search',
      summary: 'Energy and verdict for two texts',
      body: schemas.scoreRequest,
      responses: {
        200: { description: 'The score', schema: schemas.scoreResponse },
        ...errorResponses(400, 413, 503),
      },
      handle: async ({ body }) => ({
        body: await service.score(body.a, body.b),
      }),
    }),
  ];
}
