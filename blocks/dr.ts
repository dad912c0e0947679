import { clipMrkdwn, escapeMrkdwn, joinMrkdwn, mention, mrkdwn, type Mrkdwn } from './format';
import { clip, LIMITS, type Block, type Message } from './limits';

/** One DR test as shown in `/ops dr` and `/ops status`: computed by src/dr (pure data here). */
export interface DrTestView {
  name: string;
  dateText: string;
  runState: 'open' | 'complete' | 'missed';
  record?: {
    recoveryText: string;
    dataLossText: string;
    rtoMet: boolean | null;
    rpoMet: boolean | null;
    backupUsed: string;
    evidence: string;
    operator: string;
    verifier: string | null;
    /** "recovery 42 min (target < 1 h 00 min): met · data loss 5 min (…): met" */
    resultText: string;
  };
}

export const DR_PAGE_SIZE = 10;

function icon(v: DrTestView): Mrkdwn {
  if (!v.record) return v.runState === 'missed' ? mrkdwn`:no_entry:` : mrkdwn`:white_circle:`;
  if (v.record.rtoMet === false || v.record.rpoMet === false) return mrkdwn`:red_circle:`;
  return v.record.verifier ? mrkdwn`:white_check_mark:` : mrkdwn`:hourglass_flowing_sand:`;
}

/** One line (or a few) per DR test: the result against the targets, who did what, the evidence. */
export function drTestText(v: DrTestView, detail: 'full' | 'short' = 'full'): Mrkdwn {
  const head = mrkdwn`${icon(v)} *${escapeMrkdwn(clip(v.name, 100))}* · ${escapeMrkdwn(clip(v.dateText, 60))}`;
  const r = v.record;
  if (!r) {
    const why = v.runState === 'missed' ? 'not posted (the bot was down)' : v.runState === 'open' ? 'not recorded yet' : 'completed without a record';
    return mrkdwn`${head} — ${escapeMrkdwn(why)}`;
  }
  const verified = r.verifier ? mrkdwn`verified by ${mention(r.verifier)}` : mrkdwn`*not verified yet*`;
  const lines = [mrkdwn`${head} — ${escapeMrkdwn(r.resultText)}`, mrkdwn`Operator ${mention(r.operator)}, ${verified}`];
  if (detail === 'full') {
    lines.push(mrkdwn`Backup: ${escapeMrkdwn(clip(r.backupUsed, 200))}`);
    lines.push(mrkdwn`Evidence: ${escapeMrkdwn(clip(r.evidence, 400))}`);
  }
  return clipMrkdwn(joinMrkdwn(lines), LIMITS.sectionText);
}

/** `/ops dr`: the DR tests, newest first, a page at a time. */
export function buildDrHistory(tests: readonly DrTestView[], page: { number: number; pages: number; total: number }): Message {
  const section = (text: Mrkdwn): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'Disaster recovery tests' } }];
  if (tests.length === 0) {
    blocks.push(section(page.total === 0 ? mrkdwn`No DR test has been posted yet.` : mrkdwn`No DR tests on page ${page.number}.`));
  } else {
    for (const t of tests.slice(0, DR_PAGE_SIZE)) blocks.push(section(drTestText(t)));
  }
  const more = page.number < page.pages ? mrkdwn` · \`/ops dr ${page.number + 1}\` for older ones` : mrkdwn``;
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: mrkdwn`Page ${page.number} of ${Math.max(page.pages, 1)} · ${page.total} in all${more}` }],
  });
  return { text: mrkdwn`Disaster recovery tests: page ${page.number} of ${Math.max(page.pages, 1)}`, blocks };
}
