import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { CHART_SIZE, chartAltText, gatherChartWeeks, renderChart } from '../../src/summary/chart';
import { parseWeekKey } from '../../src/summary/week';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { seedWeek } from './seed';

const clock = new FakeClock(new Date('2026-03-02T14:00:00Z'));
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ clock, config: { channels: { leadership: 'exec-room' } } });
  await seedWeek(t.database.db, t.config);
});
afterAll(() => t?.close());

/** Width, height and the RGB pixels of a PNG this module wrote (8-bit RGB, filter 0 rows). */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 3 + 1) * height);
  return { width, height, pixel: (x: number, y: number) => [...raw.subarray(y * (width * 3 + 1) + 1 + x * 3, y * (width * 3 + 1) + 4 + x * 3)] };
}

describe('the leadership chart (8 weeks, PNG without a browser)', () => {
  it('its numbers come from the facts of each week', async () => {
    const weeks = await gatherChartWeeks(t.database.db, t.config, parseWeekKey('2026-W09', t.config.timezone)!, clock.now());
    expect(weeks.map((w) => w.key)).toEqual(['2026-W02', '2026-W03', '2026-W04', '2026-W05', '2026-W06', '2026-W07', '2026-W08', '2026-W09']);
    // W09 (seed): 4 posted, 2 on time + 1 late completed → 75 %; no incidents.
    expect(weeks.at(-1)).toEqual({ key: '2026-W09', completedPct: 75, incidents: { p0: 0, p1: 0, p2: 0, p3: 0 }, ackPctOfSla: null });
    expect(weeks[0]!.completedPct).toBeNull();
    expect(chartAltText(weeks)).toContain('2026-W09: checklists 75% completed; incidents P0 0, P1 0, P2 0, P3 0; acknowledgement n/a');
  });

  it('draws bars to scale: 75 % completion is three quarters of the plot height', () => {
    const weeks = [
      { key: '2026-W08', completedPct: 100, incidents: { p0: 1, p1: 0, p2: 2, p3: 0 }, ackPctOfSla: 50 },
      { key: '2026-W09', completedPct: 75, incidents: { p0: 0, p1: 1, p2: 0, p3: 0 }, ackPctOfSla: 300 },
    ];
    const png = renderChart(weeks);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.length).toBeLessThan(60_000);
    // Panel 1, week 2's bar: plot from y=40 to 280 (240 px); 75 % reaches y=100.
    const x = 20 + ((960 / 3 - 40) / 2) * 1 + 30;
    expect(img.pixel(x, 279)).toEqual([60, 140, 90]);
    expect(img.pixel(x, 101)).toEqual([60, 140, 90]);
    expect(img.pixel(x, 97)).toEqual([255, 255, 255]);
    // Panel 3: 300 % of the SLA is over it: red.
    expect(img.pixel(2 * 320 + 20 + 140 + 30, 270)).toEqual([200, 30, 30]);
  });

  it('the Friday summary carries it in its thread with alt text; a failed upload leaves the summary alone', async () => {
    await t.slash('/ops', 'summary 2026-W09');
    const file = await t.slack.waitFor(() => [...t.slack.uploads.values()].find((u) => u.completed && u.filename === 'drainpro-2026-W09.png'));
    const summary = t.slack.channelMessages('exec-room').find((m) => m.text.startsWith('Weekly summary 2026-W09'))!;
    expect(file.threadTs).toBe(summary.ts);
    expect(file.altText).toContain('2026-W09: checklists 75% completed');
    expect(decodePng(file.bytes!).width).toBe(CHART_SIZE.width);

    t.slack.fault({ method: 'files.getUploadURLExternal', error: 'missing_scope', times: 1 });
    const posted = t.slack.channelMessages('exec-room').length;
    await t.slash('/ops', 'summary 2026-W08');
    await t.slack.waitFor(() => t.logs.find((l) => l.includes('weekly summary posted without its chart')));
    expect(t.slack.channelMessages('exec-room').length).toBe(posted + 1); // the summary, no chart
  });
});
