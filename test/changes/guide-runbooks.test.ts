import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNBOOKS } from '../../src/changes/runbooks';
import { buildOpsConfig } from '../../src/config/ops-config';
import { drProcedureDef } from '../../src/dr/procedure';

/** The guide lives beside the repository (../shared/seed/), not in it. */
const GUIDE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seed/MAINTENANCE_GUIDE.md');
const present = existsSync(GUIDE);
const text = present ? readFileSync(GUIDE, 'utf8') : '';

/** The fenced block right after a bold heading of the guide, e.g. `**Prompt Updates:**`. */
function blockAfter(heading: string): string {
  const at = text.indexOf(heading);
  expect(at, heading).toBeGreaterThan(-1);
  const open = text.indexOf('```\n', at);
  return text.slice(open + 4, text.indexOf('```', open + 4));
}
const steps = (block: string) => [...block.matchAll(/^(\d+\. .+)$/gm)].map((m) => m[1]!.trim());
const rollback = (block: string) => [...block.slice(block.indexOf('Rollback plan:')).matchAll(/^- (.+)$/gm)].map((m) => m[1]!.trim());

/** "within 4 hours" → 4, "in 5 minutes" → 5/60: the deadline the rollback plan writes. */
function deadlineHours(lines: readonly string[]): number {
  for (const l of lines) {
    const m = /(?:within|in) (\d+) (hour|minute)s?/.exec(l);
    if (m) return Number(m[1]) / (m[2] === 'minute' ? 60 : 1);
  }
  throw new Error(`no deadline in ${lines.join(' / ')}`);
}
/** "Monitor for 24 hours" → 24, "(2 weeks)" → 336, "for 1 week" → 168; no duration: none. */
function waitOf(step: string): number | undefined {
  const m = /(\d+) (hour|week)s?\)?$/.exec(step);
  return m ? Number(m[1]) * (m[2] === 'week' ? 168 : 1) : undefined;
}

const HEADINGS: Record<string, string> = {
  'mobile-minor': '**Minor Updates (Bug fixes, small improvements)**',
  'mobile-major': '**Major Updates (New features)**',
  'ghl-workflow': '### GHL Workflow Updates',
  'ai-model': '**Model Retraining:**',
  'ai-prompt': '**Prompt Updates:**',
  aws: '**AWS Service Updates:**',
  database: '**Database Updates:**',
};

describe.skipIf(!present)(`the change runbooks and the DR procedure against the guide (${present ? GUIDE : 'skipped: the guide is absent'})`, () => {
  it.each(DEFAULT_RUNBOOKS.map((r) => [r.id, r] as const))('%s: its steps, its rollback plan and its deadline are the guide’s', (id, rb) => {
    const block = blockAfter(HEADINGS[id]!);
    expect(rb.steps.map((s) => s.title)).toEqual(steps(block));
    expect(rb.rollback).toEqual(rollback(block));
    expect(rb.rollbackHours).toBeCloseTo(deadlineHours(rollback(block)), 6);
    // A step the guide gives a duration to ("Monitor for 24 hours", "Beta test … (2 weeks)") is a wait,
    // except the approval wait ("1-3 days": Apple's and Google's, not ours to time) and a development estimate.
    for (const s of rb.steps) if (!/^\d+\. (Develop|Wait for approval)/.test(s.title)) expect([s.title, s.waitHours]).toEqual([s.title, waitOf(s.title)]);
  });

  it('a canary release is the go/no-go step', () => {
    const canary = DEFAULT_RUNBOOKS.flatMap((r) => r.steps.filter((s) => /canary/i.test(s.title)));
    expect(canary.length).toBeGreaterThan(0);
    for (const s of canary) expect(s.canary).toBe(true);
  });

  it('the DR procedure is the ten steps of "If System Goes Down", with the configured 24 hours by default', () => {
    const cfg = buildOpsConfig({}).disasterRecovery;
    expect(cfg.monitorHours).toBe(24);
    const def = drProcedureDef(1, cfg.monitorHours, '#leadership');
    expect(def.sections.flatMap((s) => s.items.map((i) => i.title))).toEqual(steps(blockAfter('**If System Goes Down:**')));
  });
});
