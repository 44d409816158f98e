/**
 * The review API under `/v1`: pairs to review, answers, undo, progress,
 * and the export of every label. The reviewer is the authenticated
 * principal when there is one, else the `X-Reviewer` header (see
 * reviewer-identity.ts).
 */
import { z } from 'zod';

import {
  defineRoute,
  type ApiRoute,
  type ResponseDoc,
} from '../http/api-route.js';
import { integerString } from '../http/api-schemas.js';
import type { DedupService } from '../service/dedup-service.js';
import {
  EXPORT_MEDIA_TYPES,
  writeLabels,
  type ExportFormat,
} from './label-export.js';
import {
  MAX_NOTE_CHARS,
  MAX_PAIRS_PER_REQUEST,
  type ReviewQueue,
} from './review-queue.js';
import type { ReviewStats } from './review-stats.js';
import { DECISIONS, type ReviewPair } from './review-types.js';
import { REVIEWER_HEADER, reviewerOf } from './reviewer-identity.js';

/** Said when no pair is left for the reviewer. */
export const EMPTY_MESSAGE =
  'Nothing to review right now: every candidate pair is labelled or ' +
  'held by another reviewer. New items bring new pairs.';

const side = z.object({ id: z.number().int(), text: z.string() });

const reviewPair = z
  .object({
    pair_id: z.number().int().describe('Answer with POST /v1/review/{id}.'),
    a: side,
    b: side,
    energy: z.number().describe('Euclidean distance; small = duplicate.'),
    similarity: z.number().describe('1 - energy / margin, in [0, 1].'),
    guess: z.enum(['duplicate', 'different']).describe("The model's call."),
    reserved_until: z.string().describe('ISO-8601 UTC.'),
  })
  .describe('A candidate pair reserved for the reviewer.');

const schemas = {
  nextQuery: z.strictObject({
    count: integerString(1, MAX_PAIRS_PER_REQUEST)
      .optional()
      .describe(`Pairs wanted, 1 to ${MAX_PAIRS_PER_REQUEST}. Default 1.`),
  }),
  next: z.object({
    pairs: z.array(reviewPair),
    remaining: z.number().int().describe('Pairs still waiting after these.'),
    message: z
      .string()
      .nullable()
      .describe('Why the list is empty; null when it is not.'),
  }),
  pairParams: z.strictObject({
    pair_id: integerString(1, Number.MAX_SAFE_INTEGER).describe('Pair id.'),
  }),
  answer: z.strictObject({
    decision: z.enum(DECISIONS),
    note: z
      .string()
      .max(MAX_NOTE_CHARS)
      .optional()
      .describe(`Optional remark, at most ${MAX_NOTE_CHARS} characters.`),
  }),
  answered: z.object({
    pair_id: z.number().int(),
    decision: z.enum(DECISIONS),
    label_id: z
      .number()
      .int()
      .nullable()
      .describe('The labelled pair stored; null for a skip.'),
  }),
  undone: z.object({
    decision: z.enum(DECISIONS),
    removed_label_id: z.number().int().nullable(),
    pair: reviewPair.nullable().describe('Reserved again, to answer anew.'),
  }),
  stats: z.object({
    reviewers: z.array(
      z.object({
        reviewer: z.string(),
        duplicate: z.number().int(),
        different: z.number().int(),
        skipped: z.number().int(),
        last_decision_at: z.string(),
      }),
    ),
    agreement: z.object({
      pairs: z.number().int().describe('Pairs labelled by two reviewers.'),
      observed: z.number().nullable(),
      expected: z.number().nullable(),
      kappa: z
        .number()
        .nullable()
        .describe("Cohen's kappa; null if undefined."),
    }),
    queue: z.object({
      candidates: z.number().int().describe('Candidate pairs known.'),
      waiting: z
        .number()
        .int()
        .describe(
          'Candidates still wanting a label, those reserved right now ' +
            'included (an overlap pair wants two).',
        ),
      reserved: z
        .number()
        .int()
        .describe('Reservations not yet answered or run out.'),
    }),
    labels: z.object({
      duplicate: z.number().int(),
      different: z.number().int(),
    }),
    phase: z.enum(['warmup', 'steady']),
    model: z.object({ version: z.string(), threshold: z.number() }).nullable(),
    by_reason: z.record(z.string(), z.number().int()),
    estimate: z.object({
      pairs: z.number().int(),
      model_accuracy: z.number().nullable(),
    }),
  }),
  exportQuery: z.strictObject({
    format: z
      .enum(['csv', 'jsonl'])
      .optional()
      .describe('csv (default) or jsonl.'),
  }),
};

const identity =
  ' The reviewer is the authenticated principal, else the ' +
  `${REVIEWER_HEADER} header (1 to 64 characters: letters, digits, ` +
  'space, . _ @ -).';

const problems = (
  statuses: Record<number, string>,
): Record<number, ResponseDoc> =>
  Object.fromEntries(
    Object.entries(statuses).map(([status, description]) => [
      Number(status),
      { description },
    ]),
  );

/** The review routes, relative to `/v1`. */
export function reviewRoutes(
  queue: ReviewQueue,
  service: DedupService,
): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/review/next',
      tag: 'review',
      summary: 'Reserve pairs to review',
      description:
        'Pairs the reviewer already holds come first, then new picks. ' +
        'An empty list (with a message) means nothing is left.' +
        identity,
      query: schemas.nextQuery,
      responses: {
        200: { description: 'Reserved pairs', schema: schemas.next },
        ...problems({
          400: 'Bad count or reviewer name (bad_input)',
          503: 'No model serves yet (not_ready)',
        }),
      },
      handle: async ({ query, req, res }) => {
        const next = await queue.next(reviewerOf(req, res), query.count ?? 1);
        return {
          body: {
            pairs: next.pairs.map(pairJson),
            remaining: next.remaining,
            message: next.pairs.length === 0 ? EMPTY_MESSAGE : null,
          },
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/review/undo',
      tag: 'review',
      summary: "Undo the reviewer's newest decision",
      description:
        'One decision per call, as far back as wanted. The label it ' +
        'wrote is removed and the pair is reserved again.' +
        identity,
      responses: {
        200: { description: 'Undone', schema: schemas.undone },
        ...problems({
          400: 'Bad reviewer name (bad_input)',
          404: 'Nothing left to undo (not_found)',
        }),
      },
      handle: ({ req, res }) => {
        const undone = queue.undo(reviewerOf(req, res));
        return {
          body: {
            decision: undone.decision,
            removed_label_id: undone.removedLabelId,
            pair: undone.pair && pairJson(undone.pair),
          },
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/review/stats',
      tag: 'review',
      summary: 'Review progress and agreement',
      description:
        'Decisions per reviewer, Cohen kappa on pairs two reviewers ' +
        "labelled, queue size, and the model's accuracy on randomly " +
        'chosen pairs.',
      responses: {
        200: { description: 'Statistics', schema: schemas.stats },
      },
      handle: () => ({ body: statsJson(queue.stats()) }),
    }),

    defineRoute({
      method: 'post',
      path: '/review/:pair_id',
      tag: 'review',
      summary: 'Answer a reserved pair',
      description:
        '`duplicate` and `different` store a labelled pair (source ' +
        '`reviewer`) that retraining uses; `skip` stores none and the ' +
        'pair comes back later.' +
        identity,
      params: schemas.pairParams,
      body: schemas.answer,
      responses: {
        200: { description: 'Recorded', schema: schemas.answered },
        ...problems({
          400: 'Bad body or reviewer name (bad_input)',
          404: 'No such pair (not_found)',
          409:
            'The reservation ran out (reservation_expired), the pair is ' +
            'not reserved for this reviewer (not_reserved), or they ' +
            'labelled it already (conflict)',
          503: 'No model serves yet (not_ready)',
        }),
      },
      handle: ({ params, body, req, res }) => {
        const result = queue.decide(
          reviewerOf(req, res),
          params.pair_id,
          body.decision,
          body.note,
        );
        return {
          body: {
            pair_id: result.pairId,
            decision: result.decision,
            label_id: result.labelId,
          },
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/labels/export',
      tag: 'review',
      summary: 'Download every label',
      // Every label from every source: more than one reviewer's business.
      access: 'admin',
      description:
        'All labelled pairs, every source, oldest first: CSV (RFC 4180, ' +
        'with a header line) or JSON Lines, fields id, a_id, a, b_id, b, ' +
        'label, source, who, created_at.',
      query: schemas.exportQuery,
      responses: {
        200: {
          description: 'The labels',
          schema: z.string(),
          mediaType: EXPORT_MEDIA_TYPES.csv,
        },
        ...problems({ 400: 'Unknown format (bad_input)' }),
      },
      handle: async ({ query, res }) => {
        const format: ExportFormat = query.format ?? 'csv';
        res.status(200);
        res.setHeader('Content-Type', EXPORT_MEDIA_TYPES[format]);
        res.setHeader(
          'Content-Disposition',
          `attachment; filename="labels.${format}"`,
        );
        try {
          await writeLabels(res, format, (after, limit) =>
            service.listPairs({ after, limit }),
          );
        } catch (err) {
          if (!res.destroyed) throw err;
        }
        res.end();
        return { sent: true };
      },
    }),
  ];
}

/** A reserved pair in the API's snake_case shape. */
export function pairJson(pair: ReviewPair) {
  return {
    pair_id: pair.pairId,
    a: pair.a,
    b: pair.b,
    energy: pair.energy,
    similarity: pair.similarity,
    guess: pair.guess,
    reserved_until: pair.reservedUntil,
  };
}

function statsJson(stats: ReviewStats) {
  return {
    reviewers: stats.reviewers.map((r) => ({
      reviewer: r.reviewer,
      duplicate: r.duplicate,
      different: r.different,
      skipped: r.skipped,
      last_decision_at: r.lastDecisionAt,
    })),
    agreement: {
      pairs: stats.agreement.items,
      observed: stats.agreement.observed,
      expected: stats.agreement.expected,
      kappa: stats.agreement.kappa,
    },
    queue: stats.queue,
    labels: stats.labels,
    phase: stats.phase,
    model: stats.model,
    by_reason: stats.byReason,
    estimate: {
      pairs: stats.estimate.pairs,
      model_accuracy: stats.estimate.modelAccuracy,
    },
  };
}
