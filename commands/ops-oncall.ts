import { buildOnCall } from '../blocks/home';
import { onCallLevels } from '../src/home/read-model';
import type { OpsContext } from './ops-context';

/** `/ops oncall`: a read, open to everyone, answered in the ack (no database work). */
export async function handleOnCall(ctx: OpsContext): Promise<void> {
  await ctx.ack({ response_type: 'ephemeral', ...buildOnCall(onCallLevels(ctx.deps.config)) });
}
