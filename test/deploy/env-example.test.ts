import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema, loadEnv } from '../../src/config/env';

/** KEY=value lines of .env.example (comments and blank lines skipped). */
function exampleEntries(): [string, string][] {
  return readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

describe('.env.example', () => {
  it('lists every variable the bot reads, and nothing it does not (but compose.yaml\'s password)', () => {
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
});
