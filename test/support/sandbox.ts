import { loadEnv } from '../../src/config/env';
import { buildOpsConfig } from '../../src/config/ops-config';
import { createLogger } from '../../src/logger';
import type { WorkspaceSnapshot } from '../../sandbox/snapshot';
import { startSandbox, type RunningSandbox } from '../../sandbox/start';
import { openTestDatabase, type TestDatabase } from './db';

export interface TestSandbox {
  sandbox: RunningSandbox;
  database: TestDatabase;
  url: string;
  logs: string[];
  /** POSTs to /sandbox/api/<path> as the page does. */
  post(path: string, body: Record<string, unknown>): Promise<{ status: number; json: any }>;
  state(user?: string): Promise<WorkspaceSnapshot>;
  close(): Promise<void>;
}

/** The sandbox exactly as `npm start` builds it, on a free port and the suite's test database. */
export async function startTestSandbox(): Promise<TestSandbox> {
  const database = await openTestDatabase();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void logs.push(l) } });
  const sandbox = await startSandbox({ env: loadEnv({}), config: buildOpsConfig({}), logger, port: 0, dataDir: '/nonexistent', database, jobs: false });
  const url = sandbox.bot.url;
  return {
    sandbox,
    database,
    url,
    logs,
    post: async (path, body) => {
      const res = await fetch(`${url}/sandbox/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    },
    state: async (user = 'UALICE') => (await (await fetch(`${url}/sandbox/api/state?user=${user}`)).json()) as WorkspaceSnapshot,
    close: async () => {
      await sandbox.stop();
      await database.destroy();
    },
  };
}
