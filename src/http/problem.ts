/**
 * The one place where error codes become HTTP statuses, and the shape
 * of every error response: RFC 9457 problem details
 * (`application/problem+json`) with the service's stable `code`.
 */
import type { Response } from 'express';

import { AppError, ErrorCode } from '../errors/app-error.js';

/** HTTP status of each error code. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.BadInput]: 400,
  [ErrorCode.BadFile]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.ReservationExpired]: 409,
  [ErrorCode.NotReserved]: 409,
  // A registered version whose files cannot be used: the request is
  // sound, the state of that version is not.
  [ErrorCode.ModelInvalid]: 409,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.BadConfig]: 500,
  [ErrorCode.IndexCorrupt]: 500,
  [ErrorCode.Storage]: 500,
  [ErrorCode.Internal]: 500,
  [ErrorCode.NotReady]: 503,
  [ErrorCode.QueueUnavailable]: 503,
};

/** Short human title of each error code. */
export const TITLE_BY_CODE: Readonly<Record<ErrorCode, string>> = {
  [ErrorCode.BadInput]: 'Bad input',
  [ErrorCode.BadFile]: 'Bad file',
  [ErrorCode.Unauthorized]: 'Unauthorized',
  [ErrorCode.Forbidden]: 'Forbidden',
  [ErrorCode.NotFound]: 'Not found',
  [ErrorCode.Conflict]: 'Conflict',
  [ErrorCode.ReservationExpired]: 'Reservation expired',
  [ErrorCode.NotReserved]: 'Pair not reserved for you',
  [ErrorCode.TooLarge]: 'Too large',
  [ErrorCode.RateLimited]: 'Too many requests',
  [ErrorCode.BadConfig]: 'Server misconfigured',
  [ErrorCode.ModelInvalid]: 'Model unusable',
  [ErrorCode.IndexCorrupt]: 'Index damaged',
  [ErrorCode.Storage]: 'Storage failure',
  [ErrorCode.Internal]: 'Internal error',
  [ErrorCode.NotReady]: 'Not ready',
  [ErrorCode.QueueUnavailable]: 'Queue unavailable',
};

/** The media type of error responses. */
export const PROBLEM_TYPE = 'application/problem+json';

/**
 * The detail key an AppError uses to ask the client to come back later:
 * a number of seconds, sent as the `Retry-After` header.
 */
export const RETRY_AFTER_DETAIL = 'retryAfterSeconds';

/** One field that failed validation. */
export interface FieldError {
  /** Dotted path of the field, e.g. `items.3.text`; `body` for the body. */
  field: string;
  /** What was expected. */
  message: string;
}

/** An error response body. */
export interface Problem {
  /** `urn:siamese-dedup:problem:<code>`. */
  type: string;
  /** Short title of the kind of error. */
  title: string;
  /** HTTP status, repeated. */
  status: number;
  /** What went wrong with this request. */
  detail: string;
  /** Stable machine-readable code. */
  code: ErrorCode;
  /** Fields that failed validation, for `bad_input`. */
  errors?: FieldError[];
  /** The request id, as in the X-Request-Id header. */
  request_id?: string;
}

/** The HTTP status for an error code. */
export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** The problem body for `err`; `requestId` is copied in when given. */
export function problemOf(err: AppError, requestId?: string): Problem {
  const status = statusOf(err.code);
  const problem: Problem = {
    type: `urn:siamese-dedup:problem:${err.code}`,
    title: TITLE_BY_CODE[err.code],
    status,
    detail: err.message,
    code: err.code,
  };

  const errors = fieldErrors(err);
  if (errors) problem.errors = errors;
  if (requestId) problem.request_id = requestId;
  return problem;
}

/** Writes `err` as a problem response, with Retry-After when it asks. */
export function sendProblem(
  res: Response,
  err: AppError,
  requestId?: string,
): void {
  const problem = problemOf(err, requestId);
  const retryAfter = err.details?.[RETRY_AFTER_DETAIL];
  if (typeof retryAfter === 'number') {
    res.set('Retry-After', String(Math.ceil(retryAfter)));
  }
  res.status(problem.status).type(PROBLEM_TYPE).json(problem);
}

/**
 * Field errors carried by `err`: its `errors` detail, or one entry for
 * a `field` detail.
 */
function fieldErrors(err: AppError): FieldError[] | undefined {
  const details = err.details ?? {};
  if (Array.isArray(details.errors)) return details.errors as FieldError[];
  if (typeof details.field === 'string') {
    return [{ field: details.field, message: err.message }];
  }
  return undefined;
}
