export { type Activities, createActivities } from './create-activities.js';
export type { ActivityDeps } from './deps.js';
export type { WorkerDescription } from './describe-worker.js';
