export { createTestDatabase, type TestDatabase } from './database.js';
export { freePort, isPortOpen, isProcessAlive } from './ports.js';
export {
  createTestTemporal,
  type InProcessWorker,
  spawnWorkerProcess,
  startInProcessWorker,
  type TestTemporal,
  testActivityDeps,
} from './temporal.js';
