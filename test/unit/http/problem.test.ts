import { describe, expect, it } from 'vitest';

import { AppError, ErrorCode } from '../../../src/errors/app-error.js';
import { toAppError } from '../../../src/http/error-handler.js';
import {
  problemOf,
  STATUS_BY_CODE,
  TITLE_BY_CODE,
} from '../../../src/http/problem.js';

describe('problem responses', () => {
  it('maps every error code to a status and a title', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
      expect(TITLE_BY_CODE[code]).toEqual(expect.any(String));
    }
  });

  it.each([
    [ErrorCode.BadInput, 400],
    [ErrorCode.NotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.TooLarge, 413],
    [ErrorCode.RateLimited, 429],
    [ErrorCode.NotReady, 503],
    [ErrorCode.Storage, 500],
  ])('answers %s with %i', (code, status) => {
    expect(problemOf(new AppError(code, 'x')).status).toBe(status);
  });

  it('carries the code, detail, field errors and request id', () => {
    const err = new AppError(ErrorCode.BadInput, 'k must be 1 to 100', {
      field: 'k',
    });

    expect(problemOf(err, 'req-1')).toEqual({
      type: 'urn:siamese-dedup:problem:bad_input',
      title: 'Bad input',
      status: 400,
      detail: 'k must be 1 to 100',
      code: 'bad_input',
      errors: [{ field: 'k', message: 'k must be 1 to 100' }],
      request_id: 'req-1',
    });
  });

  it('translates body parser errors at the boundary', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
      length: 5000,
      limit: 4096,
    });
    const malformed = Object.assign(new Error('Unexpected end'), {
      type: 'entity.parse.failed',
      status: 400,
    });

    const chunked = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
      limit: 4096,
    });
    const notObject = Object.assign(new Error('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
      body: 'null',
    });

    expect(toAppError(tooLarge)).toMatchObject({
      code: 'too_large',
      message:
        'the body is 5000 bytes; the limit is 4096 bytes (MAX_BODY_BYTES)',
    });
    expect(toAppError(chunked).message).toBe(
      'the body is larger than the limit of 4096 bytes (MAX_BODY_BYTES)',
    );
    expect(toAppError(malformed)).toMatchObject({
      code: 'bad_input',
      message: 'the body is not valid JSON: Unexpected end',
    });
    expect(toAppError(notObject).message).toBe(
      'the body must be a JSON object; got null',
    );
    expect(toAppError(new TypeError('boom')).code).toBe('internal');
  });
});
