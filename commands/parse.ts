import { userText } from '../src/user-text';

export interface ParsedCommand {
  sub: string;
  args: string[];
  /** Everything after the subcommand, as typed (for free text such as a summary). */
  rest: string;
}

/**
 * `/ops probe stripe` → `{ sub: 'probe', args: ['stripe'], rest: 'stripe' }`. The text is taken in
 * once here (userText): Slack's `&amp;`/`&lt;`/`&gt;` decoded, made storable.
 */
export function parseCommand(text: string | undefined): ParsedCommand {
  const trimmed = userText(text, { slackEncoded: true });
  const m = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!m) return { sub: '', args: [], rest: '' };
  const rest = (m[2] ?? '').trim();
  return { sub: m[1]!.toLowerCase(), args: rest ? rest.split(/\s+/) : [], rest };
}

/** An incident id as typed (`42` or `#42`), or null. */
export const parseIncidentId = (s: string | undefined): number | null => (s && /^#?\d{1,12}$/.test(s) ? Number(s.replace('#', '')) : null);
