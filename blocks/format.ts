import { capText } from '../src/user-text';

/**
 * The one way text reaches Slack. Text from people (command text, notes, summaries, modal inputs,
 * LLM output) is stored plain; it becomes mrkdwn only through these renderers:
 *
 * - `escapeMrkdwn(text)` for any text that is not the bot's own markup;
 * - the `mrkdwn` tagged template, whose literal parts are the bot's markup and whose
 *   interpolations must already be `Mrkdwn` (or numbers) — a raw string does not type-check;
 * - `mention`, `userGroupMention`, `channelLink`, `link`, `slackDate` for tokens the bot makes
 *   itself, from ids it trusts (payload user ids, config), never from user text.
 *
 * Block helpers and `Message.text` (the fallback, which Slack also reads as mrkdwn) accept only
 * `Mrkdwn`, so concatenating raw text into a message fails to compile. plain_text fields take the
 * text as typed (Slack shows it literally) through `clip`. Channel names are made by
 * `incidentChannelName` (src/incidents/machine.ts): an ASCII slug. The only casts to `Mrkdwn`
 * outside this file read back what a renderer made: outbox rows and the `paged`/`channel`
 * timeline entries (blocks/incident.ts MARKUP_EVENT_KINDS).
 *
 * Escaping: `&`, `<`, `>` become entities, so no `<!channel>`, `<!here>`, `<@U…>`, `<#C…>`,
 * `<!subteam^…>` or `<url|label>` can form. Formatting in user text is made inert, so a name
 * inside bold or a note inside italics cannot break the message: `*` → `∗`, `~` → `∼`,
 * `` ` `` → `ˋ`, and `_` at a word edge → `ˍ` (an `_` inside a word, as in `all_systems`, is not
 * formatting in Slack and is kept).
 */
declare const brand: unique symbol;
export type Mrkdwn = string & { readonly [brand]: 'mrkdwn' };

const asMrkdwn = (s: string) => s as Mrkdwn;

/** Escapes text for mrkdwn (and the fallback `text`): no tokens, no formatting. */
export function escapeMrkdwn(text: string | number): Mrkdwn {
  return asMrkdwn(
    String(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\*/g, '\u2217')
      .replace(/~/g, '\u223c')
      .replace(/`/g, '\u02cb')
      .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\u02cd'),
  );
}

/**
 * Bot markup with escaped parts: the literal parts are written by us; every interpolation must
 * already be Mrkdwn (from a renderer) or a number. `mrkdwn\`*${escapeMrkdwn(name)}*\``.
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: readonly (Mrkdwn | number)[]): Mrkdwn {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += (typeof v === 'number' ? String(v) : v) + (strings[i + 1] ?? '');
  });
  return asMrkdwn(out);
}

/** Joins rendered parts; the separator is the bot's own markup. */
export function joinMrkdwn(parts: readonly Mrkdwn[], separator: '\n' | ' ' | ', ' | '; ' | '  ·  ' | ' · ' | '\n> ' | ' — ' = '\n'): Mrkdwn {
  return asMrkdwn(parts.join(separator));
}

const USER_ID = /^[UW][A-Z0-9]+$/;

/** A user mention from an id the bot trusts (a payload's user id, config); anything else is shown escaped. */
export function mention(userId: string): Mrkdwn {
  return USER_ID.test(userId) ? asMrkdwn(`<@${userId}>`) : escapeMrkdwn(userId);
}

/** A user-group mention (`<!subteam^S…>`) for a group id from config. */
export function userGroupMention(groupId: string): Mrkdwn {
  return /^S[A-Z0-9]+$/.test(groupId) ? asMrkdwn(`<!subteam^${groupId}>`) : escapeMrkdwn(groupId);
}

/** A channel link from a channel id; a name (not an id) is shown as `#name`. */
export function channelLink(channel: string): Mrkdwn {
  return /^[CG][A-Z0-9]+$/.test(channel) ? asMrkdwn(`<#${channel}>`) : mrkdwn`#${escapeMrkdwn(channel)}`;
}

/** A link to a URL the bot trusts (a permalink, config) with an escaped label. */
export function link(url: string, label: string | Mrkdwn): Mrkdwn {
  if (!/^https?:\/\/[^\s<>|]+$/.test(url)) return escapeMrkdwn(label);
  return asMrkdwn(`<${url.replace(/&/g, '&amp;')}|${escapeMrkdwn(label)}>`);
}

/** A Slack date token: rendered in each reader's own time zone, with a fallback for clients that can't. */
export function slackDate(at: Date, format: string, fallback: string): Mrkdwn {
  return asMrkdwn(`<!date^${Math.floor(at.getTime() / 1000)}^${format.replace(/[|<>]/g, '')}|${escapeMrkdwn(capText(fallback, 100)).replace(/\|/g, '¦')}>`);
}

/**
 * Cuts rendered mrkdwn to `max` characters, marking the cut: never inside an entity (`&amp;`), a
 * token (`<@U…>`) or a grapheme.
 */
export function clipMrkdwn(text: Mrkdwn, max: number): Mrkdwn {
  if (text.length <= max) return text;
  let cut = capText(text, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const lt = cut.lastIndexOf('<');
  if (lt >= 0 && !cut.slice(lt).includes('>')) cut = cut.slice(0, lt);
  return asMrkdwn(`${cut}…`);
}

export function plural(n: number, one: string, many = `${one}s`): Mrkdwn {
  return mrkdwn`${n} ${escapeMrkdwn(n === 1 ? one : many)}`;
}

/** "1 h 5 min", "12 min", "40 s" */
export function formatDuration(ms: number): Mrkdwn {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return mrkdwn`${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return mrkdwn`${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? mrkdwn`${h} h ${m % 60} min` : mrkdwn`${h} h`;
}
