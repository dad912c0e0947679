import { describe, expect, it } from 'vitest';
import { buildIncidentAnnouncement, buildIncidentDetail, buildIncidentList, buildPage, type IncidentView } from '../../blocks/incident';
import { buildDeclareModal } from '../../blocks/incident-modal';
import { messageProblems, modalProblems } from '../../src/slack/limits';
import { buildOpsConfig } from '../../src/config/ops-config';
import { parseSeverity, SYSTEMS } from '../../src/config/incidents';
import {
  decideEscalateNow,
  decideResolutionStep,
  decideResponseStep,
  incidentChannelName,
  planDeclare,
  slaClock,
  type IncidentSnapshot,
} from '../../src/incidents/machine';
import { describeEscalation, freezePolicy, pagedPeople } from '../../src/incidents/policy';
import { ackRefusal, resolveRefusal } from '../../src/rights';
import { mention, mrkdwn } from '../../blocks/format';

const MIN = 60_000;
const t0 = new Date('2026-03-02T14:00:00Z');
const at = (m: number) => new Date(t0.getTime() + m * MIN);
const config = buildOpsConfig({
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTECH'] },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
});

function snap(sev: 'p0' | 'p1' | 'p2' | 'p3', over: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  const policy = freezePolicy(config, sev);
  const plan = planDeclare(policy, t0);
  return {
    state: 'open',
    level: plan.level,
    policy,
    declaredAt: t0,
    responseDueAt: plan.responseDueAt,
    resolutionDueAt: plan.resolutionDueAt,
    acknowledgedAt: null,
    resolvedAt: null,
    ...over,
  };
}

describe('severities and policy (the guide’s table)', () => {
  it('defaults: SLAs, first pages and chain', () => {
    const p0 = planDeclare(freezePolicy(config, 'p0'), t0);
    expect([p0.responseDueAt, p0.resolutionDueAt, p0.page]).toEqual([at(15), at(60), [0, 2]]); // ops team + CTO at once
    const p1 = planDeclare(freezePolicy(config, 'p1'), t0);
    expect([p1.responseDueAt, p1.resolutionDueAt, p1.page]).toEqual([at(120), at(24 * 60), [1]]);
    const p2 = planDeclare(freezePolicy(config, 'p2'), t0);
    expect([p2.responseDueAt, p2.resolutionDueAt, p2.page]).toEqual([at(24 * 60), at(7 * 24 * 60), []]);
    const p3 = planDeclare(freezePolicy(config, 'p3'), t0);
    expect([p3.responseDueAt, p3.resolutionDueAt, p3.page]).toEqual([at(48 * 60), null, []]);
    expect(freezePolicy(config, 'p0').chain.map((l) => l.name)).toEqual(['Operations team', 'Technical Lead', 'CTO', 'CEO']);
  });

  it('"Escalates to" describes what the frozen policy pages', () => {
    expect(describeEscalation(freezePolicy(config, 'p1'))).toBe('Technical Lead at once; unacknowledged, every 120 min: CTO → CEO');
    expect(describeEscalation(freezePolicy(config, 'p3'))).toBe('Nobody is paged: the incidents channel only');
    const empty = buildOpsConfig({ roles: { 'ops-team': { name: 'Ops', members: ['U1'] } } });
    expect(describeEscalation(freezePolicy(empty, 'p1'))).toContain('nobody configured');
  });

  it('parses severities and words', () => {
    expect(['p0', 'P1', 'critical', 'High', 'medium', 'low', 'sev2', 'p5', 'x'].map(parseSeverity)).toEqual([
      'p0',
      'p1',
      'p0',
      'p1',
      'p2',
      'p3',
      'p2',
      null,
      null,
    ]);
  });

  it('config rejects unknown levels and roles with a named path', () => {
    expect(() => buildOpsConfig({ incidents: { severities: { p0: { startLevel: 'nope' } } } })).toThrow(/unknown escalation level "nope"/);
    expect(() => buildOpsConfig({ incidents: { chain: [{ id: 'x', role: 'ghost' }] } })).toThrow(/unknown role "ghost"/);
    expect(() => buildOpsConfig({ incidents: { phones: { U1: '555' } } })).toThrow(/E\.164/);
  });

  it('a frozen policy keeps the people as declared', () => {
    const p = freezePolicy(config, 'p0');
    (config.roles.cto!.members as string[]).push('UNEWCTO');
    expect(p.chain[2]!.members).toEqual(['UCTO']);
    (config.roles.cto!.members as string[]).pop();
    expect(pagedPeople(p, 0)).toEqual(['UOPS', 'UCTO']);
  });
});

describe('state machine', () => {
  it('response track climbs one level a step, on the beat, and stops at the top', () => {
    const s = snap('p0');
    expect(decideResponseStep(s, at(15), at(15))).toMatchObject({ kind: 'escalate', to: 1, next: at(30) });
    expect(decideResponseStep({ ...s, level: 2 }, at(45), at(45))).toMatchObject({ kind: 'escalate', to: 3, next: null });
    expect(decideResponseStep({ ...s, level: 3 }, at(60), at(60)).kind).toBe('notice');
    expect(decideResponseStep({ ...s, state: 'acknowledged' }, at(15), at(15)).kind).toBe('none');
    // A step found hours late does not burst: the next waits a full step from now.
    expect(decideResponseStep(s, at(15), at(200))).toMatchObject({ kind: 'escalate', to: 1, next: at(215) });
  });

  it('resolution track escalates acknowledged incidents; P2 only notifies', () => {
    expect(decideResolutionStep(snap('p1', { state: 'acknowledged' }), at(1440), at(1440))).toMatchObject({ kind: 'escalate', to: 2, next: at(1560) });
    expect(decideResolutionStep(snap('p2'), at(7 * 1440), at(7 * 1440)).kind).toBe('notice');
    expect(decideResolutionStep(snap('p1', { state: 'resolved' }), at(1440), at(1440)).kind).toBe('none');
  });

  it('escalate now ignores stale levels and resolved incidents', () => {
    const s = snap('p1');
    expect(decideEscalateNow(s, 1, at(1))).toMatchObject({ kind: 'escalate', to: 2, nextResponseStep: at(121) });
    expect(decideEscalateNow({ ...s, level: 2 }, 1, at(1))).toEqual({ kind: 'stale' });
    expect(decideEscalateNow({ ...s, state: 'resolved' }, 1, at(1))).toEqual({ kind: 'closed' });
    expect(decideEscalateNow({ ...s, level: 3 }, 3, at(1))).toEqual({ kind: 'top' });
  });

  it('SLA clock: running, breached at the deadline, met when done in time', () => {
    const s = snap('p0');
    expect(slaClock(s, at(14)).response).toEqual({ state: 'running', left: MIN });
    expect(slaClock(s, at(15)).response).toMatchObject({ state: 'breached', done: false });
    expect(slaClock({ ...s, acknowledgedAt: at(15) }, at(20)).response).toEqual({ state: 'met', at: at(15) });
    expect(slaClock(snap('p3'), at(1)).resolution).toEqual({ state: 'none' });
  });

  it('rights: acknowledge per level (or paged), resolve per role', () => {
    const s = snap('p0');
    expect(ackRefusal(config, s, 'UOPS')).toBeNull();
    expect(ackRefusal(config, s, 'UCTO')).toBeNull(); // paged at once
    expect(ackRefusal(config, s, 'USTRANGER')).toMatch(/may acknowledge/);
    expect(resolveRefusal(config, 'UTECH')).toBeNull();
    expect(resolveRefusal(config, 'USTRANGER')).toBe('Only the Operations team, Operations Manager, Technical Lead, CTO or CEO may resolve incidents.');
  });

  it('channel names: inc-<id>-<slug>, lowercase, at most 40 characters, cut between words', () => {
    expect(incidentChannelName(7, 'Payments DOWN!! (Stripe) ✗')).toBe('inc-7-payments-down-stripe');
    expect(incidentChannelName(7, '🔥🔥')).toBe('inc-7-incident');
    // The anchor's complaint: `…drainpro-low-fo`. Words that do not fit are left out whole.
    const name = incidentChannelName(1234, 'Call forwarding fails for drainpro low-fee numbers', '-2');
    expect(name).toBe('inc-1234-call-forwarding-fails-for-2');
    expect(name.length).toBeLessThanOrEqual(40);
    const long = incidentChannelName(12345, 'x'.repeat(200), '-2');
    expect(long.length).toBe(40);
    expect(long.startsWith('inc-12345-')).toBe(true);
    expect(long.endsWith('-2')).toBe(true);
  });
});

describe('incident blocks stay within Block Kit limits', () => {
  const view = (over: Partial<IncidentView> = {}): IncidentView => ({
    id: 123456,
    severity: 'p0',
    severityName: 'Critical',
    summary: `${'S'.repeat(200)} <!channel> & *bold*`,
    systemLabel: 'Payments',
    declaredBy: 'UDECL',
    state: 'open',
    level: 0,
    levelName: 'Operations team',
    nextLevelName: 'Technical Lead',
    escalateTo: 'CTO immediately',
    paged: Array.from({ length: 60 }, (_, i) => `U${String(i).padStart(8, '0')}`),
    declaredAt: t0,
    responseDueAt: at(15),
    resolutionDueAt: at(60),
    sla: { response: { state: 'breached', by: 5 * MIN, done: false }, resolution: { state: 'running', left: 45 * MIN } },
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    resolutionNote: null,
    incidentChannel: 'C0INC',
    origin: 'Opened from checklist Morning Checklist (run 1), item Payment processing',
    ...over,
  });

  it('announcement, list, detail, page and modal', () => {
    const a = buildIncidentAnnouncement(view());
    expect(messageProblems(a)).toBeNull();
    expect(JSON.stringify(a.blocks)).not.toContain('<!channel>');
    expect(a.blocks!.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ value: '123456|0' }, { value: '123456|0' }, { value: '123456|0' }, { value: '123456|0' }],
    });
    const resolved = buildIncidentAnnouncement(view({ state: 'resolved', resolvedBy: 'UX', resolvedAt: at(30), resolutionNote: 'n'.repeat(500) }));
    expect(messageProblems(resolved)).toBeNull();
    expect(resolved.blocks!.some((b) => b.type === 'actions')).toBe(false);
    expect(messageProblems(buildIncidentList(Array.from({ length: 120 }, () => ({ v: view(), ageMs: 3 * MIN }))))).toBeNull();
    const events = Array.from({ length: 200 }, (_, i) => ({ kind: 'note', text: 'x'.repeat(400), at: at(i), userId: 'UX' }));
    expect(messageProblems(buildIncidentDetail(view(), events))).toBeNull();
    expect(messageProblems(buildPage(view(), mention('UX'), 'CTO', mrkdwn`New incident.`))).toBeNull();
    expect(modalProblems(buildDeclareModal({ severities: [{ id: 'p0', label: 'P0 — Critical' }], systems: SYSTEMS }))).toBeNull();
  });
});
