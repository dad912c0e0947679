import { describe, expect, it } from 'vitest';
import {
  CHANNEL_KEYS,
  ROLE_IDS,
  checklistDefSchema,
  checklistItemCount,
  checklistSetSchema,
  defaultChecklists,
  findChecklist,
  type ChecklistDef,
} from '../../src/checklists/index';
import { describeSchedule, occurrencesBetween, parseCron, periodKeyFor } from '../../src/schedule/index';

const byId = (id: string): ChecklistDef => {
  const def = defaultChecklists.find((d) => d.id === id);
  if (!def) throw new Error(`no checklist ${id}`);
  return def;
};

describe('defaultChecklists', () => {
  it('is accepted by the schema, one by one and as a set', () => {
    for (const def of defaultChecklists) expect(checklistDefSchema.parse(def)).toEqual(def);
    expect(checklistSetSchema.safeParse(defaultChecklists).success).toBe(true);
  });

  // MAINTENANCE CALENDAR of the guide, entry by entry.
  it.each([
    ['morning', '0 9 * * *', 15, 'every day at 9:00'],
    ['evening', '0 17 * * *', 10, 'every day at 17:00'],
    ['weekly-review', '0 9 * * 1', 30, 'Mondays at 9:00'],
    ['midweek-check', '0 14 * * 3', 20, 'Wednesdays at 14:00'],
    ['week-wrap-up', '0 16 * * 5', 30, 'Fridays at 16:00'],
    ['monthly-review', '0 9 * * 1#1', 120, 'the first Monday of the month at 9:00'],
    ['dr-test', '0 14 * * 5L', 60, 'the last Friday of the month at 14:00'],
    ['quarterly-review', '0 9 1-7 1,4,7,10 1', 240, 'the first Monday of each quarter at 9:00'],
    ['innovation-review', '0 9 1-7 1,4,7,10 2', 120, 'the first Tuesday of each quarter at 9:00'],
    ['dr-full', '0 14 * 3,6,9,12 5L', 120, 'the last Friday of each quarter at 14:00'],
  ])('calendar: %s runs on %s for %i minutes (%s)', (id, cron, minutes, words) => {
    const def = byId(id);
    expect(def.schedule).toBe(cron);
    expect(def.durationMinutes).toBe(minutes);
    expect(describeSchedule(def.schedule)).toBe(words);
  });

  it.each([
    ['security-daily', '30 9 * * *', 10],
    ['security-weekly', '0 10 * * 2', 30],
    ['security-monthly', '0 11 * * 1#1', 60],
    ['performance-weekly', '0 10 * * 4', 30],
    ['performance-monthly', '0 14 * * 4#1', 60],
  ])('our chosen slot: %s runs on %s for %i minutes, and says so in a note', (id, cron, minutes) => {
    const def = byId(id);
    expect(def.schedule).toBe(cron);
    expect(def.durationMinutes).toBe(minutes);
    expect(def.notes?.join(' ')).toMatch(/are ours/);
  });

  it('has exactly these checklists, in calendar order', () => {
    expect(defaultChecklists.map((d) => d.id)).toEqual([
      'morning',
      'evening',
      'weekly-review',
      'midweek-check',
      'week-wrap-up',
      'monthly-review',
      'dr-test',
      'quarterly-review',
      'innovation-review',
      'dr-full',
      'security-daily',
      'security-weekly',
      'security-monthly',
      'performance-weekly',
      'performance-monthly',
    ]);
  });

  it('owners: operations manager for the routine lists, CEO for the quarter, known roles and channels only', () => {
    for (const id of ['morning', 'evening', 'weekly-review', 'midweek-check', 'week-wrap-up']) {
      expect(byId(id).ownerRole).toBe('ops-manager');
    }
    expect(byId('monthly-review')).toMatchObject({ ownerRole: 'ops-manager', coOwnerRoles: ['tech-lead'] });
    expect(byId('quarterly-review')).toMatchObject({ ownerRole: 'ceo', coOwnerRoles: ['ops-manager', 'tech-lead'], channel: 'leadership' });
    const roles: readonly string[] = ROLE_IDS;
    const channels: readonly string[] = CHANNEL_KEYS;
    for (const def of defaultChecklists) {
      expect(roles).toContain(def.ownerRole);
      for (const r of def.coOwnerRoles ?? []) expect(roles).toContain(r);
      for (const item of def.sections.flatMap((s) => s.items)) for (const r of item.restrictedTo ?? []) expect(roles).toContain(r);
      expect(channels).toContain(def.channel);
    }
  });

  it('ids and aliases are unique across the set', () => {
    const ids = defaultChecklists.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const names = defaultChecklists.flatMap((d) => [d.id, ...d.aliases.filter((a) => a !== d.id)]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('the morning checklist has exactly the seven checks, in the guide’s order', () => {
    const morning = byId('morning');
    expect(checklistItemCount(morning)).toBe(7);
    const items = morning.sections.flatMap((s) => s.items);
    expect(items.map((i) => i.title)).toEqual([
      'System Health Check',
      'Review Overnight Metrics',
      'Check Critical Alerts',
      'Verify Call Forwarding',
      'Review AI Agent Activity',
      'Check Payment Processing',
      'Review Customer Feedback',
    ]);
    expect(items.map((i) => i.probe)).toEqual(['health', 'errors', 'alarms', 'forwarding', 'agents', 'payments', undefined]);
    const [health, metrics, , forwarding, , payments, feedback] = items;
    expect(health?.target).toBe('status healthy, all systems operational');
    expect(metrics?.figures?.map((f) => [f.id, f.target])).toEqual([
      ['total-calls', 'matches expected volume'],
      ['forwarding-success-rate', '> 95%'],
      ['workflow-completion-rate', '> 90%'],
      ['error-count', '< 10'],
    ]);
    expect(metrics?.checks).toContain('AI agent status (all should be "active")');
    expect(forwarding).toMatchObject({ target: 'forwards to GHL within 2 seconds', severityOnProblem: 'p1' });
    expect(payments).toMatchObject({ target: 'failed payments < 5%, no chargebacks, no fraud alerts', severityOnProblem: 'p0' });
    expect(feedback?.target).toMatch(/> 4\.5.*24 hours.*> 30%/);
  });

  it('the evening checklist has its four sections, with the backups probe last', () => {
    const evening = byId('evening');
    expect(evening.sections.map((s) => s.title)).toEqual(["Review Day's Performance", 'Check Pending Items', 'Prepare for Tomorrow', 'Backup Verification']);
    expect(evening.sections[3]?.items[0]).toMatchObject({ id: 'backups', probe: 'backups' });
  });

  it('the Monday review compares its performance figures with three earlier weeks', () => {
    const figures = byId('weekly-review').sections[0]?.items[0]?.figures ?? [];
    expect(figures.map((f) => f.label)).toEqual(['Total leads', 'Conversion rate', 'CPL', 'Revenue', 'Profit margin']);
    for (const f of figures) expect(f.compareTo).toEqual(['previous_week', 'same_week_last_month', 'same_week_last_year']);
    expect(byId('weekly-review').sections.map((s) => s.id)).toEqual(['performance', 'ai-agents', 'google-ads', 'ghl-workflows', 'mobile-apps']);
  });

  it('the Friday wrap-up records leads, bookings, revenue, profit and ROI', () => {
    const figures = byId('week-wrap-up').sections[0]?.items[0]?.figures ?? [];
    expect(figures.map((f) => [f.id, f.unit])).toEqual([
      ['total-leads', 'count'],
      ['total-bookings', 'count'],
      ['total-revenue', 'money'],
      ['profit', 'money'],
      ['roi', 'percent'],
    ]);
  });

  it('the monthly review has the eight sections and month-over-month comparisons', () => {
    const monthly = byId('monthly-review');
    expect(monthly.sections.map((s) => s.title)).toEqual([
      'Monthly Performance Review',
      'Financial Review',
      'AI Agent Deep Dive',
      'Security Audit',
      'System Updates',
      'Backup Testing',
      'Customer Feedback Analysis',
      'Capacity Planning',
    ]);
    for (const f of monthly.sections[0]?.items[0]?.figures ?? []) expect(f.compareTo).toEqual(['previous_month', 'same_month_last_year']);
  });

  it('the quarterly review has its five sections', () => {
    expect(byId('quarterly-review').sections.map((s) => s.title)).toEqual([
      'Quarterly Business Review',
      'Technology Review',
      'Competitive Analysis',
      'Strategic Planning',
      'Team Review',
    ]);
  });

  it('DR tests carry their targets: restore < 1 h monthly, recovery < 4 h quarterly', () => {
    const monthly = byId('dr-test').sections[0]?.items[0];
    expect(monthly?.target).toBe('restoration < 1 hour');
    expect(monthly?.figures).toEqual([{ id: 'time-to-restore', label: 'Time to restore', unit: 'minutes', target: '< 60 min' }]);
    expect(byId('dr-full').sections[0]?.items[0]?.target).toBe('total recovery < 4 hours');
  });

  it('both DR tests are posted on the last Friday of each quarter (kept on purpose)', () => {
    const tz = 'America/New_York';
    const keys = (def: ChecklistDef) =>
      occurrencesBetween(parseCron(def.schedule), tz, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).map((d) => periodKeyFor(d, tz));
    const monthly = keys(byId('dr-test'));
    const full = keys(byId('dr-full'));
    expect(full).toEqual(['2026-03-27T14:00', '2026-06-26T14:00', '2026-09-25T14:00', '2026-12-25T14:00']);
    for (const k of full) expect(monthly).toContain(k);
    expect(byId('dr-full').notes?.join(' ')).toMatch(/same last Friday/);
  });

  it('weekly performance review has the guide’s nine targets with their units', () => {
    const figures = byId('performance-weekly').sections[0]?.items.flatMap((i) => i.figures ?? []) ?? [];
    expect(figures.map((f) => [f.id, f.unit, f.target])).toEqual([
      ['api-average', 'ms', '< 200 ms'],
      ['api-p95', 'ms', '< 500 ms'],
      ['api-p99', 'ms', '< 1000 ms'],
      ['app-launch-time', 'seconds', '< 2 s'],
      ['screen-load-time', 'seconds', '< 1 s'],
      ['crash-rate', 'percent', '< 1%'],
      ['query-time', 'ms', '< 100 ms'],
      ['pool-usage', 'percent', '< 80%'],
      ['slow-queries', 'count', '0'],
    ]);
  });
});

describe('findChecklist', () => {
  it.each([
    ['morning', 'morning'],
    ['evening', 'evening'],
    ['monday', 'weekly-review'],
    ['wednesday', 'midweek-check'],
    ['friday', 'week-wrap-up'],
    ['monthly', 'monthly-review'],
    ['dr-test', 'dr-test'],
    ['quarterly', 'quarterly-review'],
    ['innovation', 'innovation-review'],
    ['dr-full', 'dr-full'],
    ['security', 'security-daily'],
    ['performance', 'performance-weekly'],
    ['backups', 'evening'],
  ])('alias %s → %s', (alias, id) => {
    expect(findChecklist(defaultChecklists, alias)?.id).toBe(id);
  });

  it('is case-insensitive, trims, matches ids, and returns undefined for unknown names', () => {
    expect(findChecklist(defaultChecklists, '  MONDAY ')?.id).toBe('weekly-review');
    expect(findChecklist(defaultChecklists, 'Security-Monthly')?.id).toBe('security-monthly');
    expect(findChecklist(defaultChecklists, 'nope')).toBeUndefined();
    expect(findChecklist(defaultChecklists, '')).toBeUndefined();
  });

  it('counts items across sections', () => {
    expect(checklistItemCount(byId('evening'))).toBe(4);
    expect(checklistItemCount(byId('weekly-review'))).toBe(1 + 3 + 2 + 5 + 3);
  });
});
