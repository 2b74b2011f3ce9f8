/**
 * A Temporal namespace of the test file's own on the suite's dev server. Kept apart from ./temporal.ts
 * (which re-exports it as createTestTemporal) because that module loads the real worker set, so every
 * activity, judge and model runtime (~10 s per test file on 2 cores): tests on fake activities skip that.
 */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { inject } from 'vitest';
import '../provided-context.js';

export interface TestTemporal {
  address: string;
  /** A namespace of this test file's own, so parallel files never take each other's tasks. */
  namespace: string;
  connection: Connection;
  client: Client;
  close(): Promise<void>;
}

const NAMESPACE_READY_TIMEOUT_MS = 30_000;

export async function createTestNamespace(
  address: string = inject('temporalAddress'),
): Promise<TestTemporal> {
  const namespace = `test-${crypto.randomBytes(5).toString('hex')}`;
  const connection = await Connection.connect({ address });
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  // Registration is asynchronous on the server; wait until the namespace answers.
  const deadline = Date.now() + NAMESPACE_READY_TIMEOUT_MS;
  for (;;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const client = new Client({ connection, namespace });
  return { address, namespace, connection, client, close: () => connection.close() };
}
