/** `/v1/items`: add texts (one or a batch), read and delete items. */
import type { DedupService } from '../../service/dedup-service.js';
import { defineRoute, type ApiRoute } from '../api-route.js';
import type { ApiSchemas } from '../api-schemas.js';
import { ingestJson, itemJson } from '../api-views.js';
import { errorResponses } from './common-responses.js';

/** The item routes, relative to `/v1`. */
export function itemRoutes(
  service: DedupService,
  schemas: ApiSchemas,
): ApiRoute[] {
  const toInput = (item: {
    text: string;
    external_id?: string;
    metadata?: Record<string, unknown> | null;
  }) => ({
    text: item.text,
    externalId: item.external_id ?? null,
    metadata: item.metadata ?? null,
  });

  return [
    defineRoute({
      method: 'post',
      path: '/items',
      tag: 'items',
      summary: 'Add a text and get its likely duplicates',
      description:
        'Stores the text, indexes it and returns the items stored before ' +
        'it that are within the model margin, nearest first. `duplicate` ' +
        'is true when the nearest is within the model threshold; it is ' +
        'advice: the item is stored either way.',
      body: schemas.newItem,
      responses: {
        201: { description: 'Stored', schema: schemas.ingestResult },
        ...errorResponses(400, 409, 413, 503),
      },
      handle: async ({ body }) => {
        const [result] = await service.ingest([toInput(body)]);
        return { status: 201, body: result && ingestJson(result) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/items/batch',
      tag: 'items',
      summary: 'Add up to MAX_BATCH_ITEMS texts in one transaction',
      description:
        'All or nothing. Each text is compared with the corpus and the ' +
        'earlier texts of the same batch.',
      body: schemas.newItems,
      responses: {
        201: { description: 'Stored', schema: schemas.ingestResults },
        ...errorResponses(400, 409, 413, 503),
      },
      handle: async ({ body }) => {
        const results = await service.ingest(body.items.map(toInput));
        return { status: 201, body: { results: results.map(ingestJson) } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/items/:id',
      tag: 'items',
      summary: 'Read an item',
      params: schemas.itemParams,
      responses: {
        200: { description: 'The item', schema: schemas.itemResponse },
        ...errorResponses(400, 404),
      },
      handle: ({ params }) => ({
        body: { item: itemJson(service.getItem(params.id)) },
      }),
    }),

    defineRoute({
      method: 'delete',
      path: '/items/:id',
      tag: 'items',
      summary: 'Delete an item',
      // Removing data is not a lookup client's business.
      access: 'admin',
      description:
        'Soft delete: the item leaves searches at once; its external id ' +
        'stays taken.',
      params: schemas.itemParams,
      responses: {
        204: { description: 'Deleted' },
        ...errorResponses(400, 404, 503),
      },
      handle: ({ params }) => {
        service.deleteItem(params.id);
        return { status: 204 };
      },
    }),
  ];
}
