/**
 * The last middleware: turns anything a route threw into a problem
 * response. Third-party errors (the JSON body parser's) are translated
 * here at the boundary; errors the service did not expect become
 * `internal` with no detail leaked, and are logged.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { sendProblem, statusOf } from './problem.js';
import { requestIdOf } from './request-logging.js';
import { notAnObject } from './validation.js';

/**
 * An error thrown by body-parser: it carries `status` and, mostly,
 * `type` (a body that fails to decompress has none, only `expose`).
 */
interface BodyParserError {
  type?: string;
  status?: number;
  length?: number;
  limit?: number;
  message: string;
}

/** Translates any thrown value to an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isPathDecodeError(err)) {
    // The router could not percent-decode a path parameter (`%ZZ`).
    return new AppError(
      ErrorCode.BadInput,
      `the path holds a broken percent-escape: ${err.message}`,
      { errors: [{ field: 'path', message: 'broken percent-escape' }] },
    );
  }
  if (isBodyParserError(err)) return fromBodyParser(err);
  return new AppError(ErrorCode.Internal, 'internal error', undefined, {
    cause: err,
  });
}

/** Answers every request no route took with `not_found`. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new AppError(
      ErrorCode.NotFound,
      `no route for ${req.method} ${req.path}; see /openapi.json`,
    ),
  );
};

/** Writes errors as problem responses; logs 500s with their cause. */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }

  const appError = toAppError(err);
  const requestId = requestIdOf(req);
  if (statusOf(appError.code) === 500) {
    req.log.error({ err, 'request.id': requestId }, 'request failed');
    if (appError.code === ErrorCode.Internal) {
      // Say where to look, not what broke.
      const hidden = new AppError(
        ErrorCode.Internal,
        `internal error; the server log has it under request id ${requestId}`,
      );
      sendProblem(res, hidden, requestId);
      return;
    }
  }
  sendProblem(res, appError, requestId);
};

function isPathDecodeError(err: unknown): err is URIError {
  return err instanceof URIError && 'status' in err && err.status === 400;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  if (!(err instanceof Error) || !('status' in err)) return false;
  if ('type' in err && typeof err.type === 'string') return true;
  // http-errors marks the client's own mistakes as safe to show.
  const status = Number(err.status);
  return (
    'expose' in err && err.expose === true && status >= 400 && status < 500
  );
}

function fromBodyParser(err: BodyParserError): AppError {
  switch (err.type) {
    case 'entity.too.large': {
      const limit = `${String(err.limit)} bytes (MAX_BODY_BYTES)`;
      // A chunked body declares no length.
      return new AppError(
        ErrorCode.TooLarge,
        err.length === undefined
          ? `the body is larger than the limit of ${limit}`
          : `the body is ${String(err.length)} bytes; the limit is ${limit}`,
      );
    }
    case 'entity.parse.failed':
      return notJsonObject(err);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        ErrorCode.BadInput,
        `unsupported body encoding: ${err.message}; send UTF-8 JSON`,
        { errors: [{ field: 'body', message: 'unsupported encoding' }] },
      );
    default:
      return new AppError(
        ErrorCode.BadInput,
        `the body could not be read: ${err.message}`,
        { errors: [{ field: 'body', message: 'unreadable body' }] },
      );
  }
}

/**
 * The parser refuses valid JSON that is not an object or array (`null`,
 * `"text"`, `42`) in the same way as broken JSON; the message tells the
 * two apart.
 */
function notJsonObject(err: BodyParserError & { body?: unknown }): AppError {
  if (typeof err.body === 'string') {
    try {
      return notAnObject(JSON.parse(err.body));
    } catch {
      // Not JSON at all: said below.
    }
  }
  return new AppError(
    ErrorCode.BadInput,
    `the body is not valid JSON: ${err.message}`,
    { errors: [{ field: 'body', message: 'malformed JSON' }] },
  );
}
