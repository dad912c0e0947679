import type { Deps } from '../src/deps';
import { rolesOnCallAtEach } from '../src/oncall/holders';
import type { Job } from './loop';

const EVERY_MS = 30_000;

/**
 * Home shows who is on call now and next. A cover set or ended by command re-publishes it at once;
 * this job does the same when time alone changes the holder (a rotation's hand-off, a cover running
 * out): it compares the holders now with those one window ago (two ticks, so a late tick misses
 * nothing), and only while someone has Home open. Nothing is kept between runs; a change seen
 * twice costs one unchanged view, never sent.
 */
export async function run(deps: Deps, now: Date): Promise<{ changed: string[] }> {
  // Nobody would see the re-publish: no reads (Home is fresh again at its next open).
  if (!deps.home.watched()) return { changed: [] };
  const roles = [...new Set(deps.config.incidents.chain.map((l) => l.role))];
  const before = new Date(now.getTime() - 2 * EVERY_MS);
  // One read of the overrides for both instants.
  const [then, current] = await rolesOnCallAtEach(deps.db, deps.config, roles, [before, now]);
  const changed = roles.filter((r) => then?.get(r)?.holder?.userId !== current?.get(r)?.holder?.userId);
  if (changed.length) deps.home.changed();
  return { changed };
}

export const oncallHandoffJob: Job = { name: 'oncall-handoff', everyMs: EVERY_MS, run };
