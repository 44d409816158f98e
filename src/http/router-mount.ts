/**
 * How parts of the service add their own endpoints to the app. A mount
 * gives documented routes (served with validation and listed in
 * openapi.json), or a ready Express router with the OpenAPI path items
 * that describe it, or both.
 *
 * @example
 * // A training part adds POST /v1/train:
 * const train: RouterMount = {
 *   path: '/v1',
 *   routes: [defineRoute({ method: 'post', path: '/train', ... })],
 * };
 * // A review page adds its HTML under /review:
 * const review: RouterMount = {
 *   path: '/review',
 *   router: reviewPageRouter,
 *   paths: { '/review': { get: { summary: 'Review page', ... } } },
 * };
 * createApp({ service, config, logger, routers: [train, review] });
 */
import type { Router } from 'express';

import type { Access } from '../access/roles.js';
import type { ApiRoute } from './api-route.js';

/** An OpenAPI operation object keyed by lower-case method. */
export type PathItem = Record<string, Record<string, unknown>>;

/** A group of endpoints mounted at one path. */
export interface RouterMount {
  /** Mount path, e.g. `/v1` or `/review`; '' for the root. */
  path: string;
  /** Documented routes, relative to `path`. */
  routes?: readonly ApiRoute[];
  /** An Express router served at `path` after the routes. */
  router?: Router;
  /**
   * Who may call the mount's routes (those that do not say) and its
   * router, when API keys are in use. Default `admin`.
   */
  access?: Access;
  /**
   * OpenAPI path items for `router`, keyed by full path in OpenAPI form
   * (`/review/{id}`). Every route of `router` should have one, or the
   * openapi.json coverage test fails.
   */
  paths?: Record<string, PathItem>;
}
