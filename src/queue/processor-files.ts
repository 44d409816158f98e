/**
 * Where the retrain processor and the thread entry live, and how to
 * start a process or thread that can load them: built JavaScript under
 * dist/, or TypeScript under src/ (tests, `tsx`), which needs the tsx
 * loader in the new process or thread.
 */
import {
  fromSources,
  siblingFile,
  threadStart as startThread,
} from '../runtime/thread-start.js';

/** The sandboxed processor file BullMQ workers run. */
export const RETRAIN_PROCESSOR = siblingFile(
  import.meta.url,
  'retrain-processor',
);

/** The file a worker thread starts in for in-process training. */
export const THREAD_ENTRY = siblingFile(import.meta.url, 'thread-entry');

/** Node options a forked processor needs: the tsx loader from sources. */
export function processorExecArgv(): string[] {
  return fromSources ? ['--import', 'tsx'] : [];
}

/** What to pass to `new Worker()` to start {@link THREAD_ENTRY}. */
export function threadStart(): { entry: string | URL; eval: boolean } {
  return startThread(THREAD_ENTRY);
}
