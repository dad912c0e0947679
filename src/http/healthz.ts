import type { SlackMode } from '../config/env';
import type { Database } from '../db';
import type { Clock } from '../deps';
import { describeError } from '../errors';
import { degradedReasons } from '../slack/failures';
import { sendJson, type Routes } from './server';

/**
 * GET /healthz: 200 while the database answers (`degraded`, with the reasons, while Slack refuses
 * something for good), 503 when it does not.
 */
export function healthzRoutes(database: Database, clock: Clock, mode: SlackMode, version: string): Routes {
  return {
    'GET /healthz': async (_req, res) => {
      try {
        await database.ping(2000);
        // Slack refusing for good (revoked token, bot not in a channel) needs a person, not a
        // restart: still 200, so an orchestrator does not kill a bot that is otherwise working.
        const reasons = await degradedReasons(database.db, clock.now());
        sendJson(res, 200, {
          status: reasons.length ? 'degraded' : 'ok',
          database: 'up',
          db: database.kind,
          mode,
          version,
          ...(reasons.length ? { reasons } : {}),
        });
      } catch (err) {
        sendJson(res, 503, { status: 'unavailable', database: 'down', db: database.kind, mode, version, reason: describeError(err) });
      }
    },
  };
}
