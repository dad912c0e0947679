import type { Message } from './limits';

export interface HelpEntry {
  usage: string;
  description: string;
}

/** Usage of a slash command, optionally headed by what went wrong. */
export function buildUsageMessage(command: string, entries: readonly HelpEntry[], problem?: string): Message {
  const lines = entries.map((e) => `• \`${command} ${e.usage}\` — ${e.description}`);
  const head = problem ? `:warning: ${problem}\n\n` : '';
  return {
    text: `${problem ? `${problem} ` : ''}Usage: ${command} ${entries.map((e) => e.usage.split(' ')[0]).join('|')}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${head}*Usage of \`${command}\`*\n${lines.join('\n')}` } }],
  };
}

/** A short ephemeral note (errors, confirmations). */
export function buildNotice(text: string): Message {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
