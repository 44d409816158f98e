/**
 * The entry of the worker thread that holds one index's HNSW graph (see
 * index-thread.ts). Requests are handled one at a time in the order
 * they arrive, the slow ones (load, save) included, so every answer
 * reflects exactly the changes sent before its request.
 */
import { parentPort, workerData } from 'node:worker_threads';

import pino from 'pino';

import { AppError } from '../errors/app-error.js';
import type {
  FlatEntries,
  IndexReply,
  IndexThreadData,
  Numbered,
  ThreadError,
} from './index-thread-protocol.js';
import type { IndexEntry } from './index-types.js';
import { VectorIndex } from './vector-index.js';

const port = parentPort;
if (!port) throw new Error('index-thread-entry must run in a worker thread');

const send = (reply: IndexReply, transfer: ArrayBuffer[] = []) =>
  port.postMessage(reply, transfer);

const { logLevel } = workerData as IndexThreadData;
// Log lines go to the parent, which writes them through its own logger.
const logger = pino(
  { level: logLevel, base: null, timestamp: false },
  { write: (line: string) => send({ type: 'log', line }) },
);

let index: VectorIndex | null = null;
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: Numbered) => {
  queue = queue.then(() => answer(request));
});

async function answer(request: Numbered): Promise<void> {
  try {
    const value = await handle(request);
    const transfer = value instanceof Float32Array ? [value.buffer] : [];
    send({ type: 'done', seq: request.seq, value }, transfer as ArrayBuffer[]);
  } catch (err) {
    send({ type: 'failed', seq: request.seq, error: describeError(err) });
  }
}

async function handle(request: Numbered): Promise<unknown> {
  switch (request.op) {
    case 'create':
      index = new VectorIndex({ ...request.options, logger });
      return null;
    case 'load':
      index = await VectorIndex.load(request.dir, request.expected, {
        ...request.tuning,
        logger,
      });
      return index ? index.labels() : null;
    case 'add':
      held().addMany(entriesOf(request, held().dim));
      return null;
    case 'lookupAndAdd':
      return held().lookupAndAdd(entriesOf(request, held().dim), request.k);
    case 'remove':
      held().remove(request.id);
      return null;
    case 'search':
      return held().search(request.vector, request.k, request.options);
    case 'vectorOf':
      return held().vectorOf(request.id) ?? null;
    case 'save':
      return held().save(request.dir);
    case 'flush':
      return null;
  }
}

function held(): VectorIndex {
  if (!index) throw new Error('the index thread holds no index yet');
  return index;
}

function entriesOf(flat: FlatEntries, dim: number): IndexEntry[] {
  return flat.ids.map((id, i) => ({
    id,
    vector: flat.values.subarray(i * dim, (i + 1) * dim),
  }));
}

function describeError(err: unknown): ThreadError {
  if (err instanceof AppError) {
    return {
      name: err.name,
      message: err.message,
      code: err.code,
      details: err.details,
    };
  }
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}
