import { and, inArray, sql } from 'drizzle-orm';
import type { IncidentView } from '../../blocks/incident';
import type { ChecklistDef } from '../checklists';
import type { OpsConfig } from '../config/ops-config';
import { checklistItems, checklistRuns } from '../db/schema';
import { channelFor, type Deps } from '../deps';
import { toView } from '../incidents/view';
import { listOpenIncidents } from '../incidents/store';
import { openFollowupsOf } from '../incidents/followups';
import { rolesOnCall, type RoleOnCall } from '../oncall/holders';
import { scorecardRefusal } from '../rights';
import { hasAnyRole } from '../runs/rights';
import { nextOccurrence, parseCron, toLocal, wallTimeToInstant } from '../schedule';
import type { Scorecard } from '../scorecard';
import { HomeScorecards } from './scorecard';

/**
 * What one person's Home tab shows, read in a few bounded queries: the listeners and the
 * publisher never write SQL of their own. Every list is capped so the view stays within Slack's
 * 100 blocks however busy the day is; the totals say how much was left out.
 */
export interface HomeRun {
  id: number;
  name: string;
  at: Date;
  state: 'open' | 'complete' | 'missed';
  late: boolean;
  signed: number;
  total: number;
  problems: number;
  channel: string;
  link: string | null;
}

export interface HomeWaiting {
  runId: number;
  checklist: string;
  item: string;
  link: string | null;
}

export interface HomeLevel {
  id: string;
  /** Key of `roles` the level pages. */
  role: string;
  name: string;
  members: string[];
  groups: string[];
  /** Who holds the role now and next (rotation or cover; src/oncall/holders.ts). */
  onCall?: RoleOnCall | undefined;
}

export interface HomeModel {
  userId: string;
  now: Date;
  timezone: string;
  /** Names of the roles this person holds (config `roles.*.members`). */
  roles: string[];
  today: HomeRun[];
  todayTotal: number;
  waiting: HomeWaiting[];
  waitingTotal: number;
  /** Open follow-ups this person owns (`/incident followup`). */
  followups: { id: number; incidentId: number; text: string; dueOn: string | null }[];
  incidents: { view: IncidentView; ageMs: number }[];
  incidentsTotal: number;
  levels: HomeLevel[];
  upcoming: { name: string; at: Date; channel: string }[];
  /** This week's success metrics (null: could not be computed now). */
  scorecard?: Scorecard | null;
}

/** Who holds each escalation level now: the members and groups of its role (config). */
export function onCallLevels(config: Pick<OpsConfig, 'incidents' | 'roles'>): HomeLevel[] {
  return config.incidents.chain.map((l) => {
    const role = config.roles[l.role];
    return { id: l.id, role: l.role, name: role?.name ?? l.id, members: [...(role?.members ?? [])], groups: [...(role?.groups ?? [])] };
  });
}

export const HOME_CAPS = { runs: 15, waiting: 15, followups: 10, incidents: 10, upcoming: 5, incidentsRead: 200 } as const;

/** Midnight to midnight of the business day that contains `now`. */
function businessDay(now: Date, tz: string): { start: Date; end: Date } {
  const l = toLocal(now, tz);
  const start = new Date(wallTimeToInstant({ year: l.year, month: l.month, day: l.day, hour: 0, minute: 0 }, tz));
  const next = new Date(Date.UTC(l.year, l.month - 1, l.day + 1));
  const end = new Date(wallTimeToInstant({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, tz));
  return { start, end };
}

/** The items a person is waiting on: restricted to one of their roles, or unrestricted on a checklist they own. */
function mine(deps: Deps, userId: string, def: ChecklistDef, itemId: string): { title: string } | null {
  for (const s of def.sections) {
    const it = s.items.find((i) => i.id === itemId);
    if (!it) continue;
    const roles = it.restrictedTo?.length ? it.restrictedTo : [def.ownerRole, ...(def.coOwnerRoles ?? [])];
    return hasAnyRole(deps.config, userId, roles) ? { title: it.title } : null;
  }
  return null;
}

/** Today's runs (at most 40 read), their items, and the first HOME_CAPS.runs of them with their progress and links. */
async function loadDay(deps: Deps, now: Date) {
  const tz = deps.config.timezone;
  const { start, end } = businessDay(now, tz);
  const base = sql`coalesce(${checklistRuns.scheduledFor}, ${checklistRuns.createdAt})`;
  const dayRuns = await deps.db
    .select({
      id: checklistRuns.id,
      // The name only: a definition is kilobytes of JSON, read below for the open runs alone.
      name: sql<string>`${checklistRuns.definition}->>'name'`,
      state: checklistRuns.state,
      late: checklistRuns.late,
      channel: checklistRuns.channel,
      messageTs: checklistRuns.messageTs,
      at: sql<Date>`${base}`.mapWith(checklistRuns.createdAt),
    })
    .from(checklistRuns)
    .where(and(sql`${base} >= ${start.toISOString()}::timestamptz`, sql`${base} < ${end.toISOString()}::timestamptz`))
    .orderBy(base)
    .limit(40);
  const items = dayRuns.length
    ? await deps.db
        .select({ runId: checklistItems.runId, itemId: checklistItems.itemId, status: checklistItems.status, position: checklistItems.position })
        .from(checklistItems)
        .where(
          inArray(
            checklistItems.runId,
            dayRuns.map((r) => r.id),
          ),
        )
        .orderBy(checklistItems.runId, checklistItems.position)
    : [];
  const shown = dayRuns.slice(0, HOME_CAPS.runs);
  const links = await Promise.all(shown.map((r) => (r.messageTs ? deps.permalinks.of(r.channel, r.messageTs) : Promise.resolve(undefined))));
  const linkOf = new Map(shown.map((r, i) => [r.id, links[i] ?? null]));
  const today: HomeRun[] = shown.map((r) => {
    const own = items.filter((i) => i.runId === r.id);
    return {
      id: r.id,
      name: r.name,
      at: new Date(r.at),
      state: r.state,
      late: r.late,
      signed: own.filter((i) => i.status !== 'pending').length,
      total: own.length,
      problems: own.filter((i) => i.status === 'problem').length,
      channel: r.channel,
      link: linkOf.get(r.id) ?? null,
    };
  });
  return { dayRuns, items, today, linkOf };
}

type Day = Awaited<ReturnType<typeof loadDay>>;

/** The pending items of today's open runs that this person may sign. */
async function waitingFor(deps: Deps, userId: string, dayRuns: Day['dayRuns'], items: Day['items'], linkOf: Day['linkOf']): Promise<HomeWaiting[]> {
  const openIds = dayRuns
    .filter((r) => r.state === 'open')
    .slice(-HOME_CAPS.runs)
    .map((r) => r.id);
  const defs = openIds.length
    ? await deps.db.select({ id: checklistRuns.id, definition: checklistRuns.definition }).from(checklistRuns).where(inArray(checklistRuns.id, openIds))
    : [];
  const waitingAll: HomeWaiting[] = [];
  for (const { id, definition } of defs) {
    const r = dayRuns.find((x) => x.id === id)!;
    const def = definition as ChecklistDef;
    for (const i of items) {
      if (i.runId !== r.id || i.status !== 'pending') continue;
      const m = mine(deps, userId, def, i.itemId);
      if (m) waitingAll.push({ runId: r.id, checklist: def.name, item: m.title, link: linkOf.get(r.id) ?? null });
    }
  }
  return waitingAll;
}

export async function loadHome(deps: Deps, userId: string, scorecards: HomeScorecards = new HomeScorecards()): Promise<HomeModel> {
  const now = deps.clock.now();
  const tz = deps.config.timezone;
  const { dayRuns, items, today, linkOf } = await loadDay(deps, now);
  const waitingAll = await waitingFor(deps, userId, dayRuns, items, linkOf);
  const followups = (await openFollowupsOf(deps.db, userId, HOME_CAPS.followups)).map((f) => ({
    id: f.id,
    incidentId: f.incidentId,
    text: f.text,
    dueOn: f.dueOn,
  }));
  const open = await listOpenIncidents(deps.db, HOME_CAPS.incidentsRead);
  const incidents = open.slice(0, HOME_CAPS.incidents).map((row) => ({ view: toView(row, now), ageMs: now.getTime() - row.declaredAt.getTime() }));
  const holders = await rolesOnCall(deps.db, deps.config, [...new Set(deps.config.incidents.chain.map((l) => l.role))], now);
  const levels = onCallLevels(deps.config).map((l) => ({ ...l, onCall: holders.get(l.role) }));
  const upcoming = deps.config.checklists
    .map((c) => ({ name: c.name, at: nextOccurrence(parseCron(c.schedule), tz, now), channel: channelFor(deps.config, c.channel) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .slice(0, HOME_CAPS.upcoming);
  const roles = Object.values(deps.config.roles)
    .filter((r) => r.members.includes(userId))
    .map((r) => r.name);
  return {
    userId,
    now,
    timezone: tz,
    roles,
    today,
    todayTotal: dayRuns.length,
    waiting: waitingAll.slice(0, HOME_CAPS.waiting),
    waitingTotal: waitingAll.length,
    followups,
    incidents,
    incidentsTotal: open.length,
    levels,
    upcoming,
    // Only for whoever may read it (`rights.scorecard`), as `/ops scorecard`.
    scorecard: scorecardRefusal(deps.config, userId) ? null : await scorecards.get(deps, now),
  };
}
