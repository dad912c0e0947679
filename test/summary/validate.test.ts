import { describe, expect, it } from 'vitest';
import { fallbackProse } from '../../src/summary/fallback';
import { capFacts } from '../../src/summary/facts';
import { sampleFacts } from './fixtures';
import { escapeMrkdwn } from '../../blocks/format';
import { checkProse, factNumbers, linksIn, numbersIn, sanitizeText, ungroundedNumbers } from '../../src/summary/validate';

describe('the number-grounding rule', () => {
  const facts = sampleFacts();

  it('reads numbers as written: commas, decimals, $, %, k/M/bn, spelled two…twenty', () => {
    expect(numbersIn('Revenue $1,234.40 (+12.2%), 1.2k leads, 3M views, 2bn, three incidents').map((n) => [n.value, n.tolerance])).toEqual([
      [1234.4, 0.005],
      [12.2, 0.05],
      [1200, 50],
      [3_000_000, 500_000],
      [2_000_000_000, 500_000_000],
      [3, 0],
    ]);
  });

  it('labels glued to letters are not numbers: W09, p1, v2', () => {
    expect(numbersIn('week W09, p1 incidents, v2 rollout')).toEqual([]);
  });

  it('a number matches a fact it rounds: 1,234 / $1.2k / 12% / 12.2%', () => {
    expect(ungroundedNumbers('Revenue was $1,234, about $1.2k, up 12% (12.2%).', facts)).toEqual([]);
  });

  it('rejects numbers outside the written precision and made-up ones', () => {
    expect(ungroundedNumbers('Revenue was $1,235 and $1.3k; 35 leads.', facts).map((n) => n.text)).toEqual(['$1,235', '$1.3k', '35']);
  });

  it('signs are ignored: "down 12.2%" matches a change of −12.2', () => {
    expect(
      ungroundedNumbers(
        'CPL down 12.2%',
        sampleFacts({ figures: [{ figureId: 'cpl', label: 'CPL', unit: 'money', value: 18, previous: 20.5, change: -2.5, changePct: -12.2 }] }),
      ),
    ).toEqual([]);
  });

  it('the week number, year and dates count; untrusted notes and raw timestamps do not', () => {
    const known = factNumbers(facts);
    expect(known).toEqual(expect.arrayContaining([9, 2026, 23, 1]));
    expect(ungroundedNumbers('Stripe was down 77 minutes', facts).map((n) => n.text)).toEqual(['77']);
    expect(ungroundedNumbers('at 14:00', facts).map((n) => n.text)).toEqual(['14']); // 00 matches the facts' zeros
  });

  it('checkProse names the offending numbers and unknown links', () => {
    const base = { executiveSummary: '4 checklists posted, 2 on time.', wins: [], challenges: [], planNextWeek: [] };
    expect(checkProse(base, facts)).toEqual({ ok: true });
    expect(checkProse({ ...base, wins: ['Leads up 40%'] }, facts)).toEqual({ ok: false, reason: 'ungrounded_number', detail: '40' });
    expect(checkProse({ ...base, wins: ['See status.stripe.com for details'] }, facts)).toEqual({ ok: true });
    expect(checkProse({ ...base, wins: ['Log in at www.evil.io now'] }, facts)).toMatchObject({ ok: false, reason: 'unknown_link' });
  });

  it('the plain fallback always passes its own rule', () => {
    expect(checkProse(fallbackProse(facts), facts)).toEqual({ ok: true });
    expect(checkProse(fallbackProse(sampleFacts({ empty: true })), sampleFacts({ empty: true }))).toEqual({ ok: true });
  });
});

describe('sanitising', () => {
  it('keeps plain text on one line, breaks @-pings; the renderer escapes the markup', () => {
    const plain = sanitizeText('<!channel> hi @here\nsee <https://x.io|this> & <@U1>\u0000');
    expect(plain).toBe('<!channel> hi @\u200bhere see <https://x.io|this> & <@\u200bU1>\ufffd');
    expect(escapeMrkdwn(plain)).toBe('&lt;!channel&gt; hi @\u200bhere see &lt;https://x.io|this&gt; &amp; &lt;@\u200bU1&gt;\ufffd');
  });
  it('finds URLs, www hosts and bare domains', () => {
    expect(linksIn('Go to https://a.example.com/x, www.b.org or c.io.')).toEqual(['https://a.example.com/x', 'www.b.org', 'c.io']);
  });
});

describe('capping the facts for the LLM', () => {
  it('keeps totals, shortens and halves the untrusted lists, counts what it left out', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      checklistId: 'morning',
      itemId: `i${i}`,
      itemTitle: `Item ${i}`,
      signedBy: 'U1',
      note: 'x'.repeat(280),
    }));
    const facts = sampleFacts({ problems: { count: 20, items, omitted: 0 } });
    const { facts: capped, truncated } = capFacts(facts, 3000);
    expect(truncated).toBe(true);
    expect(JSON.stringify(capped).length).toBeLessThanOrEqual(3000);
    expect(capped.problems.count).toBe(20);
    expect(capped.problems.items.length + capped.problems.omitted).toBe(20);
    expect(capped.checklists.totals).toEqual(facts.checklists.totals);
    expect(capFacts(sampleFacts(), 12_000)).toEqual({ facts: sampleFacts(), truncated: false });
  });
});
