// The guide's monthly and quarterly DR tests as records: the operator records start, end, backup
// used, data lost and evidence ("Record DR test"), a second person verifies, and the result is
// held to the configured targets; a miss opens an incident, once per test.
import type { Deps } from '../deps';
import type { Tx } from '../db';
import { describeError } from '../errors';
import { declareIncident } from '../incidents/flows';
import { saveFigures } from '../runs/figures';
import { refreshRunMessage } from '../runs/flow';
import { loadRun, signItem, type RunRow, type RunState } from '../runs/store';
import { twoPersonRefusal } from '../runs/two-person';
import { cancelTimers, scheduleTimer, type TimerHandler } from '../timers';
import { capText, storableText } from '../user-text';
import { drRecordRefusal } from '../rights';
import type { DrInput } from './tests-input';
import { drPairOf, evaluateDrTest, restoreTooOld, resultText, targetsFor, type DrPair, type DrResult, type DrTargets } from './tests-rules';
import { clearDrVerifier, getDrTest, setDrVerifier, upsertDrTest } from './tests-store';

export type RecordOutcome =
  | { kind: 'recorded'; run: RunRow; operatorItem: string; userId: string; result: DrResult; targets: DrTargets; dataLossMinutes: number }
  | { kind: 'refused'; message: string }
  | { kind: 'not_found' };

/**
 * A missed target's incident, stored as an intent in the record's transaction: the submit declares
 * it at once and cancels the timer; if the process dies first, the timer sweep declares it.
 */
export const DR_BREACH_KIND = 'dr-breach';
const BREACH_FALLBACK_MS = 2 * 60_000;

const TWO_PERSON = (title: string) => `You recorded this DR test: “${title}” must be signed by someone else (two-person rule).`;

/**
 * Records the operator's DR test: the record, its measured figure and the restore item's sign-off
 * in one transaction, under the run's lock, where the two-person rule is checked. `afterDrRecord`
 * does the rest once Slack has its answer.
 */
export async function recordDrTest(deps: Deps, req: { runId: number; userId: string; input: DrInput; requestKey: string }): Promise<RecordOutcome> {
  const state = await loadRun(deps.db, req.runId);
  const pair = state && drPairOf(state.run.definition);
  if (!state || !pair) return { kind: 'not_found' };
  const refusal = drRecordRefusal(deps.config, req.userId, pair.operator.restrictedTo);
  if (refusal) return { kind: 'refused', message: refusal };
  const { input } = req;
  const tooOld = restoreTooOld(state.run.scheduledFor ?? state.run.createdAt, input.endedAt);
  if (tooOld) return { kind: 'refused', message: tooOld };
  const targets = targetsFor(deps.config.drTests, state.run.checklistId);
  const result = evaluateDrTest({ ...input, ...targets });
  const now = deps.clock.now();
  const outcome = await signItem(deps.db, {
    runId: req.runId,
    itemId: pair.operator.id,
    status: 'done',
    userId: req.userId,
    note: capText(`Recorded: ${resultText(result, targets, input.dataLossMinutes)}. Backup: ${input.backupUsed}. Evidence: ${input.evidence}`, 1500),
    requestKey: req.requestKey,
    now,
    inLock: (tx, fresh) => writeRecord(tx, fresh, pair, req.userId, input, targets, result, now),
  });
  if (outcome.kind === 'refused') return { kind: 'refused', message: outcome.message };
  if (outcome.kind === 'not_found') return { kind: 'not_found' };
  deps.logger.info({ runId: req.runId, user: req.userId, recoveryMinutes: result.recoveryMinutes, breached: result.breached }, 'DR test recorded');
  return { kind: 'recorded', run: state.run, operatorItem: pair.operator.id, userId: req.userId, result, targets, dataLossMinutes: input.dataLossMinutes };
}

/**
 * After a record is stored (and Slack answered): the incident a missed target opens, then the
 * message's re-render. Returns the incident's id when one is open for this test.
 */
export async function afterDrRecord(deps: Deps, rec: Extract<RecordOutcome, { kind: 'recorded' }>): Promise<number | undefined> {
  const incidentId = rec.result.breached ? await openBreachIncident(deps, rec.run, rec.userId, rec.result, rec.targets, rec.dataLossMinutes) : undefined;
  if (incidentId !== undefined) await cancelTimers(deps.db, DR_BREACH_KIND, String(rec.run.id), deps.clock.now());
  await refreshRunMessage(deps, rec.run.id, rec.operatorItem).catch((err: unknown) =>
    deps.logger.warn({ runId: rec.run.id, err: describeError(err) }, 'checklist message not updated after the DR record'),
  );
  return incidentId;
}

async function writeRecord(
  tx: Tx,
  fresh: RunState,
  pair: DrPair,
  userId: string,
  input: DrInput,
  targets: DrTargets,
  result: DrResult,
  now: Date,
): Promise<string | null> {
  const twoPerson = twoPersonRefusal(fresh, pair.operator.id, userId, 'done');
  if (twoPerson) return twoPerson;
  const existing = await getDrTest(tx, fresh.run.id);
  if (existing?.verifier === userId) return `You verified this DR test: “${pair.operator.title}” must be recorded by someone else (two-person rule).`;
  if (existing?.verifier) return 'This DR test is already verified, so its record is final. If it is wrong, mark the verification as a Problem first.';
  await upsertDrTest(tx, {
    runId: fresh.run.id,
    checklistId: fresh.run.checklistId,
    ...input,
    operator: userId,
    recordedAt: now,
    verifier: null,
    verifiedAt: null,
    rtoMinutes: targets.rtoMinutes,
    rpoMinutes: targets.rpoMinutes,
  });
  // The measured time also goes into the figure history (comparisons, the summary's trend).
  const minutes = pair.operator.figures?.find((f) => f.unit === 'minutes');
  if (minutes) await saveFigures(tx, fresh.run, pair.operator.id, [minutes], [{ figureId: minutes.id, value: result.recoveryMinutes }], userId, now);
  if (result.breached) await scheduleTimer(tx, { kind: DR_BREACH_KIND, refId: String(fresh.run.id), dueAt: new Date(now.getTime() + BREACH_FALLBACK_MS) });
  return null;
}

/** A missed target opens an incident, once per DR test (its run): severity from `drTests.breachSeverity`. */
async function openBreachIncident(
  deps: Deps,
  run: RunRow,
  userId: string,
  result: DrResult,
  targets: DrTargets,
  dataLoss: number,
): Promise<number | undefined> {
  try {
    return await declareBreach(deps, run, userId, result, targets, dataLoss);
  } catch (err) {
    deps.logger.error({ runId: run.id, err: describeError(err) }, 'could not open the incident for a missed DR target; the timer sweep retries');
    return undefined;
  }
}

async function declareBreach(deps: Deps, run: RunRow, userId: string, result: DrResult, targets: DrTargets, dataLoss: number): Promise<number> {
  const name = run.definition.name;
  const declared = await declareIncident(deps, {
    severity: deps.config.drTests.breachSeverity,
    summary: capText(storableText(`${name} missed its target: ${resultText(result, targets, dataLoss)}`), 200),
    system: 'infrastructure',
    declaredBy: userId,
    source: 'checklist',
    sourceRef: `${name} (run ${run.id}), DR test record`,
    dedupeKey: `dr-test:${run.id}`,
  });
  return declared.incident.id;
}

/** The fallback: the record of a missed target is stored but its incident was not declared (the process died, or declaring failed). */
export function drBreachHandler(deps: Deps): TimerHandler {
  return {
    send: async (db, timer) => {
      const state = await loadRun(db, Number(timer.refId));
      const record = await getDrTest(db, Number(timer.refId));
      if (!state || !record) return;
      const targets = { rtoMinutes: record.rtoMinutes, rpoMinutes: record.rpoMinutes };
      const result = evaluateDrTest({ ...record, ...targets });
      // A record corrected since to meet its targets opens nothing.
      if (result.breached) await declareBreach(deps, state.run, record.operator, result, targets, record.dataLossMinutes);
    },
  };
}

/**
 * The DR rules of a plain sign-off (a button), for `signItem`'s lock: the restore is signed Done
 * only through its record, by its operator; the verification needs a record, a person other than
 * its operator, and sets the record's verifier in the same transaction. Undefined: not a DR item.
 */
export function drSignInLock(
  def: RunRow['definition'],
  itemId: string,
  userId: string,
  status: string,
  now: Date,
): ((tx: Tx, state: RunState) => Promise<string | null>) | undefined {
  const pair = drPairOf(def);
  if (!pair) return undefined;
  if (itemId === pair.operator.id && status === 'done') {
    return async (tx, state) => {
      const record = await getDrTest(tx, state.run.id);
      if (record?.operator === userId) return null;
      return `Use “Record DR test” on “${pair.operator.title}”: a DR test is signed with its start and end, the backup used, the data lost and the evidence.`;
    };
  }
  if (itemId !== pair.verifier?.id) return undefined;
  return async (tx, state) => {
    if (status !== 'done') {
      await clearDrVerifier(tx, state.run.id);
      return null;
    }
    const record = await getDrTest(tx, state.run.id);
    if (!record) return `Nothing to verify yet: the operator records the test first (“Record DR test” on “${pair.operator.title}”).`;
    if (record.operator === userId) return TWO_PERSON(pair.verifier!.title);
    if (record.verifier === userId) return null;
    if (record.verifier) return 'This DR test is already verified by someone else.';
    await setDrVerifier(tx, state.run.id, userId, now);
    return null;
  };
}
