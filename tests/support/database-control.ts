// Stopping and restarting the test stack's PostgreSQL under running clients (fault tests).
// The cluster comes back on the SAME port, so the gateway, the edge function and every
// connection string in stack.env stay valid without a restart.
import { PostgresCluster } from '../../scripts/lib/postgres-cluster.ts';
import { stackPaths } from '../../scripts/lib/stack.ts';
import { TEST_STACK_NAME, requireStackValue } from './stack-env.ts';

export function testCluster(): PostgresCluster {
  return new PostgresCluster(stackPaths(TEST_STACK_NAME).clusterPath);
}

/** The port every client of the test stack was given. */
export function testDatabasePort(): number {
  const port = Number(requireStackValue('PGPORT'));
  if (!Number.isInteger(port) || port <= 0) throw new Error('PGPORT in the test stack.env is not a port');
  return port;
}

export async function isTestDatabaseRunning(): Promise<boolean> {
  return testCluster().isRunning();
}

/** pg_ctl stop -m fast: open sessions are terminated, as in a crash-free outage. */
export async function stopTestDatabase(): Promise<void> {
  await testCluster().stop();
}

/**
 * Starts the cluster again on the port recorded in stack.env and waits until it accepts
 * connections (pg_ctl -w). A no-op when it is running, so it is safe in afterAll.
 */
export async function ensureTestDatabaseRunning(): Promise<void> {
  const cluster = testCluster();
  if (await cluster.isRunning()) return;
  await cluster.start(testDatabasePort());
}
