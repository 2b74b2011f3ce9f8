export { type Activities, createActivities } from './create-activities.js';
export { type ActivityDeps, createActivityDeps } from './deps.js';
export type { WorkerDescription } from './describe-worker.js';
