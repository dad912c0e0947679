import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { Message } from '../blocks/limits';
import type { Deps } from '../src/deps';
import type { ParsedCommand } from './parse';

/** What every `/ops` subcommand is given: the request, its parsed words, and its one ack. */
export interface OpsContext {
  deps: Deps;
  command: SlashCommand;
  parsed: ParsedCommand;
  ack: (message?: Message & { response_type?: 'ephemeral' | 'in_channel' }) => Promise<void>;
  respond: RespondFn;
}

export interface OpsSubcommand {
  usage: string;
  description: string;
  run(ctx: OpsContext): Promise<void>;
}
