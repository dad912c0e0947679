/**
 * Text from a person on its way in. Every input point (slash-command text, message text, modal
 * inputs, LLM output) passes through `userText` once, so what is stored is plain text that any
 * database accepts and that renders the same everywhere. Escaping for Slack happens only on the
 * way out (blocks/format.ts).
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Undoes Slack's own escaping: Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` in
 * slash-command and message text (not in modal inputs). Decoded once, `&amp;` last, so
 * `&amp;lt;` (a typed `&lt;`) stays `&lt;`.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Replaces what PostgreSQL's text type refuses (U+0000) and what is not a character (lone
 * surrogates) with U+FFFD; line breaks are normalised to `\n`.
 */
export function storableText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL refuses in text.
      .replace(/\u0000/g, '\ufffd')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  );
}

/** At most `max` UTF-16 units, cut at a grapheme boundary (never half an emoji or a surrogate pair). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  // The grapheme holding the first unit past the cut: cut before it unless it starts right there.
  const next = segmenter.segment(text).containing(max);
  return text.slice(0, next ? next.index : max);
}

export interface UserTextOptions {
  /** True for slash-command and message text, which Slack sends entity-encoded. */
  slackEncoded: boolean;
  /** Cap in UTF-16 units, cut at a grapheme boundary. */
  max?: number;
  /** Trim surrounding whitespace (default true). */
  trim?: boolean;
}

/** The one way a person's text comes in: decoded (when Slack encoded it), storable, optionally capped. */
export function userText(raw: unknown, options: UserTextOptions): string {
  if (typeof raw !== 'string') return '';
  let text = storableText(options.slackEncoded ? decodeSlackText(raw) : raw);
  if (options.trim !== false) text = text.trim();
  if (options.max !== undefined) text = capText(text, options.max).trim();
  return text;
}
