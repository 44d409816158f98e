/**
 * The entry of the worker thread that runs a retrain without Redis: it
 * loads the same processor file BullMQ would run, hands it a job handle
 * whose calls become messages to the parent, and reports the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { RetrainJobHandle } from './retrain-processor.js';
import type {
  ThreadMessage,
  ThreadRequest,
  ThreadStart,
} from './thread-protocol.js';

const start = workerData as ThreadStart;
const port = parentPort;
if (!port) throw new Error('thread-entry.ts must run in a worker thread');

const controller = new AbortController();
port.on('message', (message: ThreadRequest) => {
  if (message.type === 'cancel') controller.abort(message.reason);
});
const send = (message: ThreadMessage) => port.postMessage(message);

const job: RetrainJobHandle = {
  id: start.job.id,
  data: start.job.data,
  attemptsMade: start.job.attemptsMade,
  attemptsStarted: start.job.attemptsMade + 1,
  updateProgress: (value) => {
    send({ type: 'progress', value });
    return Promise.resolve();
  },
  moveToWait: () => {
    send({ type: 'released' });
    return Promise.resolve();
  },
};

try {
  const imported = (await import(start.processorFile)) as {
    default: typeof import('./retrain-processor.js').default;
  };
  const result = await imported.default(job, 'thread', controller.signal);
  send({ type: 'completed', value: result });
} catch (err) {
  const error = err instanceof Error ? err : new Error(String(err));
  send({
    type: 'failed',
    error: { name: error.name, message: error.message, stack: error.stack },
  });
}
