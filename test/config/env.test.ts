import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, SECRET_VARS, slackMode } from '../../src/config/env';

describe('loadEnv', () => {
  it('names every bad variable and never echoes its value', () => {
    let err: unknown;
    try {
      loadEnv({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', PORT: 'eighty', DATABASE_URL: 'mysql://u:hunter2@h/db' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('SLACK_BOT_TOKEN: must start with xoxb-');
    expect(msg).toContain('PORT:');
    expect(msg).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(msg).not.toContain('hunter2');
    expect(msg).not.toContain('xoxp-user-token-secret');
  });

  it('takes PORT only as a decimal 1-65535', () => {
    expect(loadEnv({ PORT: '8080' }).PORT).toBe(8080);
    expect(loadEnv({ PORT: '1' }).PORT).toBe(1);
    expect(loadEnv({ PORT: '65535' }).PORT).toBe(65535);
    for (const bad of ['0x1F90', '1e3', '0', '65536', '80.0', ' 80', '+80', '-1', '0b1010', 'Infinity']) {
      expect(() => loadEnv({ PORT: bad }), bad).toThrow(/PORT: must be a decimal port number \(1-65535\)/);
    }
  });

  it('refuses a DATABASE_URL that is not a URL without echoing it', () => {
    const msg = (() => {
      try {
        loadEnv({ DATABASE_URL: 'postgres://ops:p@ss:w0rd/x@db.internal:5432/ops' });
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    })();
    expect(msg).toContain('DATABASE_URL: is not a valid URL');
    expect(msg).not.toContain('w0rd');
    expect(loadEnv({ DATABASE_URL: 'postgres://ops:p%40ss@db.internal:5432/ops' }).DATABASE_URL).toBe('postgres://ops:p%40ss@db.internal:5432/ops');
  });

  it('requires the signing secret in HTTP mode and the bot token with any Slack credential', () => {
    expect(() => loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: is required in HTTP mode/);
    expect(() => loadEnv({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_BOT_TOKEN: is required/);
  });

  it('picks the mode from the credentials and treats empty values as unset', () => {
    expect(slackMode(loadEnv({}))).toBe('none');
    expect(slackMode(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12' }))).toBe('http');
    expect(slackMode(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: '' }))).toBe('socket');
    expect(loadEnv({ SLACK_API_URL: 'http://127.0.0.1:9/api' }).SLACK_API_URL).toBe('http://127.0.0.1:9/api/');
  });

  it('checks the metrics settings, naming the variable and never echoing the token', () => {
    expect(() => loadEnv({ METRICS_PORT: 'ninety-one hundred' })).toThrow(/METRICS_PORT: must be a decimal port number \(0-65535\)/);
    expect(() => loadEnv({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT: must be a decimal port number \(0-65535\)/);
    expect(() => loadEnv({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(() => loadEnv({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT: must differ from PORT/);
    expect(loadEnv({ PORT: '8080', METRICS_PORT: '9100' }).METRICS_PORT).toBe(9100);
    let err: unknown;
    try {
      loadEnv({ METRICS_TOKEN: 'short-secret' });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toContain('METRICS_TOKEN: must be at least 16 characters');
    expect((err as Error).message).not.toContain('short-secret');
    expect(() => loadEnv({ METRICS_TOKEN: 'a token with spaces in it' })).toThrow(/METRICS_TOKEN: must be printable ASCII without spaces/);
    expect(loadEnv({ METRICS_TOKEN: '', METRICS_PORT: '' })).toMatchObject({ METRICS_TOKEN: undefined, METRICS_PORT: undefined });
    expect(SECRET_VARS).toContain('METRICS_TOKEN');
  });
});
