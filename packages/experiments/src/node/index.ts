// @ddopt/experiments/node — the Node-only parts: `runSweep` on a worker-thread pool (piscina) with
// checkpoints in a run folder, and the same sweep over machines on a Redis queue (BullMQ):
// `runSweepOnQueue` and `startQueueWorker`. The main entry stays browser-safe.
export { SWEEP_CHECKPOINT_FORMAT } from './checkpoint.js';
export { DEFAULT_QUEUE_NAME, type QueueSweepOptions, type QueueSweepReport, type QueueWorker, type QueueWorkerOptions, runSweepOnQueue, startQueueWorker } from './queue.js';
export { checkQueueJob, QUEUE_JOB_FORMAT, type QueueJobData, queueJobId } from './queue-job.js';
export { type CrashedJob, runSweep, type SweepOptions, type SweepReport } from './sweep.js';
