// A gateway + edge function pair of a test's own on the test stack, so a test can kill them
// without taking down the shared pair every other suite uses.
import { once } from 'node:events';
import { startFunction, startGateway, type Service } from '../../scripts/lib/services.ts';
import { requireStackValue, stackEnv } from './stack-env.ts';

export interface PrivateEndpoint {
  gateway: Service;
  fn: Service;
  /** SIGKILL to the service's whole process group (tsx runs node as a child); resolves on exit. */
  kill(service: Service): Promise<void>;
  stop(): Promise<void>;
}

function exited(service: Service): boolean {
  return service.child.exitCode !== null || service.child.signalCode !== null;
}

export async function startPrivateEndpoint(): Promise<PrivateEndpoint> {
  const gateway = await startGateway(stackEnv(), undefined, true);
  let fn: Service;
  try {
    fn = await startFunction({
      supabaseUrl: gateway.url,
      serviceRoleKey: requireStackValue('SERVICE_ROLE_KEY'),
      vapiSecret: requireStackValue('VAPI_SECRET'),
      directApiSecret: requireStackValue('DIRECT_API_SECRET'),
    });
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  const kill = async (service: Service): Promise<void> => {
    if (exited(service)) return;
    const gone = once(service.child, 'exit');
    const pid = service.child.pid;
    if (pid === undefined) throw new Error(`${service.name} has no pid`);
    process.kill(-pid, 'SIGKILL'); // detached: the child leads its own process group
    await gone;
  };
  return {
    gateway,
    fn,
    kill,
    async stop() {
      await fn.stop();
      await gateway.stop();
    },
  };
}
