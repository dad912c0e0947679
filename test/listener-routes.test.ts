import { describe, expect, it } from 'vitest';
import { ListenerRoutes } from '../src/slack/listener-routes';

describe('ListenerRoutes', () => {
  it('refuses a second handler for the same command, action or view', () => {
    const routes = new ListenerRoutes();
    const h = async () => undefined;
    routes.command('/ops', h);
    routes.action('item_done', h);
    routes.view('figures', h);
    expect(() => routes.command('/ops', h)).toThrow(/two listeners for \/ops/);
    expect(() => routes.action('item_done', h)).toThrow(/two listeners for item_done/);
    expect(() => routes.view('figures', h)).toThrow(/two listeners for figures/);
  });

  it('installs one Bolt listener per surface, anchored so a prefix or a regex character matches nothing else', () => {
    const routes = new ListenerRoutes();
    const h = async () => undefined;
    routes.command('/ops', h);
    routes.command('/incident', h);
    routes.action('item.done', h);
    routes.action('inc_ack', h);
    const installed: { kind: string; constraint: RegExp }[] = [];
    const app = {
      command: (c: RegExp) => installed.push({ kind: 'command', constraint: c }),
      action: (c: RegExp) => installed.push({ kind: 'action', constraint: c }),
      view: (c: RegExp) => installed.push({ kind: 'view', constraint: c }),
    };
    routes.install(app as never);
    expect(installed.map((i) => i.kind)).toEqual(['command', 'action']);
    const [command, action] = installed.map((i) => i.constraint);
    expect(['/ops', '/incident', '/opsx', '/incidents', 'ops'].map((c) => command!.test(c))).toEqual([true, true, false, false, false]);
    expect(['item.done', 'itemXdone', 'inc_ack', 'inc_ack2'].map((a) => action!.test(a))).toEqual([true, false, true, false]);
  });
});
