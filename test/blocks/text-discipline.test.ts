import { describe, expect, it } from 'vitest';
import { clipMrkdwn, escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { Block, Message } from '../../blocks/limits';
import { messageProblems, modalProblems } from '../../src/slack/limits';
import { capText, decodeSlackText, storableText, userText } from '../../src/user-text';
import { formattingCounts, hostileString, markupProblems, seededRandom, textsOf } from '../support/hostile-text';
import { BUILDERS, BOT_TOKEN } from './text-fixtures';

const SEEDS = 250;
const allowed = (token: string) => BOT_TOKEN.test(token);
const noFormatting = (s: string) => s.replace(/[*~`]/g, 'x');

describe('every message and modal builder renders hostile user text inert', () => {
  it(`${SEEDS} seeded hostile strings: no token from user text in any mrkdwn or fallback, formatting inert, plain_text as typed, limits kept`, () => {
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      const raw = hostileString(seededRandom(seed));
      // As every input point stores it (modal inputs are not entity-encoded by Slack).
      const s = userText(raw, { slackEncoded: false }) || 'x';
      const plain = noFormatting(s);
      for (const [name, build] of Object.entries(BUILDERS)) {
        const where = `seed ${seed}, ${name}`;
        const outputs = build(s);
        const controls = build(plain);
        expect(outputs.length, where).toBe(controls.length);
        outputs.forEach((out, i) => {
          const isModal = (out as { type?: string }).type === 'modal';
          expect(isModal ? modalProblems(out) : messageProblems(out), where).toBeNull();
          const texts = textsOf(out);
          const control = textsOf(controls[i]);
          expect(
            texts.map((x) => x.path),
            where,
          ).toEqual(control.map((x) => x.path));
          texts.forEach((t, j) => {
            if (t.kind === 'plain_text') {
              // Slack shows plain_text literally: nothing of the mrkdwn escaping may leak into it.
              expect(t.text, `${where} ${t.path}`).not.toMatch(/[\u2217\u223c\u02cb]/);
              if (!s.includes('&')) expect(t.text, `${where} ${t.path}`).not.toMatch(/&(amp|lt|gt);/);
              return;
            }
            expect(markupProblems(t.text, allowed), `${where} ${t.path}: ${t.text.slice(0, 200)}`).toEqual([]);
            // The same text with its formatting characters replaced renders the same formatting:
            // every *, ~ and ` in the output is the bot's own.
            expect(formattingCounts(t.text), `${where} ${t.path}`).toBe(formattingCounts(control[j]!.text));
          });
        });
      }
    }
  });

  it('plain_text shows the text as typed (the announcement header and the declare modal)', () => {
    for (let seed = 1; seed <= 50; seed += 1) {
      const s = userText(hostileString(seededRandom(seed)), { slackEncoded: false }) || 'x';
      const [announcement] = BUILDERS.announcement!(s);
      const header = textsOf(announcement).find((x) => x.path.endsWith('[0].text'))!;
      expect(header.kind).toBe('plain_text');
      const shown = header.text.replace(/^P0 · Critical · #7: /, '').replace(/…$/, '');
      expect(s.startsWith(shown), `seed ${seed}`).toBe(true);
      expect(shown.length).toBeGreaterThanOrEqual(Math.min(s.length, 100));
    }
  });
});

describe('the renderers', () => {
  it('escapeMrkdwn neutralises every token and formatting character', () => {
    expect(escapeMrkdwn('<!channel> <@U1> <#C1> <!subteam^S1> <https://x|y> & &lt;')).toBe(
      '&lt;!channel&gt; &lt;@U1&gt; &lt;#C1&gt; &lt;!subteam^S1&gt; &lt;https://x|y&gt; &amp; &amp;lt;',
    );
    expect(escapeMrkdwn('*bold* _it_ ~s~ `code` all_systems')).toBe('\u2217bold\u2217 \u02cdit\u02cd \u223cs\u223c \u02cbcode\u02cb all_systems');
  });

  it('mention is only made from a user id; anything else is shown as text', () => {
    expect(mention('UOPS1')).toBe('<@UOPS1>');
    expect(mention('W123')).toBe('<@W123>');
    expect(mention('<!channel>')).toBe('&lt;!channel&gt;');
    expect(mention('U1> <!here')).toBe('U1&gt; &lt;!here');
  });

  it('the mrkdwn template passes rendered parts through and numbers as digits', () => {
    expect(mrkdwn`*${escapeMrkdwn('<b>')}* #${7}`).toBe('*&lt;b&gt;* #7');
  });

  it('clipMrkdwn never cuts inside an entity, a token or a grapheme', () => {
    expect(clipMrkdwn(escapeMrkdwn('ab<c'), 5)).toBe('ab…');
    expect(clipMrkdwn(mrkdwn`ab ${mention('U12345')} c`, 8)).toBe('ab …');
    expect(clipMrkdwn(escapeMrkdwn('a🚀🚀'), 4)).toBe('a🚀…');
    expect(clipMrkdwn(escapeMrkdwn('short'), 10)).toBe('short');
  });

  it('the unsafe path does not compile: raw text is not Mrkdwn (checked by tsc)', () => {
    const typed: string = '<!channel>';
    // @ts-expect-error a raw string cannot be a notice
    const notice = () => buildNotice(`:warning: ${typed}`);
    // @ts-expect-error a raw string cannot be interpolated into bot markup
    const template = () => mrkdwn`*${typed}*`;
    // @ts-expect-error nor be a message's fallback text
    const message: Message = { text: typed };
    // @ts-expect-error nor a mrkdwn block's text
    const block: Block = { type: 'section', text: { type: 'mrkdwn', text: typed } };
    expect([notice, template, message, block]).toHaveLength(4);
    expect(buildNotice(mrkdwn`:warning: ${escapeMrkdwn(typed)}`).text).toBe(':warning: &lt;!channel&gt;');
  });

  it('decodes Slack entities once; stores without NUL or half characters; cuts at graphemes', () => {
    expect(decodeSlackText('Fish &amp; chips &lt;3 &amp;lt; &gt;')).toBe('Fish & chips <3 &lt; >');
    expect(userText('  a &amp; b  ', { slackEncoded: true })).toBe('a & b');
    expect(userText('a &amp; b', { slackEncoded: false })).toBe('a &amp; b');
    expect(storableText('a\u0000b\ud83d c\udc00 \ud83d\ude80 \r\n')).toBe('a\ufffdb\ufffd c\ufffd \ud83d\ude80 \n');
    expect(capText('ab🚀', 3)).toBe('ab');
    expect(capText('x👩‍👩‍👧‍👦y', 5)).toBe('x');
    expect(userText('🇫🇷🇫🇷🇫🇷', { slackEncoded: false, max: 5 })).toBe('🇫🇷');
  });
});
