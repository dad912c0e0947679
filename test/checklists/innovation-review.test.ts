import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultChecklists, findChecklist } from '../../src/checklists/index';
import { occurrencesBetween, parseCron, periodKeyFor } from '../../src/schedule/index';

/** The guide lives beside the repository (../shared/seed/), not in it. */
const GUIDE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seed/MAINTENANCE_GUIDE.md');
const present = existsSync(GUIDE);
const def = defaultChecklists.find((d) => d.id === 'innovation-review')!;
const item = (id: string) => def.sections.flatMap((s) => s.items).find((i) => i.id === id)!;

describe('the quarterly innovation review checklist', () => {
  it('runs in the first week of each quarter, the morning after the quarterly review', () => {
    const tz = 'America/New_York';
    const keys = (cron: string) =>
      occurrencesBetween(parseCron(cron), tz, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).map((d) => periodKeyFor(d, tz));
    expect(keys(def.schedule)).toEqual(['2026-01-06T09:00', '2026-04-07T09:00', '2026-07-07T09:00', '2026-10-06T09:00']);
    const quarterly = keys(defaultChecklists.find((d) => d.id === 'quarterly-review')!.schedule);
    expect(quarterly).toEqual(['2026-01-05T09:00', '2026-04-06T09:00', '2026-07-06T09:00', '2026-10-05T09:00']);
    expect(findChecklist(defaultChecklists, 'innovation')?.id).toBe('innovation-review');
    expect(def.notes?.join(' ')).toMatch(/are ours/);
  });

  describe.skipIf(!present)(`against the guide (${present ? GUIDE : `skipped: ${GUIDE} is absent`})`, () => {
    const text = present ? readFileSync(GUIDE, 'utf8') : '';
    const start = text.indexOf('### Quarterly Innovation Review');
    const section = text.slice(start, text.indexOf('\n## ', start));
    /** The guide's numbered parts: "**1. Explore New Technologies**" and the fenced block under it. */
    const parts = [...section.matchAll(/\*\*\d+\. ([^*]+)\*\*\n```\n([\s\S]*?)```/g)].map((m) => ({ title: m[1]!.trim(), body: m[2]! }));
    const boxes = (body: string) => [...body.matchAll(/^☐ (.+)$/gm)].map((m) => m[1]!.trim());
    const dashes = (body: string) => [...body.matchAll(/^- (.+)$/gm)].map((m) => m[1]!.trim());

    it('has the guide sections, in order', () => {
      expect(start).toBeGreaterThan(-1);
      expect(parts.map((p) => p.title)).toEqual(def.sections.map((s) => s.title));
    });

    it('Explore New Technologies: its research boxes, its evaluation criteria and its pilot, word for word', () => {
      const body = parts[0]!.body;
      expect(body).toMatch(/^Research:$/m);
      expect(item('research').checks).toEqual(boxes(body));
      expect(body).toMatch(/^Evaluate:$/m);
      expect(item('evaluate').checks).toEqual(dashes(body));
      expect(body).toContain(`\n${item('pilot').title}\n`);
      expect(def.sections[0]!.items.map((i) => i.id)).toEqual(['research', 'evaluate', 'pilot']);
    });

    it('Process Improvements: every process the guide lists for review', () => {
      const body = parts[1]!.body;
      expect(body).toMatch(/^Review all processes:$/m);
      expect(item('review-processes').checks).toEqual(boxes(body));
      expect(boxes(body)).toHaveLength(6);
    });
  });
});
