import type { SummaryProse } from './prose';
import type { WeekFacts } from './types';

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * A plain summary written from the facts alone, used when the LLM cannot be (no key, timeout,
 * error, refusal, invalid or ungrounded output). Every number in it is a number of the facts.
 */
export function fallbackProse(facts: WeekFacts): SummaryProse {
  if (facts.empty) {
    return {
      executiveSummary: `No checklists, probe results, figures or incidents were recorded for ${facts.week.key}.`,
      wins: [],
      challenges: [],
      planNextWeek: ['Make sure the scheduled checklists are posted and signed so next week has data.'],
    };
  }
  const t = facts.checklists.totals;
  const inc = facts.incidents;
  const parts = summaryParts(facts);
  const ch = facts.changes;
  // One sentence per DR test, every number one of its facts (the grounding check reads the prose).
  const dr = facts.drTests;
  for (const d of dr.slice(0, 3)) parts.push(drSentence(d));
  const card = facts.scorecard;
  const fu = facts.followups;
  const wins: string[] = [];
  const challenges: string[] = [];
  const plan: string[] = [];
  if (t.posted > 0 && t.missed === 0 && t.late === 0 && t.open === 0) wins.push('Every checklist that was due was completed on time.');
  else if (t.onTime > 0) wins.push(`${n(t.onTime, 'checklist')} completed on time.`);
  if (facts.probes.checks > 0 && facts.probes.failures === 0) wins.push('No probe failed this week.');
  if (t.missed > 0) {
    challenges.push(`${n(t.missed, 'checklist')} missed.`);
    plan.push('Find out why checklists were missed and confirm owners for next week.');
  }
  if (t.late > 0) challenges.push(`${n(t.late, 'checklist')} completed late.`);
  if (t.open > 0) challenges.push(`${n(t.open, 'checklist')} posted but not signed off yet.`);
  if (facts.problems.count > 0) {
    challenges.push(`${n(facts.problems.count, 'item')} signed Problem.`);
    plan.push('Follow up every item signed Problem until it is resolved.');
  }
  const failing = facts.probes.bySystem.filter((s) => s.failures > 0).slice(0, 3);
  for (const s of failing) challenges.push(`${s.probe}: ${n(s.failures, 'failed check')} of ${s.checks}.`);
  if (failing.length) plan.push('Look into the systems whose probes failed.');
  if (inc.source !== 'unavailable' && inc.bySeverity.some((s) => s.slaBreaches > 0)) {
    challenges.push(
      `${n(
        inc.bySeverity.reduce((a, s) => a + s.slaBreaches, 0),
        'SLA breach',
        'SLA breaches',
      )}.`,
    );
    plan.push('Review the incidents that breached their SLA.');
  }
  const drOver = dr.filter((d) => d.metTarget === false || d.dataLossMet === false);
  if (drOver.length > 0) {
    challenges.push(`DR test over target: ${drOver.map((d) => d.name).join(', ')}.`);
    plan.push('Find out what slowed the DR restore and test again.');
  }
  if (ch && ch.incidentsLinked > 0) {
    challenges.push(`${n(ch.incidentsLinked, 'incident')} linked to a change.`);
    plan.push('Review the changes that failed or had incidents during their monitoring window.');
  }
  if (fu && fu.overdue > 0) {
    challenges.push(`${n(fu.overdue, 'incident follow-up')} overdue.`);
    plan.push('Close the overdue incident follow-ups (see /incident followups).');
  }
  const missed = card?.metrics.filter((m) => m.status === 'missed') ?? [];
  if (missed.length) {
    challenges.push(`Off target: ${missed.map((m) => `${m.label} ${m.value} (target ${m.op} ${m.target})`).join(', ')}.`);
    plan.push('Agree an owner for each success metric that missed its target.');
  }
  if (plan.length === 0) plan.push('Keep the checklists on schedule.');
  return {
    executiveSummary: parts.join(' '),
    wins: wins.slice(0, 5),
    challenges: challenges.slice(0, 5),
    planNextWeek: plan.slice(0, 5),
  };
}

/** The executive summary's sentences: checklists, problems, probes, incidents, changes, scorecard. */
function summaryParts(facts: WeekFacts): string[] {
  const t = facts.checklists.totals;
  const inc = facts.incidents;
  const ch = facts.changes;
  const card = facts.scorecard;
  const parts = [
    `${n(t.posted, 'checklist')} posted: ${t.onTime} completed on time, ${t.late} late${t.open ? `, ${t.open} still open` : ''}.`,
    ...(t.missed > 0 ? [`${n(t.missed, 'checklist')} not posted (missed).`] : []),
    `${n(facts.problems.count, 'item')} signed Problem.`,
    `${n(facts.probes.failures, 'probe failure')} in ${n(facts.probes.checks, 'check')}${facts.probes.skipped ? ` (${facts.probes.skipped} skipped: not configured)` : ''}.`,
    inc.source === 'unavailable' ? 'Incident data is not available yet.' : `${n(inc.total, 'incident')}, ${n(inc.escalations, 'escalation')}.`,
  ];
  if (ch && ch.started > 0)
    parts.push(
      `${n(ch.started, 'change')} recorded, ${ch.completed} completed, ${ch.failed ?? 0} failed, ${n(ch.incidentsLinked, 'incident')} linked to a change (a failure or during its monitoring window).`,
    );
  const fu = facts.followups;
  if (fu && fu.opened + fu.done + fu.overdue > 0) parts.push(`Incident follow-ups: ${fu.opened} opened, ${fu.done} done, ${fu.overdue} overdue.`);
  if (card) parts.push(`Scorecard: ${card.met} of ${n(card.total, 'success metric')} on target, ${card.missed} missed, ${card.noData} without data.`);
  return parts;
}

function drSentence(d: WeekFacts['drTests'][number]): string {
  const time = d.totalRecoveryMinutes ?? d.restoreMinutes;
  if (time === null) return `${d.name}: ${d.state === 'missed' ? 'not posted' : 'no recovery time recorded'}.`;
  const target = d.targetMinutes !== undefined ? ` (target under ${d.targetMinutes} min: ${d.metTarget ? 'met' : 'over target'})` : '';
  const loss =
    d.dataLossMinutes != null
      ? `, data loss ${d.dataLossMinutes} min${d.dataLossTargetMinutes !== undefined ? ` (target at most ${d.dataLossTargetMinutes} min: ${d.dataLossMet ? 'met' : 'over target'})` : ''}`
      : '';
  const verified = d.verifiedBySecondPerson ? 'verified by a second person' : 'not verified by a second person';
  return `${d.name}: recovery ${time} min${target}${loss}, ${verified}.`;
}
