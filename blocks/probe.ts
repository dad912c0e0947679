import { PROBE_ICON, type ProbeVerdict } from './checklist';
import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mention, mrkdwn } from './format';
import { clip, type Block, type Message } from './limits';

export interface ProbeResultView {
  probe: string;
  status: ProbeVerdict;
  summary: string;
  evidence: string;
  durationMs: number;
}

/** Results of `/ops probe …`: one section per probe with its verdict, summary and evidence. */
export function buildProbeResults(results: readonly ProbeResultView[], requestedBy: string): Message {
  const worst = (['fail', 'unknown', 'warn', 'ok', 'skipped'] as const).find((s) => results.some((r) => r.status === s)) ?? 'ok';
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: `Probe results (${results.length})` } }];
  for (const r of results.slice(0, 20)) {
    const lines = [
      mrkdwn`${PROBE_ICON[r.status]} *${escapeMrkdwn(r.probe)}* — ${escapeMrkdwn(r.status)} in ${r.durationMs} ms`,
      escapeMrkdwn(clip(r.summary, 500)),
    ];
    if (r.evidence) lines.push(mrkdwn`_${escapeMrkdwn(clip(r.evidence, 600))}_`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(joinMrkdwn(lines), 3000) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn`Requested by ${mention(requestedBy)}` }] });
  const text = `Probes: ${results.map((r) => `${r.probe} ${r.status}`).join(', ')}`;
  return { text: clipMrkdwn(escapeMrkdwn(`${worst === 'ok' ? '' : `[${worst}] `}${text}`), 3000), blocks };
}
