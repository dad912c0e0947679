/**
 * Hostile user text for the text-discipline tests: a small seeded generator (no fast-check in the
 * tree) and a walker that collects every mrkdwn, plain_text and fallback string of a message or
 * modal, so a test can check what Slack would parse.
 */

export { seededRandom } from './prng';

export const HOSTILE_ATOMS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S1>',
  '<!subteam^S123|@ops>',
  '<@U1>',
  '<@W123ABC>',
  '<#C1>',
  '<#C999|general>',
  '<https://x|y>',
  '<https://evil.example|click here>',
  '<mailto:a@b.c|mail>',
  '<!date^1700000000^{date}|x>',
  '&lt;',
  '&lt;!channel&gt;',
  '&amp;',
  '&',
  '<',
  '>',
  '`',
  '```',
  '*',
  '*bold*',
  '_',
  '_italic_',
  '~',
  '~strike~',
  '> quote',
  '\n',
  '\n\n',
  '\u200f',
  '\u202e',
  '\u0000',
  '\ud83d\ude80',
  '\ud83d',
  '👩‍👩‍👧‍👦',
  '🇫🇷',
  'é',
  '@channel',
  '@here',
  ':rotating_light:',
  '|',
  ' ',
  'ok',
  'payments',
];

/** One hostile string: atoms and noise, sometimes 4,000 characters long. */
export function hostileString(rand: () => number): string {
  const long = rand() < 0.15;
  const target = long ? 4000 : 1 + Math.floor(rand() * 120);
  let s = '';
  while (s.length < target) {
    const r = rand();
    if (r < 0.7) s += HOSTILE_ATOMS[Math.floor(rand() * HOSTILE_ATOMS.length)];
    else s += String.fromCharCode(32 + Math.floor(rand() * 95));
  }
  return long ? s.slice(0, 4000) : s;
}

export interface RenderedText {
  kind: 'mrkdwn' | 'plain_text' | 'fallback';
  text: string;
  path: string;
}

/** Every text object in a message or modal, with where it sits. */
export function textsOf(node: unknown, path = ''): RenderedText[] {
  const out: RenderedText[] = [];
  const walk = (n: unknown, p: string) => {
    if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${p}[${i}]`));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push({ kind: o.type, text: o.text, path: p });
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v, `${p}.${k}`);
  };
  if (!node || typeof node !== 'object') return out;
  const top = node as { text?: unknown; blocks?: unknown };
  if (typeof top.text === 'string') out.push({ kind: 'fallback', text: top.text, path: `${path}text` });
  walk(top.blocks ?? node, `${path}blocks`);
  return out;
}

/**
 * What would make Slack notify, link or format in a mrkdwn or fallback string, given the tokens
 * the bot itself may make (`allowed`): every `<…>` must be an allowed token, every `&` an entity.
 */
export function markupProblems(text: string, allowed: (token: string) => boolean): string[] {
  const problems: string[] = [];
  const rest = text.replace(/<[^<>]*>/g, (token) => {
    if (!allowed(token)) problems.push(`token ${token}`);
    return '';
  });
  // The bot's own block quotes (`> ` at a line start) are markup Slack expects raw.
  if (/[<>]/.test(rest.replace(/(^|\n)> /g, '$1'))) problems.push('a raw < or >');
  if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push('a raw & (Slack would read an entity)');
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) problems.push('a half character');
  return problems;
}

/** Counts of the formatting characters Slack reads in mrkdwn. */
export function formattingCounts(text: string): string {
  return ['*', '~', '`'].map((c) => text.split(c).length - 1).join(',');
}
