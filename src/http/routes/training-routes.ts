/**
 * Training endpoints under `/v1`: ask for a retrain, follow jobs, list
 * model versions and roll back or forward to one.
 */
import { z } from 'zod';

import { hasCode, ErrorCode } from '../../errors/app-error.js';
import type { JobState } from '../../store/job-store.js';
import {
  RETRY_AFTER_SECONDS,
  type ModelView,
  type TrainingControl,
} from '../../training/training-control.js';
import { defineRoute, type ApiRoute } from '../api-route.js';
import type { RouterMount } from '../router-mount.js';
import { errorResponses } from './common-responses.js';

/**
 * A model version as it may appear in a URL: a letter or digit, then up
 * to 127 letters, digits, dots, dashes or underscores, and no `..`. So
 * a version can never name a path outside the models folder.
 */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const version = z
  .string()
  .regex(
    VERSION_PATTERN,
    'must be 1-128 ASCII letters, digits, ".", "-" or "_", starting with ' +
      'a letter or digit',
  )
  .refine((v) => !v.includes('..'), 'must not contain ".."');

const jobId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a job id from POST /v1/train');

const jobState = z.enum(['waiting', 'active', 'completed', 'failed']);

const STORE_STATE: Record<z.infer<typeof jobState>, JobState> = {
  waiting: 'queued',
  active: 'running',
  completed: 'succeeded',
  failed: 'failed',
};

const jobSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    state: jobState,
    progress: z.number().describe('Share done, 0 to 100.'),
    eta_seconds: z.number().nullable(),
    metrics: z.unknown().describe('Both models\u2019 scores when finished.'),
    decision: z.enum(['promoted', 'rejected', 'skipped']).nullable(),
    result: z.unknown(),
    error: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .describe('A retrain job.');

const modelSchema = z
  .object({
    version: z.string(),
    threshold: z.number().describe('Duplicate threshold on energy.'),
    metrics: z.record(z.string(), z.unknown()),
    active: z.boolean().describe('The version serving processes follow.'),
    serving: z.boolean().describe('Served by the process that answered.'),
    created_at: z.string(),
    activated_at: z.string().nullable(),
  })
  .describe('A model version.');

const MEANINGS = {
  queue:
    'Redis is down (queue_unavailable); the request is recorded and ' +
    'queued when it is back. Retry-After says when to look again.',
};

/** The training routes, relative to `/v1`. */
export function trainingRoutes(training: TrainingControl): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/train',
      tag: 'training',
      summary: 'Retrain the model on the labelled pairs',
      description:
        'Queues a retrain, or returns the one already waiting. The job ' +
        'fine-tunes the serving model, judges it on held-out labels and ' +
        'reference pairs, and promotes it only if it is not worse.',
      responses: {
        202: { description: 'Queued', schema: jobSchema },
        503: { description: MEANINGS.queue },
      },
      handle: async ({ res }) => {
        try {
          const job = await training.requestRetrain('api');
          res.location(`/v1/jobs/${job.id}`);
          return { status: 202, body: job };
        } catch (err) {
          if (hasCode(err, ErrorCode.QueueUnavailable)) {
            res.set('Retry-After', String(RETRY_AFTER_SECONDS));
          }
          throw err;
        }
      },
    }),

    defineRoute({
      method: 'get',
      path: '/jobs',
      tag: 'training',
      summary: 'Retrain jobs, newest first',
      query: z.strictObject({
        state: jobState.optional(),
        limit: z
          .string()
          .regex(/^\d{1,4}$/, 'must be a whole number')
          .transform(Number)
          .pipe(z.number().int().min(1).max(1000))
          .optional()
          .describe('Jobs returned, 1 to 1000. Default 100.'),
      }),
      responses: {
        200: {
          description: 'Jobs',
          schema: z.object({ jobs: z.array(jobSchema) }),
        },
        ...errorResponses(400),
      },
      handle: ({ query }) => ({
        body: {
          jobs: training.listJobs({
            state: query.state && STORE_STATE[query.state],
            limit: query.limit,
          }),
        },
      }),
    }),

    defineRoute({
      method: 'get',
      path: '/jobs/:id',
      tag: 'training',
      summary: 'One job: state, progress, ETA, metrics, error',
      params: z.strictObject({ id: jobId }),
      responses: {
        200: { description: 'The job', schema: jobSchema },
        ...errorResponses(400, 404),
      },
      handle: ({ params }) => ({ body: training.job(params.id) }),
    }),

    defineRoute({
      method: 'get',
      path: '/models',
      tag: 'training',
      summary: 'Model versions, newest first',
      responses: {
        200: {
          description: 'Models',
          schema: z.object({ models: z.array(modelSchema) }),
        },
      },
      handle: () => ({
        body: { models: training.listModels().map(modelView) },
      }),
    }),

    defineRoute({
      method: 'post',
      path: '/models/:version/activate',
      tag: 'training',
      summary: 'Serve a registered model version (roll back or forward)',
      description:
        'Loads the version and its saved index (or builds one), embeds ' +
        'items it lacks, and swaps it in; lookups keep answering. Other ' +
        'serving processes follow within TRAINING_POLL_SECONDS.',
      params: z.strictObject({ version }),
      responses: {
        200: { description: 'Now serving', schema: modelSchema },
        ...errorResponses(400, 404, 503),
        409: {
          description:
            'The version cannot be loaded (model_invalid: a file is ' +
            'missing or damaged); the previous model keeps serving.',
        },
      },
      handle: async ({ params }) => {
        await training.activate(params.version);
        const model = training
          .listModels()
          .find((m) => m.version === params.version);
        return { body: model && modelView(model) };
      },
    }),
  ];
}

/** The training routes as a mount for createApp's `routers`. */
export function trainingMount(training: TrainingControl): RouterMount {
  return { path: '/v1', routes: trainingRoutes(training) };
}

function modelView(model: ModelView) {
  return {
    version: model.version,
    threshold: model.threshold,
    metrics: model.metrics,
    active: model.active,
    serving: model.serving,
    created_at: model.createdAt,
    activated_at: model.activatedAt,
  };
}
