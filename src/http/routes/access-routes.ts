/**
 * `GET /v1/whoami`: the key a caller is using, so an operator can check
 * a key and the review page can show whom answers are recorded under.
 */
import { z } from 'zod';

import { ROLES } from '../../access/roles.js';
import { principalIn } from '../access-control.js';
import { defineRoute, type ApiRoute } from '../api-route.js';

const whoami = z
  .object({
    key: z
      .object({
        id: z.number().int(),
        prefix: z.string().describe('The first characters of the key.'),
        name: z.string().describe('The key name, or key-<id>.'),
        role: z.enum(ROLES),
      })
      .nullable()
      .describe('Null when no key exists and the service is open.'),
    reviewer: z
      .string()
      .nullable()
      .describe(
        'The reviewer answers are recorded under; null when the ' +
          'X-Reviewer header names them (no keys).',
      ),
  })
  .describe('The caller.');

/** The access routes, relative to `/v1`. */
export function accessRoutes(): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/whoami',
      tag: 'access',
      summary: 'The API key this request uses',
      access: 'any-key',
      responses: { 200: { description: 'The caller', schema: whoami } },
      handle: ({ res }) => {
        const principal = principalIn(res);
        return {
          body: {
            key: principal
              ? {
                  id: principal.keyId,
                  prefix: principal.prefix,
                  name: principal.name,
                  role: principal.role,
                }
              : null,
            reviewer: principal?.name ?? null,
          },
        };
      },
    }),
  ];
}
