import type { OpsConfig } from '../config/ops-config';
import type { Tx } from '../db';
import { gatherWeekFacts, type GatherOptions } from './facts';
import { Canvas, type Rgb } from './png';
import { SEVERITIES, type Severity } from './types';
import { previousWeek, type IsoWeek } from './week';

/** One week of the leadership chart, every number from that week's facts. */
export interface ChartWeek {
  key: string;
  /** Checklists completed (on time or late) of those posted, in percent; null when none was posted. */
  completedPct: number | null;
  incidents: Record<Severity, number>;
  /** Mean time to acknowledge as a share of each incident's response SLA (100 = at the SLA); null without acks. */
  ackPctOfSla: number | null;
}

export async function gatherChartWeeks(db: Tx, config: OpsConfig, week: IsoWeek, now: Date, opts: GatherOptions = {}, weeks = 8): Promise<ChartWeek[]> {
  const list: IsoWeek[] = [week];
  while (list.length < weeks) list.unshift(previousWeek(list[0]!));
  const out: ChartWeek[] = [];
  for (const w of list) {
    const f = await gatherWeekFacts(db, config, w, now, opts);
    const t = f.checklists.totals;
    let weighted = 0;
    let acked = 0;
    for (const s of f.incidents.bySeverity) {
      const sla = config.incidents.severities[s.severity]?.responseMinutes;
      if (s.meanAckMinutes === null || !sla || s.count === 0) continue;
      weighted += (s.meanAckMinutes / sla) * 100 * s.count;
      acked += s.count;
    }
    out.push({
      key: w.key,
      completedPct: t.posted ? Math.round(((t.onTime + t.late) / t.posted) * 100) : null,
      incidents: Object.fromEntries(SEVERITIES.map((s) => [s, f.incidents.bySeverity.find((b) => b.severity === s)?.count ?? 0])) as Record<Severity, number>,
      ackPctOfSla: acked ? Math.round(weighted / acked) : null,
    });
  }
  return out;
}

/** What the chart shows, in words (the image's alt text). */
export function chartAltText(weeks: readonly ChartWeek[]): string {
  const w = weeks.map((x) => {
    const inc = SEVERITIES.map((s) => `${s.toUpperCase()} ${x.incidents[s]}`).join(', ');
    return `${x.key}: checklists ${x.completedPct === null ? 'none posted' : `${x.completedPct}% completed`}; incidents ${inc}; acknowledgement ${x.ackPctOfSla === null ? 'n/a' : `${x.ackPctOfSla}% of SLA`}`;
  });
  return `Last ${weeks.length} weeks. ${w.join('. ')}.`.slice(0, 1000);
}

export const CHART_SIZE = { width: 960, height: 320 } as const;
const INK: Rgb = [40, 40, 40];
const GRID: Rgb = [225, 225, 225];
const SEV_COLOURS: Record<Severity, Rgb> = { p0: [200, 30, 30], p1: [235, 120, 30], p2: [230, 190, 40], p3: [120, 160, 200] };

/** Three panels: checklist completion, incidents by severity (stacked), time to acknowledge against the SLA. */
export function renderChart(weeks: readonly ChartWeek[]): Buffer {
  const c = new Canvas(CHART_SIZE.width, CHART_SIZE.height);
  const panelW = CHART_SIZE.width / 3;
  const top = 40;
  const bottom = CHART_SIZE.height - 40;
  const plotH = bottom - top;
  const panel = (i: number, title: string, max: number, bars: (x: number, w: number, k: number, scale: (v: number) => number) => void) => {
    const x0 = i * panelW + 20;
    const w = panelW - 40;
    c.text(x0, 12, title, INK);
    c.rect(x0, bottom, w, 2, INK);
    const scale = (v: number) => (max > 0 ? (v / max) * plotH : 0);
    const slot = w / weeks.length;
    weeks.forEach((wk, k) => {
      bars(x0 + k * slot + slot * 0.15, slot * 0.7, k, scale);
      c.text(x0 + k * slot + slot * 0.15, bottom + 8, wk.key.slice(-2), INK, 2);
    });
  };
  panel(0, 'CHECKLISTS DONE %', 100, (x, w, k, scale) => {
    const v = weeks[k]!.completedPct;
    if (v === null) return c.text(x, bottom - 14, '-', INK);
    c.rect(x, bottom - scale(v), w, scale(v), [60, 140, 90]);
    c.text(x, bottom - scale(v) - 14, String(v), INK);
  });
  const maxInc = Math.max(1, ...weeks.map((wk) => SEVERITIES.reduce((n, s) => n + wk.incidents[s], 0)));
  panel(1, 'INCIDENTS P0-P3', maxInc, (x, w, k, scale) => {
    let y = bottom;
    for (const s of SEVERITIES) {
      const h = scale(weeks[k]!.incidents[s]);
      c.rect(x, y - h, w, h, SEV_COLOURS[s]);
      y -= h;
    }
    const total = SEVERITIES.reduce((n, s) => n + weeks[k]!.incidents[s], 0);
    c.text(x, y - 14, String(total), INK);
  });
  const maxAck = Math.max(150, ...weeks.map((wk) => wk.ackPctOfSla ?? 0));
  panel(2, 'ACK TIME % OF SLA', maxAck, (x, w, k, scale) => {
    const v = weeks[k]!.ackPctOfSla;
    c.rect(x - 4, bottom - scale(100), w + 8, 2, GRID.map((n) => n - 120) as unknown as Rgb); // the SLA line
    if (v === null) return c.text(x, bottom - 14, '-', INK);
    c.rect(x, bottom - scale(v), w, scale(v), v > 100 ? [200, 30, 30] : [60, 120, 200]);
    c.text(x, bottom - scale(v) - 14, String(v), INK);
  });
  return c.png();
}
