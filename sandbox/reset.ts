import { sql } from 'drizzle-orm';
import type { Database } from '../src/db';

/**
 * Empties every table of the app (whatever features have added since), keeping the schema and
 * drizzle's migration journal, which lives in its own `drizzle` schema. Only the sandbox calls
 * this, and the sandbox only ever opens its own embedded database.
 */
export async function resetDatabase(database: Database): Promise<string[]> {
  const result = await database.db.execute(sql`select tablename from pg_tables where schemaname = current_schema() order by tablename`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { tablename: string }[];
  const tables = rows.map((r) => r.tablename);
  if (tables.length === 0) return [];
  const list = tables.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ');
  await database.db.execute(sql.raw(`truncate table ${list} restart identity cascade`));
  return tables;
}
