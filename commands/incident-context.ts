import type { RespondFn, SlashCommand } from '@slack/bolt';
import { mrkdwn, type Mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import type { Deps } from '../src/deps';
import type { ActionResult } from '../src/incidents/flows';
import { parseIncidentId, type ParsedCommand } from './parse';

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

/** The command's text after its first `n` arguments (a note, an update, a follow-up), trimmed. */
export function afterArgs(p: ParsedCommand, n: number): string {
  let rest = p.rest;
  for (let i = 0; i < n; i += 1) rest = rest.replace(/^\s*\S+/, '');
  return rest.trim();
}

/** A subcommand whose first argument is an incident id; without one it answers `Which incident?` and its usage. */
export const withIncidentId =
  (usageText: Mrkdwn, run: (c: IncidentContext, id: number) => Promise<void>): IncidentSubcommand =>
  async (c) => {
    const id = parseIncidentId(c.parsed.args[0]);
    if (id === null) return c.ackEphemeral(c.usage(mrkdwn`Which incident? ${usageText}`));
    return run(c, id);
  };
