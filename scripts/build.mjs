// Builds dist/: the bot as plain ESM JavaScript that `node dist/main.js` runs, with the files it
// reads at run time beside it, so dist/ plus node_modules/ is all a deployment needs.
//
// Plain JavaScript on purpose: `npm start` runs this first (prestart), also after
// `npm prune --omit=dev`, when neither tsx nor esbuild is installed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Folders whose TypeScript is the bot (bundled from src/main.ts) and whose other files are assets
// read at run time next to their module (the sandbox page, whichever folder the sandbox lives in).
const SOURCE_DIRS = ['src', 'commands', 'blocks', 'jobs', 'sandbox'];
// Read at run time through paths relative to a module: migrations (src/db), the Slack manifest
// (the sandbox's command list).
const ROOT_ASSETS = ['drizzle', 'manifest.yml'];
// dist/pglite-template/: src/db/pglite-dir.ts SHIPPED_TEMPLATES.
const TEMPLATE_DIR = 'pglite-template';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/**
 * Bundled into dist/ rather than imported from node_modules: drizzle-orm and zod are ESM split
 * into ~100 modules each, and Node pays per module (resolution, a file read, a module record).
 */
const BUNDLED = ['drizzle-orm', 'zod'];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // A production install (`npm ci --omit=dev`, or pruned after the build) has no esbuild: run the
  // dist/ built before the prune rather than refuse to start.
  if (existsSync(join(dist, 'main.js'))) process.exit(0);
  process.stderr.write('Cannot build dist/: esbuild is not installed. Run `npm install` (with dev dependencies), then `npm run build`.\n');
  process.exit(1);
}

/**
 * One bundle keeps start-up to a single file read, but a bundled module's `import.meta.url` would be
 * dist/main.js, not its own. Each source file's `import.meta.url` (and `.dirname`, `.filename`) is
 * rewritten to the URL its compiled twin would have in a mirror of the tree under dist/
 * (src/db/index.ts → dist/src/db/index.js), and the assets are copied into that mirror: `new URL('../../drizzle', import.meta.url)` in
 * src/db/index.ts finds dist/drizzle whatever file the code lands in.
 */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!/import\.meta\.(url|dirname|filename)/.test(source)) return undefined;
      const twin = relative(root, args.path)
        .split(sep)
        .join('/')
        .replace(/\.[cm]?ts$/, '.js');
      const url = `new URL(${JSON.stringify(`./${twin}`)}, import.meta.url)`;
      const contents =
        source
          .replaceAll('import.meta.url', `${url}.href`)
          .replaceAll('import.meta.filename', `__ownPath(${url})`)
          .replaceAll('import.meta.dirname', `__ownPath(new URL(".", ${url}))`) +
        // Last, so the source map's lines stay those of the file (imports are hoisted anyway).
        '\nimport { fileURLToPath as __ownPath } from "node:url";\n';
      return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

function copyAssets(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(rel);
    else if (!/\.([cm]?ts|md)$/.test(entry.name)) {
      mkdirSync(join(dist, dir), { recursive: true });
      cpSync(join(root, rel), join(dist, rel));
    }
  }
}

// Everything but the template data directory, which is made again only when its key changes (below).
mkdirSync(dist, { recursive: true });
for (const entry of readdirSync(dist)) if (entry !== TEMPLATE_DIR) rmSync(join(dist, entry), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  // make-template: the last step below.
  // dist/main.js is src/start.ts, which loads src/main.ts (a chunk of its own) once its first line has run.
  entryPoints: { main: 'src/start.ts', 'make-template': 'src/db/make-template.ts' },
  outdir: dist,
  bundle: true,
  // Dependencies stay in node_modules, imported as they are (lazy imports stay lazy), except the
  // pure-ESM ones made of many small modules (BUNDLED).
  external: Object.keys(pkg.dependencies)
    .filter((d) => !BUNDLED.includes(d))
    .flatMap((d) => [d, `${d}/*`]),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dynamically imported modules become their own files, loaded on first use. Every output file
  // must sit in dist/ itself: the rewritten import.meta.url above is relative to it.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  // Bundling renames clashing top-level names; error names and logs should keep the real ones.
  keepNames: true,
  logLevel: 'warning',
  plugins: [ownUrl],
});
for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) copyAssets(dir);
for (const asset of ROOT_ASSETS) cpSync(join(root, asset), join(dist, asset), { recursive: true });
// The version /healthz reports, and `"type": "module"` for dist/ (the nearest package.json).
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2)}\n`);
// A migrated PGlite data directory for first starts to copy (src/db/make-template.ts): seconds when
// the migrations changed, a check otherwise. Without it the bot still starts (initdb in a child
// process on its first start), so a failure here is a warning.
const template = spawnSync(process.execPath, [join(dist, 'make-template.js')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (template.status !== 0) process.stderr.write('Warning: dist/ has no PGlite template; a first start on a fresh DATA_DIR will be slower.\n');
