/**
 * `node dist/make-template.js`, the build's last step (scripts/build.mjs): the template PGlite data
 * directory (initdb plus our migrations) in dist/pglite-template/, so a deployment's first start
 * copies it instead of running initdb. Kept when the PGlite version and the migrations are
 * unchanged, so a rebuild (every `npm start`) costs a check, not an initdb.
 */
import { fileURLToPath } from 'node:url';
import { pgliteTemplate, SHIPPED_TEMPLATES } from './pglite-dir';

// As src/db/index.ts has it (not imported: that would load the PostgreSQL driver for nothing).
const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));

try {
  await pgliteTemplate(MIGRATIONS_DIR, SHIPPED_TEMPLATES);
} catch (err) {
  // The bot still starts without it: its first start sets the directory up in a child process.
  process.stderr.write(`Could not make the PGlite template data directory: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
