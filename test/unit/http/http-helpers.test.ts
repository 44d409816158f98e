import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { apiSchemas } from '../../../src/http/api-schemas.js';
import { escapeHtml } from '../../../src/http/docs-page.js';
import { openApiPath } from '../../../src/http/openapi.js';
import { chooseRequestId } from '../../../src/http/request-logging.js';
import { parseRequestPart } from '../../../src/http/validation.js';
import { loadConfig } from '../../../src/config/config.js';

const schemas = apiSchemas(loadConfig({}));

function fields(schema: z.ZodType, value: unknown, part = 'body' as const) {
  try {
    parseRequestPart(schema, value, part);
  } catch (err) {
    return (err as { details: { errors: { field: string }[] } }).details.errors
      .map((e) => e.field)
      .sort();
  }
  return [];
}

describe('request validation', () => {
  it('names every bad field by its dotted path', () => {
    expect(
      fields(schemas.newItems, {
        items: [{ text: 'ok' }, { text: ' ', colour: 'red' }],
        extra: 1,
      }),
    ).toEqual(['extra', 'items.1.colour', 'items.1.text']);
  });

  it('calls a missing body a missing body', () => {
    expect(fields(schemas.newItem, undefined)).toEqual(['body']);
  });

  it('turns query strings into numbers and labels', () => {
    expect(
      parseRequestPart(
        schemas.pairQuery,
        { limit: '5', after: '10', label: '1' },
        'query',
      ),
    ).toEqual({ limit: 5, after: 10, label: 1 });
  });

  it('wants exactly one of a_id and a, and of b_id and b', () => {
    expect(fields(schemas.newPair, { a: 'x', a_id: 1, label: 1 })).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('small HTTP helpers', () => {
  it('writes Express paths the OpenAPI way', () => {
    expect(openApiPath('/v1/items/:id')).toBe('/v1/items/{id}');
    expect(openApiPath('/review/')).toBe('/review');
    expect(openApiPath('')).toBe('/');
  });

  it('keeps sane request ids and replaces the rest', () => {
    expect(chooseRequestId('abc-123.x:y')).toBe('abc-123.x:y');
    expect(chooseRequestId(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), '<id>']) {
      expect(chooseRequestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
