/**
 * The zod schemas of the `/v1` API: they validate requests and, turned
 * into JSON Schema, document requests and responses in openapi.json.
 * Field names are snake_case. Every request object is strict: an
 * unknown field is a `bad_input` naming it.
 */
import { z } from 'zod';

import type { Config } from '../config/config.js';
import { PAIR_SOURCES } from '../store/pair-types.js';

/** The limits the schemas enforce, from the configuration. */
export type ApiLimits = Pick<
  Config,
  'MAX_TEXT_CHARS' | 'MAX_BATCH_ITEMS' | 'MAX_K'
>;

/** Results of a search when the caller gives no k: 10 (or MAX_K). */
export const DEFAULT_K = 10;

/** Names under which schemas appear in components.schemas. */
export interface SchemaName {
  /** Component name, e.g. `Item`. */
  id: string;
}

const notBlank = (s: string) => s.trim().length > 0;

/**
 * A decimal integer from `min` to `max` in a query string or path, as a
 * number; anything else, too large included, gets one message naming
 * the range.
 */
export function integerString(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,16}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

/** Checks that a pair names each side once, by id or by text. */
function oneOfEachSide(
  pair: { a_id?: number; a?: string; b_id?: number; b?: string },
  ctx: z.RefinementCtx,
): void {
  for (const side of ['a', 'b'] as const) {
    const given = [pair[`${side}_id`], pair[side]];
    if (given.filter((v) => v !== undefined).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [side],
        message: `give exactly one of ${side}_id and ${side}`,
      });
    }
  }
}

/**
 * Deepest nesting of objects and arrays accepted in item metadata. The
 * body limit bounds its size, but not its depth: a few hundred
 * kilobytes of brackets would overflow the stack of whatever walks it
 * recursively, SQLite's JSON functions included.
 */
export const MAX_METADATA_DEPTH = 32;

/**
 * Levels of objects and arrays in a parsed JSON value: 0 for a scalar,
 * 1 for a flat object. Walks with its own stack, so any depth is safe
 * to measure; stops counting a little past MAX_METADATA_DEPTH.
 */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_METADATA_DEPTH) break;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Builds every request and response schema for `limits`, and two
 * registries naming them for the OpenAPI document: `requests`
 * (documented as input) and `responses` (as output).
 */
export function apiSchemas(limits: ApiLimits) {
  const requests = z.registry<SchemaName>();
  const responses = z.registry<SchemaName>();
  const maxChars = limits.MAX_TEXT_CHARS;

  const text = z
    .string()
    .max(maxChars, {
      error: (issue) =>
        `is ${typeof issue.input === 'string' ? issue.input.length : 'over'} ` +
        `characters long; the limit is ${maxChars} (MAX_TEXT_CHARS)`,
    })
    .refine(notBlank, 'must not be empty or only white space')
    .describe(`A question or sentence: not blank, at most ${maxChars} chars.`);
  // Worded as ids in paths are.
  const idMessage = `must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`;
  const itemId = z
    .number({ error: idMessage })
    .int({ error: idMessage })
    .min(1, idMessage)
    .max(Number.MAX_SAFE_INTEGER, idMessage);
  const metadata = z
    .record(z.string(), z.unknown())
    .refine(
      (value) => jsonDepth(value) <= MAX_METADATA_DEPTH,
      `must nest at most ${MAX_METADATA_DEPTH} levels deep`,
    )
    .describe(
      `A JSON object kept with the item, at most ${MAX_METADATA_DEPTH} ` +
        'levels deep.',
    );
  const label = z
    .union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' })
    .describe('1: the two texts ask the same thing; 0: they do not.');

  const newItem = z
    .strictObject({
      text,
      external_id: z
        .string()
        .min(1)
        .max(256)
        .optional()
        .describe('Your own id; unique among all items ever stored.'),
      metadata: metadata.nullable().optional(),
    })
    .describe('A text to add to the corpus.');
  requests.add(newItem, { id: 'NewItem' });

  const newItems = z.strictObject({
    items: z.array(newItem).min(1).max(limits.MAX_BATCH_ITEMS),
  });
  requests.add(newItems, { id: 'NewItems' });

  const kRule = `must be an integer from 1 to ${limits.MAX_K} (MAX_K)`;
  const searchRequest = z.strictObject({
    text,
    k: z
      .number({ error: kRule })
      .int(kRule)
      .min(1, kRule)
      .max(limits.MAX_K, kRule)
      .optional()
      .describe(`Results wanted, 1 to ${limits.MAX_K}. Default ${DEFAULT_K}.`),
    max_energy: z
      .number({ error: 'must be a number >= 0' })
      .min(0, 'must be a number >= 0')
      .optional()
      .describe('Drop results with a larger energy.'),
  });
  requests.add(searchRequest, { id: 'SearchRequest' });

  const scoreRequest = z.strictObject({ a: text, b: text });
  requests.add(scoreRequest, { id: 'ScoreRequest' });

  const who = z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('Who gave the label(s): a person or client name.');
  const sides = {
    a_id: itemId.optional().describe('Side a as a stored item.'),
    a: text.optional().describe('Side a as a bare text.'),
    b_id: itemId.optional().describe('Side b as a stored item.'),
    b: text.optional().describe('Side b as a bare text.'),
    label,
  };

  const pairItem = z
    .strictObject(sides)
    .superRefine(oneOfEachSide)
    .describe('A labelled pair; each side is an item id or a text.');
  requests.add(pairItem, { id: 'PairItem' });

  const newPair = z
    .strictObject({ ...sides, who })
    .superRefine(oneOfEachSide)
    .describe('A labelled pair; each side is an item id or a text.');
  requests.add(newPair, { id: 'NewPair' });

  const newPairs = z.strictObject({
    pairs: z.array(pairItem).min(1).max(limits.MAX_BATCH_ITEMS),
    who,
  });
  requests.add(newPairs, { id: 'NewPairs' });

  const pairQuery = z.strictObject({
    limit: integerString(1, 1000)
      .optional()
      .describe('Pairs per page, 1 to 1000. Default 100.'),
    offset: integerString(0, Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('Pairs to skip; not with after.'),
    after: integerString(0, Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('The next_after of the previous page; not with offset.'),
    label: z
      .enum(['0', '1'])
      .transform((v) => (v === '1' ? 1 : 0))
      .optional()
      .describe('Only pairs with this label.'),
    source: z.enum(PAIR_SOURCES).optional().describe('Only this source.'),
    who: z.string().min(1).max(256).optional().describe('Only this labeller.'),
  });

  const itemParams = z.strictObject({
    id: integerString(1, Number.MAX_SAFE_INTEGER).describe('Item id.'),
  });

  const item = z.object({
    id: z.number().int(),
    external_id: z.string().nullable(),
    text: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string().describe('ISO-8601 UTC.'),
  });
  responses.add(item, { id: 'Item' });

  const neighbour = z
    .object({
      id: z.number().int(),
      text: z.string(),
      energy: z.number().describe('Euclidean distance; 0 for equal texts.'),
      similarity: z.number().describe('1 - energy / margin, in [0, 1].'),
    })
    .describe('A stored item near the query.');
  responses.add(neighbour, { id: 'Neighbour' });

  const ingestResult = z.object({
    item,
    duplicates: z
      .array(neighbour)
      .describe('Earlier items within the margin, nearest first.'),
    duplicate: z
      .boolean()
      .describe('Nearest earlier item within the threshold (advisory).'),
  });
  responses.add(ingestResult, { id: 'IngestResult' });

  const ingestResults = z.object({ results: z.array(ingestResult) });
  responses.add(ingestResults, { id: 'IngestResults' });

  const itemResponse = z.object({ item });
  responses.add(itemResponse, { id: 'ItemResponse' });

  const searchResponse = z.object({ results: z.array(neighbour) });
  responses.add(searchResponse, { id: 'SearchResults' });

  const scoreResponse = z.object({
    energy: z.number(),
    similarity: z.number(),
    duplicate: z.boolean().describe('energy <= the model threshold.'),
  });
  responses.add(scoreResponse, { id: 'Score' });

  const pair = z.object({
    id: z.number().int(),
    a_id: z.number().int().nullable(),
    a: z.string(),
    b_id: z.number().int().nullable(),
    b: z.string(),
    label: z.union([z.literal(0), z.literal(1)]),
    source: z.enum(PAIR_SOURCES),
    who: z.string().nullable(),
    created_at: z.string(),
  });
  responses.add(pair, { id: 'Pair' });

  const pairResponse = z.object({ pair });
  responses.add(pairResponse, { id: 'PairResponse' });

  const pairsResponse = z.object({ pairs: z.array(pair) });
  responses.add(pairsResponse, { id: 'Pairs' });

  const pairPage = z.object({
    pairs: z.array(pair),
    next_after: z
      .number()
      .int()
      .nullable()
      .describe('Pass as after for the next page; null on the last.'),
    total: z.number().int().describe('Pairs matching the filters.'),
  });
  responses.add(pairPage, { id: 'PairPage' });

  const problem = z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable error code, e.g. bad_input.'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional(),
    request_id: z.string().optional(),
  });
  responses.add(problem, { id: 'Problem' });

  return {
    requests,
    responses,
    newItem,
    newItems,
    searchRequest,
    scoreRequest,
    newPair,
    newPairs,
    pairQuery,
    itemParams,
    item,
    ingestResult,
    ingestResults,
    itemResponse,
    searchResponse,
    scoreResponse,
    pairResponse,
    pairsResponse,
    pairPage,
    problem,
  };
}

/** Every schema of the API, as {@link apiSchemas} builds them. */
export type ApiSchemas = ReturnType<typeof apiSchemas>;
