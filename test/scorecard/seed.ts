import type { OpsConfig } from '../../src/config/ops-config';
import type { Db } from '../../src/db';
import { checklistItems, checklistRuns, incidents, metrics, probeResults } from '../../src/db/schema';

/**
 * Seeds 2026-W09 (America/New_York: Mon 23 Feb 05:00Z – Mon 2 Mar 05:00Z) and W08 so each of the
 * twelve metrics has a known value, verdict and trend — and error rate has no data at all.
 */
export async function seedScorecard(db: Db, config: OpsConfig): Promise<void> {
  const probe = (p: string, status: string, at: string, responseMs?: number) => ({
    probe: p,
    status,
    summary: `${p} ${status}`,
    evidence: responseMs === undefined ? {} : { responseMs },
    durationMs: 100,
    checkedAt: new Date(at),
  });
  await db.insert(probeResults).values([
    // Uptime 4 up of 4 (100%), response mean 190 ms; W08: 1 of 2 (50%), 300 ms.
    probe('health', 'ok', '2026-02-23T14:00:00Z', 150),
    probe('health', 'ok', '2026-02-24T14:00:00Z', 170),
    probe('health', 'ok', '2026-02-25T14:00:00Z', 190),
    probe('health', 'warn', '2026-02-26T14:00:00Z', 250),
    probe('health', 'unknown', '2026-02-27T14:00:00Z'),
    probe('health', 'ok', '2026-02-17T14:00:00Z', 300),
    probe('health', 'fail', '2026-02-18T14:00:00Z'),
    // Backups 6 of 7 (85.71%); W08 none.
    ...[23, 24, 25, 26, 27, 28].map((d) => probe('backups', 'ok', `2026-02-${d}T07:00:00Z`)),
    probe('backups', 'fail', '2026-03-01T07:00:00Z'),
    probe('backups', 'skipped', '2026-03-01T08:00:00Z'),
  ]);

  const fig = (checklistId: string, figureId: string, unit: string, value: number, periodStart: string, runId: number | null = null) => ({
    runId,
    checklistId,
    itemId: 'seeded',
    figureId,
    periodStart: new Date(periodStart),
    unit,
    value,
    enteredBy: 'UOPS',
    enteredAt: new Date(periodStart),
  });
  await db.insert(metrics).values([
    fig('performance-weekly', 'crash-rate', 'percent', 1.5, '2026-02-23T05:00:00Z'),
    // CPL: two evenings (mean 19.5); the first evening's figure was corrected, the correction counts.
    fig('evening', 'cpl', 'money', 30, '2026-02-23T22:00:00Z'),
    { ...fig('evening', 'cpl', 'money', 18, '2026-02-23T22:00:00Z'), enteredAt: new Date('2026-02-23T23:00:00Z') },
    fig('evening', 'cpl', 'money', 21, '2026-02-24T22:00:00Z'),
    fig('evening', 'cpl', 'money', 22, '2026-02-17T22:00:00Z'),
    fig('evening', 'conversion-rate', 'percent', 24, '2026-02-23T22:00:00Z'),
    fig('evening', 'conversion-rate', 'percent', 26, '2026-02-17T22:00:00Z'),
    fig('midweek-check', 'average-rating', 'rating', 4.6, '2026-02-25T05:00:00Z'),
    fig('midweek-check', 'average-rating', 'rating', 4.6, '2026-02-18T05:00:00Z'),
    // Revenue growth: January 10,000 → February 11,500 (15%); the weekly wrap-up's revenue is not monthly.
    fig('monthly-review', 'total-revenue', 'money', 10_000, '2026-01-01T05:00:00Z'),
    fig('monthly-review', 'total-revenue', 'money', 11_500, '2026-02-01T05:00:00Z'),
    fig('week-wrap-up', 'total-revenue', 'money', 99_999, '2026-02-23T05:00:00Z'),
  ]);

  const incident = (key: string, declaredAt: string, ackMin: number | null, resolveH: number | null) => ({
    dedupeKey: key,
    severity: 'p1' as const,
    summary: `seeded ${key}`,
    declaredBy: 'UOPS',
    source: 'slash',
    level: 0,
    policy: {},
    channel: 'incidents',
    declaredAt: new Date(declaredAt),
    responseDueAt: new Date(declaredAt),
    timeToAckMs: ackMin === null ? null : ackMin * 60_000,
    timeToResolveMs: resolveH === null ? null : resolveH * 3_600_000,
    state: resolveH === null ? ('open' as const) : ('resolved' as const),
  });
  await db.insert(incidents).values([
    // Response mean 20 min (10, 30; one never acknowledged); resolution mean 9 h (6, 12). W08: 12 min, unresolved.
    incident('a', '2026-02-24T15:00:00Z', 10, 6),
    incident('b', '2026-02-25T15:00:00Z', 30, 12),
    incident('c', '2026-02-26T15:00:00Z', null, null),
    incident('d', '2026-02-18T15:00:00Z', 12, null),
  ]);

  // Security: 3 of 5 runs compliant (one complete with a Problem, one missed); W08 1 of 1.
  const def = config.checklists.find((c) => c.id === 'security-daily')!;
  const run = async (at: string, state: 'complete' | 'missed' | 'open', problem = false) => {
    const [row] = await db
      .insert(checklistRuns)
      .values({
        checklistId: 'security-daily',
        periodKey: at,
        kind: 'scheduled',
        state,
        scheduledFor: new Date(at),
        definition: def,
        channel: 'ops',
        messageTs: at,
        createdAt: new Date(at),
        postedAt: new Date(at),
        completedAt: state === 'complete' ? new Date(at) : null,
      })
      .returning();
    const items = def.sections.flatMap((s) => s.items);
    await db.insert(checklistItems).values(
      items.map((it, position) => ({
        runId: row!.id,
        itemId: it.id,
        position,
        status: problem && position === 0 ? ('problem' as const) : ('done' as const),
      })),
    );
  };
  await run('2026-02-23T14:00:00Z', 'complete');
  await run('2026-02-24T14:00:00Z', 'complete');
  await run('2026-02-25T14:00:00Z', 'complete');
  await run('2026-02-26T14:00:00Z', 'complete', true);
  await run('2026-02-27T14:00:00Z', 'missed');
  await run('2026-02-17T14:00:00Z', 'complete');
}
