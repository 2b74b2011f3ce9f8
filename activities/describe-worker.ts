import os from 'node:os';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps.js';

export interface WorkerDescription {
  taskQueue: string;
  hostname: string;
  pid: number;
  nodeVersion: string;
  databaseReachable: boolean;
}

/** Answers from whichever worker polls the queue it was sent to: proves a queue is served end to end. */
export function makeDescribeWorker(deps: ActivityDeps) {
  return async function describeWorker(): Promise<WorkerDescription> {
    const databaseReachable = await deps.dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    return {
      taskQueue: Context.current().info.taskQueue,
      hostname: os.hostname(),
      pid: process.pid,
      nodeVersion: process.version,
      databaseReachable,
    };
  };
}
