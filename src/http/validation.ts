/**
 * Request validation with zod: a failed parse becomes one `bad_input`
 * error listing every bad field by its dotted path.
 */
import { isUtf8 } from 'node:buffer';

import type { z } from 'zod';

import { AppError, ErrorCode } from '../errors/app-error.js';
import type { FieldError } from './problem.js';

/** Which part of the request a schema checks. */
export type RequestPart = 'body' | 'query' | 'params';

/**
 * Parses `value` with `schema`; throws `bad_input` with one FieldError
 * per problem. A missing body (no JSON Content-Type) gets its own
 * message.
 */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: RequestPart,
): z.output<S> {
  if (part === 'body' && value === undefined) {
    throw new AppError(
      ErrorCode.BadInput,
      'the body must be a JSON object sent with ' +
        'Content-Type: application/json',
      { errors: [{ field: 'body', message: 'missing JSON body' }] },
    );
  }

  if (
    part === 'body' &&
    (typeof value !== 'object' || value === null || Array.isArray(value))
  ) {
    throw notAnObject(value);
  }

  if (part === 'query') refuseRepeatedParameters(value);

  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;

  const errors = fieldErrors(parsed.error.issues, part);
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  throw new AppError(ErrorCode.BadInput, `invalid ${part}: ${summary}`, {
    errors,
  });
}

/**
 * The query parser makes a parameter given twice an array, which no
 * query schema takes; this says what happened instead.
 */
function refuseRepeatedParameters(query: unknown): void {
  if (typeof query !== 'object' || query === null) return;
  const repeated = Object.entries(query).filter(([, v]) => Array.isArray(v));
  if (repeated.length === 0) return;
  const names = repeated.map(([key]) => key);
  throw new AppError(
    ErrorCode.BadInput,
    `query parameters given more than once: ${names.join(', ')}; give ` +
      'each once',
    {
      errors: names.map((field) => ({
        field,
        message: 'given more than once',
      })),
    },
  );
}

/** `bad_input` for a JSON body that holds `value`, not an object. */
export function notAnObject(value: unknown): AppError {
  const kind =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : `a ${typeof value}`;
  return new AppError(
    ErrorCode.BadInput,
    `the body must be a JSON object; got ${kind}`,
    { errors: [{ field: 'body', message: 'not a JSON object' }] },
  );
}

/** Flattens zod issues into field errors; unknown keys get one each. */
export function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  part: RequestPart,
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: [...at, key].join('.'), message: 'unknown field' });
      }
      continue;
    }
    const field = at.length === 0 ? part : at.join('.');
    if (!out.some((e) => e.field === field && e.message === issue.message)) {
      out.push({ field, message: issue.message });
    }
  }
  return out;
}

/**
 * The JSON body parser's `verify` hook: refuses a body that is not
 * valid UTF-8, or is declared in another charset, with `bad_input`.
 * Without it the parser would quietly replace bad bytes with U+FFFD, or
 * decode UTF-8 bytes labelled utf-16 as UTF-16, and store a text nobody
 * sent.
 */
export function requireUtf8(
  req: { headers: { 'content-type'?: string } },
  _res: unknown,
  body: Buffer,
): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(
    req.headers['content-type'] ?? '',
  )?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new AppError(
      ErrorCode.BadInput,
      `the body is declared as charset ${JSON.stringify(charset)}; ` +
        'send JSON encoded as UTF-8',
      { errors: [{ field: 'body', message: 'not UTF-8' }] },
    );
  }
  if (isUtf8(body)) return;
  throw new AppError(
    ErrorCode.BadInput,
    'the body is not valid UTF-8; send JSON encoded as UTF-8',
    { errors: [{ field: 'body', message: 'invalid UTF-8' }] },
  );
}

/**
 * For routes that take no query parameters: refuses any, so that one
 * sent by mistake (a `k` on a route that has none) is reported rather
 * than ignored.
 */
export function refuseQuery(query: unknown): void {
  const keys =
    typeof query === 'object' && query !== null ? Object.keys(query) : [];
  if (keys.length === 0) return;
  throw new AppError(
    ErrorCode.BadInput,
    `this route takes no query parameters (got ${keys.join(', ')})`,
    {
      errors: keys.map((field) => ({ field, message: 'unknown field' })),
    },
  );
}

/**
 * For routes that take no body: refuses anything but none or `{}`, so
 * that a field sent by mistake is reported rather than ignored.
 */
export function refuseBody(body: unknown): void {
  if (body === undefined) return;
  const empty =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).length === 0;
  if (empty) return;

  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? Object.keys(body).map((key) => `body.${key}`)
      : ['body'];
  throw new AppError(
    ErrorCode.BadInput,
    `this route takes no body; send none or {} (got ${fields.join(', ')})`,
    {
      errors: fields.map((field) => ({ field, message: 'unknown field' })),
    },
  );
}
