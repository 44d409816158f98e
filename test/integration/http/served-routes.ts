/**
 * The routes an Express app really serves, read from its router stack,
 * to compare with what openapi.json documents.
 */
import type { Express } from 'express';

import { openApiPath } from '../../../src/http/openapi.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every route `app` serves, as `method /openapi/{path}`. */
export function servedRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return fromStack(stack);
}

/** Every route documented in an OpenAPI `paths` object, same form. */
export function documentedRoutes(
  paths: Record<string, Record<string, unknown>>,
): string[] {
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method} ${path}`),
  );
}

function fromStack(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m} ${openApiPath(`${prefix}${layer.route?.path}`)}`);
    }
    if (layer.handle.stack) {
      const at = typeof layer.rawPath === 'string' ? layer.rawPath : '';
      return fromStack(layer.handle.stack, `${prefix}${at === '/' ? '' : at}`);
    }
    return [];
  });
}
