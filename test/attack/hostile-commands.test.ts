import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { INCIDENT_CONFIG, quiesce } from '../incidents/support';

/**
 * Today's commands fed what people type by accident or on purpose: never a 5xx, never an error in
 * the log, never a ping or a link in the answer, never a message Slack would refuse.
 */
let t: TestBot;
const clock = new FakeClock(new Date('2026-03-10T15:00:00Z'));
beforeAll(async () => {
  t = await startTestBot({ clock, config: INCIDENT_CONFIG });
});
afterAll(async () => {
  await quiesce(t);
  await t?.close();
});
afterEach(() => expect(t.slack.problems).toEqual([]));

const HOSTILE = [
  '&lt;!channel&gt;',
  '&lt;!here&gt; &lt;@U123&gt;',
  '&lt;http://evil.example|click&gt;',
  '*bold* _it_ ~s~ `code` ```block```',
  'x'.repeat(5000),
  '👩‍👩‍👧‍👦'.repeat(400),
  'a\u0000b',
  '\ud800lone',
  '#99999999999',
  '-1',
  'NaN',
  '2026-02-30',
];
const COMMANDS: [string, (h: string) => string][] = [
  ['/ops', (h) => `oncall ${h}`],
  ['/ops', (h) => `oncall cover ${h}`],
  ['/ops', (h) => `oncall cover tech-lead ${h}`],
  ['/ops', (h) => `oncall cover tech-lead <@UOPS> ${h}`],
  ['/ops', (h) => `dr ${h}`],
  ['/incident', (h) => `review ${h}`],
  ['/incident', (h) => `followups ${h}`],
  ['/incident', (h) => `followup done ${h}`],
];

function dangerous(text: string): string[] {
  return [...text.matchAll(/<(!channel|!here|!everyone|@U|@W|https?:|!subteam)[^>]*>/g)].map((m) => m[0]);
}

describe('hostile text in the new commands', () => {
  it.each(COMMANDS.map(([c, f], i) => [i, c, f] as const))('command %i (%s) answers every hostile argument safely', async (_i, command, f) => {
    for (const h of HOSTILE) {
      const before = t.slack.responses.length;
      const logsBefore = t.logs.length;
      const res = await t.slash(command, f(h), { userId: 'UCTO' });
      expect(res.status, h).toBe(200);
      await t.settle();
      const said = [JSON.stringify(res.json ?? {}), ...t.slack.responses.slice(before).map((r) => JSON.stringify(r.body))].join('\n');
      // Mentions of people the bot itself names (a cover's holder) are fine; typed text must not become one.
      expect(
        dangerous(said).filter((d) => d !== '<@UOPS>' && !/^<@U(CTO|TECH|OPS|MGR|CEO)[|>]/.test(d)),
        `${command} ${f(h).slice(0, 60)}`,
      ).toEqual([]);
      const errors = t.logs.slice(logsBefore).filter((l) => /"level":(50|60)/.test(l));
      expect(errors, `${command} ${f(h).slice(0, 60)}`).toEqual([]);
    }
  });
});
