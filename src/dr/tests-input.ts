// What the "Record DR test" modal submits, validated field by field: the errors are keyed by the
// modal's block ids so Slack shows each under its field.
import { parseFigure } from '../runs/units';
import { userText } from '../user-text';

export const DrFields = {
  start: 'dr_start',
  end: 'dr_end',
  backup: 'dr_backup',
  dataLoss: 'dr_data_loss',
  evidence: 'dr_evidence',
} as const;
export const DR_INPUT_ACTION = 'dr_value';

/** The longest restore a record accepts: past two days the dates are surely mistyped. */
const MAX_RECOVERY_MS = 48 * 3_600_000;
/** A clock a few minutes ahead of ours is not "in the future". */
const FUTURE_SLACK_MS = 5 * 60_000;

export interface DrInput {
  startedAt: Date;
  endedAt: Date;
  backupUsed: string;
  dataLossMinutes: number;
  evidence: string;
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_date_time?: number | null } | undefined> | undefined>;

export type DrParse = { ok: true; input: DrInput } | { ok: false; errors: Record<string, string> };

/** Validates the modal's values; `now` is the bot's clock. */
export function parseDrInput(values: StateValues, now: Date): DrParse {
  const field = (block: string) => values[block]?.[DR_INPUT_ACTION];
  const errors: Record<string, string> = {};
  const when = (block: string, what: string): Date | undefined => {
    const secs = field(block)?.selected_date_time;
    // A number no Date can hold (the picker's value is seconds) is no date either.
    const at = typeof secs === 'number' ? new Date(secs * 1000) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      errors[block] = `Pick the date and time the restore ${what}.`;
      return undefined;
    }
    if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) errors[block] = 'This is in the future: record a restore once it is over.';
    return at;
  };
  const startedAt = when(DrFields.start, 'started');
  const endedAt = when(DrFields.end, 'ended');
  if (startedAt && endedAt && !errors[DrFields.end]) {
    if (endedAt.getTime() <= startedAt.getTime()) errors[DrFields.end] = 'The end must be after the start.';
    else if (endedAt.getTime() - startedAt.getTime() > MAX_RECOVERY_MS) errors[DrFields.end] = 'More than 48 hours after the start: check both dates.';
  }
  const text = (block: string, max: number) => userText(field(block)?.value, { slackEncoded: false, max });
  const backupUsed = text(DrFields.backup, 200);
  if (!backupUsed) errors[DrFields.backup] = 'Name the backup you restored (its S3 key or date).';
  const lossRaw = text(DrFields.dataLoss, 50);
  const loss = lossRaw ? parseFigure('minutes', lossRaw) : ({ ok: false, error: 'Enter the minutes of data lost (0 if none).' } as const);
  if (!loss.ok) errors[DrFields.dataLoss] = loss.error;
  const evidence = text(DrFields.evidence, 1000);
  if (!evidence) errors[DrFields.evidence] = 'Add a link to the evidence (test report, log, ticket) or a short note of what was checked.';
  if (Object.keys(errors).length > 0 || !startedAt || !endedAt || !loss.ok) return { ok: false, errors };
  return { ok: true, input: { startedAt, endedAt, backupUsed, dataLossMinutes: loss.value as number, evidence } };
}
