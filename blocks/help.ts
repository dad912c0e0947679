import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from './format';
import type { Message } from './limits';

export interface HelpEntry {
  usage: string;
  description: string;
}

/** Usage of a slash command, optionally headed by what went wrong. */
export function buildUsageMessage(command: string, entries: readonly HelpEntry[], problem?: Mrkdwn): Message {
  const lines = entries.map((e) => mrkdwn`• \`${escapeMrkdwn(`${command} ${e.usage}`)}\` — ${escapeMrkdwn(e.description)}`);
  const head = problem ? mrkdwn`:warning: ${problem}\n\n` : mrkdwn``;
  const usage = escapeMrkdwn(`Usage: ${command} ${entries.map((e) => e.usage.split(' ')[0]).join('|')}`);
  return {
    text: problem ? mrkdwn`${problem} ${usage}` : usage,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn`${head}*Usage of \`${escapeMrkdwn(command)}\`*\n${joinMrkdwn(lines)}` } }],
  };
}

/** A short ephemeral note (errors, confirmations): rendered mrkdwn, see blocks/format.ts. */
export function buildNotice(full: Mrkdwn): Message {
  const text = clipMrkdwn(full, 3000);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** A refused action: the rights check's sentence, which names who may (src/rights.ts). */
export function buildRefusal(why: string): Message {
  return buildNotice(mrkdwn`:no_entry: ${escapeMrkdwn(why)}`);
}
