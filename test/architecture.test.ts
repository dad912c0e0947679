import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the code, checked on every run: imports point down the layers (composition root →
 * listeners and jobs → flows → domain and stores → Slack plumbing, config, db), SQL lives in
 * stores, files stay small. The graph comes from a regex over import lines; that is enough because
 * every import in this tree is a static `import … from '…'`, `export … from '…'` or `import('…')`.
 */

const ROOT = resolve(import.meta.dirname, '..');
const FOLDERS = ['src', 'commands', 'blocks', 'jobs', 'sandbox'];
const MAX_LINES = 300;

/** Files allowed over MAX_LINES, each with the reason it stays whole. */
const LONG_FILE_EXCEPTIONS: Record<string, string> = {
  'src/db/schema.ts':
    'table declarations only, no logic; drizzle.config.ts points at it, and branches adding tables all edit it: split into src/db/schema/*.ts once they are merged',
};

/**
 * Module-level state allowed in the bot's code (`path: name`), each a cache of a pure function or
 * of a module load, with the reason. Everything else that holds state is a part of `Deps`, built
 * once per bot (src/services.ts), so two bots in one process share nothing and tests pass their own.
 */
const MODULE_STATE_ALLOWED: Record<string, string> = {
  'src/schedule/timezone.ts: formatters': 'one Intl.DateTimeFormat per zone: building one is slow, the result depends on the zone only',
  'src/schedule/timezone.ts: midnightOffsets': "a zone's UTC offset at a UTC midnight never changes; bounded",
  'src/runs/view.ts: formatters': 'one Intl.DateTimeFormat per zone and options, as above',
  'src/runs/schedule.ts: specs': 'a cron expression parsed once; the parse depends on the text only',
  'src/probes/aws.ts: cloudWatchSdk': 'the lazy import() of an SDK: loads the module once',
  'src/probes/aws.ts: s3Sdk': 'the lazy import() of an SDK: loads the module once',
  'src/probes/twilio-client.ts: sdk': 'the lazy import() of an SDK: loads the module once',
  'src/probes/stripe-client.ts: sdk': 'the lazy import() of an SDK: loads the module once',
  'src/llm/openai.ts: sdk': 'the lazy import() of an SDK: loads the module once',
  'src/slack/request-scope.ts: replaying':
    "replays running in the process's one AsyncLocalStorage; per process, as Node's promise hook is: the last to end turns the hook off",
};
const STATE_FOLDERS = ['src', 'commands', 'jobs', 'blocks'];

/** A top-level `new X(` of a stateful kind, unless filled from a non-empty literal list. */
const NEW_STATE = /^(?:export\s+)?(?:const|var)\s+(\w+)[^=\n]*=\s*new\s+(?:Map|WeakMap|Set|WeakSet|CoalescingQueue)\b(?:\s*<[^(]*>)?\s*\((?!\[(?!\s*\]))/gm;

/**
 * The top-level `let`s and top-level `new Map/WeakMap/Set/WeakSet/CoalescingQueue`s of a file, as
 * `path: name`. A Set or Map filled from a literal list is a lookup table, not state: not listed.
 */
function moduleState(path: string, text: string): string[] {
  const lets = [...text.matchAll(/^(?:export\s+)?let\s+(\w+)/gm)].map((m) => m[1]!);
  const made = [...text.matchAll(NEW_STATE)];
  return [...lets, ...made.map((m) => m[1]!)].map((name) => `${path}: ${name}`);
}

/** The composition root: the only files in src/ that may wire listeners and jobs. */
const ROOTS = new Set(['src/main.ts', 'src/bot.ts']);

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...listFiles(path));
    else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

/** The project-relative path a relative specifier names, or undefined for packages. */
function resolveSpecifier(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(from), spec).replace(/\.js$/, '');
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(join(ROOT, candidate)) && statSync(join(ROOT, candidate)).isFile()) return candidate;
  }
  return `${base} (unresolved)`;
}

interface SourceFile {
  path: string;
  text: string;
  imports: string[];
  specifiers: string[];
}

function readGraph(): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const path of FOLDERS.flatMap(listFiles)) {
    const text = readFileSync(join(ROOT, path), 'utf8');
    const specifiers: string[] = [];
    for (const m of text.matchAll(IMPORT)) specifiers.push((m[1] ?? m[2] ?? m[3])!);
    const imports = specifiers.map((s) => resolveSpecifier(path, s)).filter((p): p is string => p !== undefined);
    files.set(path, { path, text, imports, specifiers });
  }
  return files;
}

/** Every import circle, each as the list of files around it (Tarjan's strongly connected components). */
function cycles(files: Map<string, SourceFile>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of files.get(v)?.imports ?? []) {
      if (!files.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = files.get(v)?.imports.includes(v) ?? false;
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  };
  for (const v of files.keys()) if (!indexOf.has(v)) visit(v);
  return found;
}

const files = readGraph();
const under = (path: string, folder: string): boolean => path.startsWith(`${folder}/`);
const edges = (): Array<[string, string]> => [...files.values()].flatMap((f) => f.imports.map((to): [string, string] => [f.path, to]));

describe('architecture', () => {
  it('reads the tree (the graph is not empty and every relative import resolves)', () => {
    expect(files.size).toBeGreaterThan(100);
    expect(files.get('src/bot.ts')?.imports.length).toBeGreaterThan(5);
    expect(edges().filter(([, to]) => to.endsWith('(unresolved)'))).toEqual([]);
  });

  it('has no import circle', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('keeps Block Kit builders off the database and the Slack plumbing', () => {
    const bad = edges().filter(([from, to]) => under(from, 'blocks') && (under(to, 'src/db') || under(to, 'src/slack')));
    expect(bad).toEqual([]);
  });

  it('lets only the composition root import listeners and jobs', () => {
    const bad = edges().filter(([from, to]) => under(from, 'src') && !ROOTS.has(from) && (under(to, 'commands') || under(to, 'jobs')));
    expect(bad).toEqual([]);
  });

  it('keeps Slack plumbing, config and the database below the domain, flows and listeners', () => {
    const lower = ['src/slack', 'src/config', 'src/db'];
    const upper = ['src/incidents', 'src/runs', 'src/summary', 'src/schedule', 'commands', 'jobs', 'sandbox'];
    const bad = edges().filter(([from, to]) => lower.some((l) => under(from, l)) && upper.some((u) => under(to, u)));
    expect(bad).toEqual([]);
  });

  it('keeps escaping in renderers: domain rules, stores and validation import no Block Kit text helpers', () => {
    const domain = (p: string) =>
      /^src\/(incidents\/(machine|policy|store|view)|runs\/(store|day|figures|units|schedule)|summary\/(validate|claims|facts|week|prose|types|store)|checklists\/.*|schedule\/.*)\.ts$/.test(
        p,
      );
    const bad = edges().filter(([from, to]) => domain(from) && to === 'blocks/format.ts');
    expect(bad).toEqual([]);
  });

  it('keeps the sandbox out of the bot except through the composition root', () => {
    const bad = edges().filter(([from, to]) => !under(from, 'sandbox') && !ROOTS.has(from) && under(to, 'sandbox'));
    expect(bad).toEqual([]);
  });

  it('keeps SQL out of listeners, jobs and flows (stores hold it)', () => {
    // drizzle's operators, a query started on a database or transaction handle, raw `sql`.
    const sql = /from\s+['"]drizzle-orm['"]|\b(?:db|tx)\s*\.\s*(?:select|selectDistinct|insert|update|delete|execute)\s*\(|\bsql`/;
    const flow = (p: string) => /^src\/[a-z-]+\/(flows?|sign-off)\.ts$/.test(p);
    const bad = [...files.values()].filter((f) => (under(f.path, 'commands') || under(f.path, 'jobs') || flow(f.path)) && sql.test(f.text)).map((f) => f.path);
    expect(bad).toEqual([]);
    expect([...files.keys()].filter(flow).length).toBeGreaterThanOrEqual(4);
  });

  it('uses one import style: relative imports without a .js suffix', () => {
    const bad = [...files.values()].flatMap((f) => f.specifiers.filter((s) => s.startsWith('.') && s.endsWith('.js')).map((s) => `${f.path}: ${s}`));
    expect(bad).toEqual([]);
  });

  it('holds no module-level mutable state outside caches of pure functions (allowed ones listed with a reason)', () => {
    const found = [...files.values()].filter((f) => STATE_FOLDERS.some((d) => under(f.path, d))).flatMap((f) => moduleState(f.path, f.text));
    expect(found.filter((s) => !(s in MODULE_STATE_ALLOWED))).toEqual([]);
    // An entry whose state is gone is dropped, so the list stays honest.
    expect(Object.keys(MODULE_STATE_ALLOWED).filter((s) => !found.includes(s))).toEqual([]);
  });

  it(`keeps every file within ${MAX_LINES} lines (exceptions listed with a reason)`, () => {
    const long = [...files.values()]
      .filter((f) => f.text.split('\n').length > MAX_LINES && !(f.path in LONG_FILE_EXCEPTIONS))
      .map((f) => `${f.path}: ${f.text.split('\n').length} lines`);
    expect(long).toEqual([]);
    // An exception that no longer needs to be one is dropped, so the list stays honest.
    const stale = Object.keys(LONG_FILE_EXCEPTIONS).filter((p) => !files.has(p) || files.get(p)!.text.split('\n').length <= MAX_LINES);
    expect(stale).toEqual([]);
  });
});

// The rules above must be able to fail: each is run on a small made-up graph that breaks it.
describe('architecture rules catch what they forbid', () => {
  const fake = (entries: Array<[string, string[]]>): Map<string, SourceFile> =>
    new Map(entries.map(([path, imports]) => [path, { path, text: '', imports, specifiers: [] }]));

  it('finds a circle of three and a self-import', () => {
    const graph = fake([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('finds module-level state and lets lookup tables and constants pass', () => {
    const text = [
      'let cache: string | undefined;',
      'export let counter = 0;',
      'const seen = new Map<string, Map<number, number>>();',
      'const byClient = new WeakMap<object, string>();',
      'export const queue = new CoalescingQueue();',
      'const empty = new Set([]);',
      "const CODES = new Set(['a', 'b']);",
      'const TABLE = new Map([',
      "  ['a', 1],",
      ']);',
      'function f() {',
      '  let local = 1;',
      '  const inner = new Map();',
      '}',
      'const dec = new Intl.NumberFormat();',
    ].join('\n');
    expect(moduleState('x.ts', text)).toEqual(['x.ts: cache', 'x.ts: counter', 'x.ts: seen', 'x.ts: byClient', 'x.ts: queue', 'x.ts: empty']);
  });

  it('resolves relative specifiers with or without .js and to index files', () => {
    expect(resolveSpecifier('src/bot.ts', './deps.js')).toBe('src/deps.ts');
    expect(resolveSpecifier('src/bot.ts', './deps')).toBe('src/deps.ts');
    expect(resolveSpecifier('src/bot.ts', '../commands')).toBe('commands/index.ts');
    expect(resolveSpecifier('src/bot.ts', 'drizzle-orm')).toBeUndefined();
  });
});
