/** Names the retrain queue shares between producers and workers. */

/** BullMQ queue name (under QUEUE_PREFIX) of retrain jobs. */
export const RETRAIN_QUEUE = 'retrain';

/** BullMQ job name of a retrain job. */
export const RETRAIN_JOB = 'retrain';

/** `kind` of retrain jobs in the SQLite job history. */
export const RETRAIN_KIND = 'retrain';

/**
 * Abort reason a stopping worker gives its running job: release it to
 * the queue rather than fail it.
 */
export const SHUTDOWN_REASON = 'shutdown';
