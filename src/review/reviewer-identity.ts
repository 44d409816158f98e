/**
 * Who is reviewing. When an authentication layer has identified the
 * caller it leaves a principal in `res.locals.principal`, and its
 * `name` is the reviewer. Without one (the embedded default, no API
 * keys) the reviewer names themselves in the `X-Reviewer` header, which
 * must be 1 to 64 characters: letters, digits, space and `._@-`, not
 * starting or ending with a space.
 */
import type { Request, Response } from 'express';

import { AppError, ErrorCode } from '../errors/app-error.js';

/** The header naming the reviewer when no principal is set. */
export const REVIEWER_HEADER = 'X-Reviewer';

/** Longest reviewer name accepted from the header. */
export const MAX_REVIEWER_CHARS = 64;

/** What a reviewer name from the header must look like. */
export const REVIEWER_PATTERN =
  /^[A-Za-z0-9._@-](?:[A-Za-z0-9 ._@-]{0,62}[A-Za-z0-9._@-])?$/;

/**
 * The reviewer of a request: the principal's name if an authentication
 * layer set one, else the checked `X-Reviewer` header. Throws
 * `bad_input` naming the header when it is missing or malformed.
 */
export function reviewerOf(req: Request, res: Response): string {
  const principal = principalName(res.locals.principal);
  if (principal !== undefined) return principal;

  const given = req.get(REVIEWER_HEADER);
  if (given === undefined || given.trim() === '') {
    throw badReviewer(
      `send your reviewer name in the ${REVIEWER_HEADER} header`,
    );
  }
  if (given.length > MAX_REVIEWER_CHARS) {
    throw badReviewer(
      `${REVIEWER_HEADER} is ${given.length} characters long; the limit ` +
        `is ${MAX_REVIEWER_CHARS}`,
    );
  }
  if (!REVIEWER_PATTERN.test(given)) {
    throw badReviewer(
      `${REVIEWER_HEADER} may hold ASCII letters, digits, space and . _ @ - ` +
        '(no space at either end)',
    );
  }
  return given;
}

/** The `name` of a principal object, when it is a usable string. */
function principalName(principal: unknown): string | undefined {
  if (typeof principal !== 'object' || principal === null) return undefined;
  const name = (principal as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 && name.length <= 256
    ? name
    : undefined;
}

function badReviewer(message: string): AppError {
  return new AppError(ErrorCode.BadInput, message, {
    field: REVIEWER_HEADER,
  });
}
