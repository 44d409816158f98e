/**
 * Operational endpoints at the root: liveness, readiness, metrics, the
 * OpenAPI document and the docs page.
 */
import type { Registry } from 'prom-client';
import { z } from 'zod';

import { AppError, ErrorCode } from '../../errors/app-error.js';
import type { DedupService } from '../../service/dedup-service.js';
import { defineRoute, type ApiRoute } from '../api-route.js';
import { renderDocsPage } from '../docs-page.js';
import type { OpenApiDocument } from '../openapi.js';
import { errorResponses } from './common-responses.js';

/**
 * The root routes. `document` returns the finished OpenAPI document;
 * it is called per request, after the app has been assembled.
 */
export function opsRoutes(
  service: DedupService,
  registry: Registry,
  document: () => OpenApiDocument,
): ApiRoute[] {
  let docsPage: string | undefined;

  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      tag: 'operations',
      anyQuery: true,
      summary: 'Liveness: the process is up',
      responses: {
        200: {
          description: 'Up',
          schema: z.object({ status: z.literal('ok') }),
        },
      },
      handle: () => ({ body: { status: 'ok' } }),
    }),

    defineRoute({
      method: 'get',
      path: '/readyz',
      tag: 'operations',
      anyQuery: true,
      summary: 'Readiness: the model and index are loaded',
      responses: {
        200: {
          description: 'Ready',
          schema: z.object({
            status: z.literal('ready'),
            model_version: z.string(),
            index_size: z.number().int(),
          }),
        },
        ...errorResponses(503),
      },
      handle: () => {
        const status = service.status();
        if (!status.ready || status.modelVersion === null) {
          throw new AppError(
            ErrorCode.NotReady,
            'the model and index are still loading',
          );
        }
        return {
          body: {
            status: 'ready',
            model_version: status.modelVersion,
            index_size: status.indexSize,
          },
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/metrics',
      tag: 'operations',
      anyQuery: true,
      summary: 'Prometheus metrics',
      responses: {
        200: {
          description: 'Text exposition format',
          schema: z.string(),
          mediaType: 'text/plain',
        },
      },
      handle: async ({ res }) => {
        const text = await registry.metrics();
        res.type(registry.contentType).send(text);
        return { sent: true };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/openapi.json',
      tag: 'operations',
      anyQuery: true,
      summary: 'This API as an OpenAPI 3.1 document',
      responses: {
        200: { description: 'The document', schema: z.looseObject({}) },
      },
      handle: () => ({ body: document() }),
    }),

    defineRoute({
      method: 'get',
      path: '/docs',
      tag: 'operations',
      anyQuery: true,
      summary: 'The routes of openapi.json as an HTML page',
      responses: {
        200: {
          description: 'HTML',
          schema: z.string(),
          mediaType: 'text/html',
        },
      },
      handle: ({ res }) => {
        docsPage ??= renderDocsPage(document());
        res.type('html').send(docsPage);
        return { sent: true };
      },
    }),
  ];
}
