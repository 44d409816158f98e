/** Stopping an index thread behind its back, for fault tests. */
import type { Worker } from 'node:worker_threads';

import type { IndexThread } from '../../../src/index/index-thread.js';

/** Ends the worker behind `thread` without telling it: a stand-in for a crash. */
export async function stopFromOutside(thread: IndexThread): Promise<void> {
  const worker = (thread as unknown as { channel: { worker: Worker } }).channel
    .worker;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await worker.terminate();
  await exited;
}
