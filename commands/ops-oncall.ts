import { buildOnCall } from '../blocks/home';
import { onCallLevels } from '../src/home/read-model';
import { opsSubcommands, type OpsContext } from './ops';

/** `/ops oncall`: a read, open to everyone, answered in the ack (no database work). */
async function handleOnCall(ctx: OpsContext): Promise<void> {
  await ctx.ack({ response_type: 'ephemeral', ...buildOnCall(onCallLevels(ctx.deps.config)) });
}

export function registerOpsOnCall(): void {
  opsSubcommands.set('oncall', { usage: 'oncall', description: 'who each escalation level pages now', run: handleOnCall });
}
