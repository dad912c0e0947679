import { json, startStandin, type Standin } from './server';

export interface HealthState {
  /** The JSON document served at any path (the guide's /api/health answer by default). */
  body?: unknown;
}

export const GUIDE_HEALTH_BODY = {
  status: 'healthy',
  uptime: '99.98%',
  last_incident: 'none',
  all_systems: 'operational',
};

export interface HealthStandin extends Standin {
  setBody(body: unknown): void;
}

/** The system health endpoint of the guide's morning checklist (`GET /api/health`). */
export async function startHealthStandin(state: HealthState = {}): Promise<HealthStandin> {
  let body: unknown = state.body ?? GUIDE_HEALTH_BODY;
  const base = await startStandin({
    handle: () => json(200, body),
    errorReply: (status) => json(status, { error: status >= 500 ? 'internal error' : 'unauthorized' }),
    malformedReply: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>502 Bad Gateway</html>' }),
  });
  return {
    ...base,
    setBody: (b) => {
      body = b;
    },
  };
}
