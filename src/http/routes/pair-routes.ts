/** `/v1/pairs`: labelled pairs from API callers, and listing them. */
import type { DedupService } from '../../service/dedup-service.js';
import type { PairInput } from '../../service/service-types.js';
import { defineRoute, type ApiRoute } from '../api-route.js';
import type { ApiSchemas } from '../api-schemas.js';
import { pairJson } from '../api-views.js';
import { errorResponses } from './common-responses.js';

interface PairBody {
  a_id?: number;
  a?: string;
  b_id?: number;
  b?: string;
  label: 0 | 1;
}

/** The pair routes, relative to `/v1`. */
export function pairRoutes(
  service: DedupService,
  schemas: ApiSchemas,
): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/pairs',
      tag: 'pairs',
      summary: 'Label a pair as duplicate (1) or not (0)',
      description:
        'Each side is a stored item (`a_id`, `b_id`) or a bare text ' +
        '(`a`, `b`). Stored with source `api`.',
      body: schemas.newPair,
      responses: {
        201: { description: 'Stored', schema: schemas.pairResponse },
        ...errorResponses(400, 404, 413),
      },
      handle: ({ body }) => {
        const [pair] = service.addPairs(
          [toPairInput(body)],
          { source: 'api', who: body.who ?? null },
          '',
        );
        return { status: 201, body: { pair: pair && pairJson(pair) } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/pairs/batch',
      tag: 'pairs',
      summary: 'Label up to MAX_BATCH_ITEMS pairs in one transaction',
      body: schemas.newPairs,
      responses: {
        201: { description: 'Stored', schema: schemas.pairsResponse },
        ...errorResponses(400, 404, 413),
      },
      handle: ({ body }) => {
        const pairs = service.addPairs(
          body.pairs.map(toPairInput),
          { source: 'api', who: body.who ?? null },
          'pairs',
        );
        return { status: 201, body: { pairs: pairs.map(pairJson) } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/pairs',
      tag: 'pairs',
      summary: 'List labelled pairs, oldest first',
      description:
        'Page with `offset`, or with `after` set to the previous ' +
        "page's `next_after` (stable while pairs are added); not both.",
      query: schemas.pairQuery,
      responses: {
        200: { description: 'One page', schema: schemas.pairPage },
        ...errorResponses(400),
      },
      handle: ({ query }) => {
        const page = service.listPairs(query);
        return {
          body: {
            pairs: page.pairs.map(pairJson),
            next_after: page.nextAfter,
            total: page.total,
          },
        };
      },
    }),
  ];
}

function toPairInput(body: PairBody): PairInput {
  return {
    a: body.a_id !== undefined ? { itemId: body.a_id } : { text: body.a ?? '' },
    b: body.b_id !== undefined ? { itemId: body.b_id } : { text: body.b ?? '' },
    label: body.label,
  };
}
