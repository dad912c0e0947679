import type { MetricResult, MetricUnit, Scorecard } from '../src/scorecard/metrics';
import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from './format';
import { clip, LIMITS, type Block, type Message } from './limits';

const dec = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A scorecard value as read: 99.95% / 180 ms / $18.50 / 4.6/5 / 12 min / 5.2 h. */
export function formatMetric(unit: MetricUnit, value: number): string {
  switch (unit) {
    case 'percent':
      return `${dec.format(value)}%`;
    case 'ms':
      return `${dec.format(value)} ms`;
    case 'money':
      return `$${dec.format(value)}`;
    case 'rating':
      return `${dec.format(value)}/5`;
    case 'minutes':
      return `${dec.format(value)} min`;
    case 'hours':
      return `${dec.format(value)} h`;
  }
}

/** "> 99.9%", "< $20", "100%" (a ">=" target of 100% reads as the guide writes it). */
export function formatTarget(m: Pick<MetricResult, 'op' | 'unit' | 'target'>): string {
  const v = formatMetric(m.unit, m.target);
  return m.op === '>=' ? (m.target === 100 && m.unit === 'percent' ? v : `≥ ${v}`) : `${m.op} ${v}`;
}

const STATUS: Record<MetricResult['status'], Mrkdwn> = {
  met: mrkdwn`:white_check_mark:`,
  missed: mrkdwn`:x:`,
  no_data: mrkdwn`:grey_question:`,
};
const TREND: Record<NonNullable<MetricResult['trend']>, string> = { better: 'better than', worse: 'worse than', same: 'same as' };

/** One metric: verdict, value against its target, the trend and how it was measured. */
export function metricLine(m: MetricResult, previousKey: string): Mrkdwn {
  const value = m.value === null ? mrkdwn`_no data_` : mrkdwn`*${escapeMrkdwn(formatMetric(m.unit, m.value))}*`;
  const trend =
    m.trend === null
      ? m.value === null
        ? mrkdwn``
        : mrkdwn` · no data for ${escapeMrkdwn(previousKey)}`
      : mrkdwn` · ${escapeMrkdwn(TREND[m.trend])} ${escapeMrkdwn(previousKey)} (${escapeMrkdwn(formatMetric(m.unit, m.previous!))})`;
  return mrkdwn`${STATUS[m.status]} ${escapeMrkdwn(m.label)}: ${value} (target ${escapeMrkdwn(formatTarget(m))})${trend} — _${escapeMrkdwn(clip(m.basis, 120))}_`;
}

/** The scorecard's lines grouped as the guide groups them; used by `/ops scorecard` and the weekly summary. */
export function scorecardSections(card: Scorecard): Mrkdwn[] {
  const groups = [...new Set(card.metrics.map((m) => m.group))];
  return groups.map((g) => mrkdwn`*${escapeMrkdwn(g)}*\n${joinMrkdwn(card.metrics.filter((m) => m.group === g).map((m) => metricLine(m, card.previousKey)))}`);
}

export function scorecardHeadline(card: Scorecard): Mrkdwn {
  return mrkdwn`${card.met} met · ${card.missed} missed · ${card.noData} without data`;
}

const section = (text: Mrkdwn): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) } });

/** `/ops scorecard`: the twelve success metrics of a week. */
export function buildScorecardMessage(card: Scorecard): Message {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Scorecard — ${card.period.key} (${card.period.label})`, LIMITS.headerText) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: mrkdwn`${scorecardHeadline(card)} · trends against ${escapeMrkdwn(card.previousKey)} · targets from the guide's SUCCESS METRICS (config \`scorecard.targets\`)`,
        },
      ],
    },
    ...scorecardSections(card).map(section),
  ];
  return { text: mrkdwn`Scorecard ${escapeMrkdwn(card.period.key)}: ${scorecardHeadline(card)}`, blocks };
}
