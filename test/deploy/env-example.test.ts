import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { envSchema, loadEnv } from '../../src/config/env';

/** KEY=value lines of .env.example (comments and blank lines skipped). */
function exampleEntries(): [string, string][] {
  return readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

describe('.env.example', () => {
  it("lists every variable the bot reads, and nothing it does not (but compose.yaml's password)", () => {
    const keys = exampleEntries().map(([k]) => k);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k !== 'POSTGRES_PASSWORD').sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('copied as it is, starts the bot (in the sandbox) rather than failing validation', () => {
    const env = Object.fromEntries(exampleEntries());
    expect(() => loadEnv(env)).not.toThrow();
  });

  it('every variable is also in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const missing = Object.keys(envSchema.shape).filter((k) => !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });

  it('holds every variable compose.yaml interpolates, and compose wires the bot to its PostgreSQL', () => {
    const text = readFileSync('compose.yaml', 'utf8');
    const keys = new Set(exampleEntries().map(([k]) => k));
    const used = [...text.matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((k) => !keys.has(k))).toEqual([]);
    const compose = parseYaml(text) as { services: Record<string, { image?: string; environment?: Record<string, string>; depends_on?: object }> };
    const bot = compose.services.bot!;
    const dbHost = new URL(bot.environment!.DATABASE_URL!.replace(/\$\{[A-Z_]+\}/g, 'x')).hostname;
    expect(compose.services[dbHost]?.image).toMatch(/^postgres:/);
    expect(Object.keys(bot.depends_on ?? {})).toContain(dbHost);
  });
});
