import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/harness';

/**
 * `/ops help` and `/incident help` are rendered once per bot (commands/ops.ts, commands/incident.ts):
 * every answer must still be the whole usage, the same each time, and a typo's usage must still
 * lead with what was wrong.
 */
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ config: {} });
});
afterAll(() => t.close());

const usageText = (json: any): string => json.blocks[0].text.text as string;

describe('usage replies', () => {
  it('/ops help lists every subcommand and every checklist, the same on every request', async () => {
    const first = await t.slash('/ops', 'help');
    expect(first.status).toBe(200);
    const text = usageText(first.json);
    for (const sub of ['probe', 'list', 'status', 'summary', 'scorecard', 'improve', 'change', 'changes', 'oncall', 'dr', 'audit', 'help'])
      expect(text).toContain(`/ops ${sub}`);
    for (const checklist of ['morning', 'evening', 'dr-test', 'quarterly', 'security', 'performance']) expect(text).toContain(checklist);
    expect(first.json.response_type).toBe('ephemeral');
    const again = await t.slash('/ops', '');
    expect(again.json).toEqual(first.json);
    // A typo's usage leads with the problem, and the plain usage after it is unchanged.
    const typo = await t.slash('/ops', 'mornign');
    expect(usageText(typo.json)).toMatch(/^:warning: Unknown subcommand `mornign`\./);
    expect(usageText(typo.json)).toContain(text);
    expect((await t.slash('/ops', 'help')).json).toEqual(first.json);
  });

  it('/incident help lists every subcommand, the same on every request; a bad one leads with the problem', async () => {
    const first = await t.slash('/incident', 'help');
    expect(first.status).toBe(200);
    const text = usageText(first.json);
    for (const sub of ['p0|p1|p2|p3', 'list', 'show', 'ack', 'resolve', 'note', 'help']) expect(text).toContain(`/incident ${sub}`);
    const typo = await t.slash('/incident', 'p9 pipes');
    expect(usageText(typo.json)).toMatch(/^:warning: Unknown subcommand `p9`\./);
    expect((await t.slash('/incident', 'help')).json).toEqual(first.json);
  });
});
