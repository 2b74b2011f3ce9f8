export { createTestDatabase, type TestDatabase } from './database.js';
export { killDatabaseConnections, startRestartableTemporal } from './faults.js';
export { freePort, isPortOpen, isProcessAlive } from './ports.js';
export { duplicateFamilies, type PromSample, parsePrometheusText, sampleValue } from './prometheus.js';
export { type RunHarness, useRunHarness } from './run-harness.js';
export {
  createTestTemporal,
  type InProcessWorker,
  spawnWorkerProcess,
  startInProcessWorker,
  type TestTemporal,
  testActivityDeps,
} from './temporal.js';
