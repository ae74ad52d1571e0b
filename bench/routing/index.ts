/**
 * `npm run bench -- routing [options]`: the routing benchmark (bench/routing/README.md).
 * By default through the real gateway (`gateway.ts`: a Kefu process, agents and shoppers over
 * /ws); `--in-process` runs the older in-process variant (`in-process.ts`: routing's functions
 * called directly, shoppers as fake connections), which also has the queue-depth probe and PostgreSQL.
 */
import { gatewayScenario } from './gateway.ts';
import { routingInProcess } from './in-process.ts';

export async function routing(args: string[]): Promise<void> {
  if (args.includes('--in-process')) return routingInProcess(args);
  await gatewayScenario(args);
}
