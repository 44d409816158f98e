/**
 * The reviewer's web page at `/review`: plain HTML, CSS and a script
 * module served from `src/review/page/`, with no build step and nothing
 * fetched from elsewhere, so it works offline and under the strict
 * Content-Security-Policy the app sends.
 */
import path from 'node:path';

import express, { type Router } from 'express';

import { projectRoot } from '../config/paths.js';
import type { PathItem } from '../http/router-mount.js';

/** The folder holding the page's files. */
export const reviewPageDir = path.join(projectRoot, 'src', 'review', 'page');

/** Where the page is mounted. */
export const REVIEW_PAGE_PATH = '/review';

/**
 * A router serving the page at its mount point and its assets (CSS,
 * script) beside it. Responses are not cached, so a new release is
 * seen on the next load.
 */
export function reviewPageRouter(dir = reviewPageDir): Router {
  const router = express.Router({ strict: true });
  const noStore = { headers: { 'Cache-Control': 'no-store' } };

  router.get('/', (_req, res, next) => {
    res.sendFile('index.html', { root: dir, ...noStore }, (err) => {
      if (err) next(err);
    });
  });
  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-store'),
    }),
  );
  return router;
}

/** OpenAPI path items describing the page and its assets. */
export const reviewPagePaths: Record<string, PathItem> = {
  [REVIEW_PAGE_PATH]: {
    get: {
      summary: 'The review page',
      description:
        'Shows reserved pairs side by side with their word differences ' +
        'marked, and records answers (keys d, n, s, u).',
      tags: ['review'],
      responses: {
        200: {
          description: 'The page',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
      },
    },
  },
  [`${REVIEW_PAGE_PATH}/{file}`]: {
    get: {
      summary: "The review page's style sheet and script",
      tags: ['review'],
      parameters: [
        {
          name: 'file',
          in: 'path',
          required: true,
          schema: { type: 'string', enum: ['review.css', 'review.js'] },
        },
      ],
      responses: {
        200: { description: 'The file' },
        404: { description: 'No such file (not_found)' },
      },
    },
  },
};
