export { startWorker, type Worker, type WorkerOptions, type WorkerLogger } from './worker';
export { ALL_JOBS } from './jobs';
export type { JobDef, JobDeps } from './job';
