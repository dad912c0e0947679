import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checklistDefSchema, checklistSetSchema, morningChecklist, type ChecklistDef } from '../../src/checklists/index';

const clone = (): ChecklistDef => structuredClone(morningChecklist);

function issues(value: unknown, schema: z.ZodType = checklistDefSchema) {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];
}

describe('checklistDefSchema', () => {
  it('rejects a bad cron at the schedule path, with parseCron’s message', () => {
    expect(issues({ ...clone(), schedule: '0 25 * * *' })).toEqual([
      { path: 'schedule', message: 'invalid cron expression "0 25 * * *": hour: 25 is out of range 0-23' },
    ]);
    expect(issues({ ...clone(), schedule: '0 9 * *' })[0]?.path).toBe('schedule');
  });

  it('rejects a duplicate item id at the path of the repeat', () => {
    const def = clone();
    const items = def.sections[0]!.items;
    items[3] = { ...items[3]!, id: 'system-health' };
    expect(issues(def)).toEqual([{ path: 'sections.0.items.3.id', message: 'duplicate item id "system-health" (first used at sections.0.items.0.id)' }]);
  });

  it('rejects duplicate section, figure and alias ids', () => {
    const def = clone();
    def.sections.push({ ...def.sections[0]!, items: [{ id: 'other', title: 'Other', checks: ['x'] }] });
    def.aliases = ['morning', 'morning'];
    const figures = def.sections[0]!.items[1]!.figures!;
    figures[1] = { ...figures[1]!, id: 'total-calls' };
    expect(
      issues(def)
        .map((i) => i.path)
        .sort(),
    ).toEqual(['aliases.1', 'sections.0.items.1.figures.1.id', 'sections.1.id']);
  });

  it('rejects malformed or long ids, unknown units, and unknown fields', () => {
    expect(issues({ ...clone(), id: 'Morning' })[0]?.path).toBe('id');
    expect(issues({ ...clone(), id: '-x' })[0]?.path).toBe('id');
    expect(issues({ ...clone(), id: 'a'.repeat(41) })[0]?.message).toMatch(/at most 40/);
    const def = clone();
    (def.sections[0]!.items[1]!.figures![0] as { unit: string }).unit = 'furlongs';
    expect(issues(def)[0]?.path).toBe('sections.0.items.1.figures.0.unit');
    expect(issues({ ...clone(), colour: 'red' })[0]?.path).toBe('');
  });

  it('rejects empty sections, empty checks and non-positive durations', () => {
    expect(issues({ ...clone(), sections: [] })[0]?.path).toBe('sections');
    expect(issues({ ...clone(), durationMinutes: 0 })[0]?.path).toBe('durationMinutes');
    const def = clone();
    def.sections[0]!.items[0]!.checks = [];
    expect(issues(def)[0]?.path).toBe('sections.0.items.0.checks');
  });
});

describe('checklistSetSchema', () => {
  it('rejects two checklists with one id, and an alias that names another checklist', () => {
    const a = clone();
    const b = { ...clone(), aliases: [] };
    expect(issues([a, b], checklistSetSchema)).toEqual([{ path: '1.id', message: 'duplicate checklist id "morning" (first used at 0.id)' }]);
    const c = { ...clone(), id: 'evening-ish', aliases: ['morning'] };
    expect(issues([a, c], checklistSetSchema)).toEqual([{ path: '1.aliases.0', message: 'alias "morning" already names checklist "morning"' }]);
  });
});
