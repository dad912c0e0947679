import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { Mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import type { Deps } from '../src/deps';
import type { ActionResult } from '../src/incidents/flows';
import type { ParsedCommand } from './parse';

export type Ack = (message?: Message & { response_type?: 'ephemeral' | 'in_channel' }) => Promise<void>;
/** An action's outcome in words. */
export type Notice = (r: ActionResult) => Message;

/** What every `/incident` subcommand is given: the request, its parsed words, its one ack and the shared wording. */
export interface IncidentContext {
  deps: Deps;
  command: SlashCommand;
  parsed: ParsedCommand;
  user: string;
  ack: Ack;
  /** Acks with a message only the person sees. */
  ackEphemeral: (m: Message) => Promise<void>;
  respond: RespondFn;
  notice: Notice;
  /** `/incident` usage help, led by what was wrong. */
  usage: (problem?: Mrkdwn) => Message;
}

export type IncidentSubcommand = (c: IncidentContext) => Promise<void>;
