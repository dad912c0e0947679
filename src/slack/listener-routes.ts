import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

type Handler<A> = (args: A & AllMiddlewareArgs) => Promise<void>;

/**
 * Our listeners, routed by name behind one Bolt middleware.
 *
 * Bolt runs every registered listener's matching middleware for every request, before any of
 * them acks: with our dozen listeners that was the largest part of Bolt's CPU per request in the
 * bench's profile (BENCHMARKS.md, "Ack latency"), and with one listener per surface still more
 * than a quarter of what a request allocated (footprint, sixth pass). The listener modules
 * register here instead, by command, action id, view callback id, shortcut callback id and event
 * type (Events API: `app_home_opened`); Bolt sees one global middleware (`install`), and the
 * handler is a Map lookup.
 */
export class ListenerRoutes {
  private readonly commands = new Map<string, Handler<SlackCommandMiddlewareArgs>>();
  private readonly actions = new Map<string, Handler<SlackActionMiddlewareArgs>>();
  private readonly views = new Map<string, Handler<SlackViewMiddlewareArgs>>();
  private readonly events = new Map<string, Handler<SlackEventMiddlewareArgs>>();
  private readonly shortcuts = new Map<string, Handler<SlackShortcutMiddlewareArgs>>();

  command(name: string, handler: Handler<SlackCommandMiddlewareArgs>): void {
    add(this.commands, name, handler);
  }

  action<A extends SlackAction = BlockAction>(actionId: string, handler: Handler<SlackActionMiddlewareArgs<A>>): void {
    add(this.actions, actionId, handler as unknown as Handler<SlackActionMiddlewareArgs>);
  }

  view<V extends SlackViewAction = SlackViewAction>(callbackId: string, handler: Handler<SlackViewMiddlewareArgs<V>>): void {
    add(this.views, callbackId, handler as unknown as Handler<SlackViewMiddlewareArgs>);
  }

  /** A global or message shortcut by callback id (declared in manifest.yml `shortcuts`). */
  shortcut<S extends SlackShortcut = SlackShortcut>(callbackId: string, handler: Handler<SlackShortcutMiddlewareArgs<S>>): void {
    add(this.shortcuts, callbackId, handler as unknown as Handler<SlackShortcutMiddlewareArgs>);
  }

  /** An Events API event by type; the app must subscribe to it in manifest.yml. */
  event<E extends string>(type: E, handler: Handler<SlackEventMiddlewareArgs<E>>): void {
    add(this.events, type, handler as unknown as Handler<SlackEventMiddlewareArgs>);
  }

  /**
   * Installs the routes as Bolt's last global middleware: a request whose name has a route is
   * handed to its handler (with the same arguments a Bolt listener gets); any other goes on to
   * Bolt's listeners, of which there are none, and the dispatch answers it with an empty ack.
   *
   * Not one Bolt listener per surface: Bolt runs every listener's middleware chain for every
   * request, each through its own copy of the arguments and its own promises (above). The match is
   * Bolt's: a command by name, a block action by its first action's id, a view submission (not a
   * view_closed) by callback id, a shortcut (global or message) by callback id, an event by type.
   */
  install(app: App): void {
    app.use(async (args) => {
      const handler = this.route(args.body as Record<string, unknown>);
      if (handler) await handler(args as never);
      else await args.next();
    });
  }

  private route(body: Record<string, unknown>): Handler<never> | undefined {
    if (typeof body.command === 'string') return this.commands.get(body.command);
    switch (body.type) {
      case 'block_actions': {
        const first = Array.isArray(body.actions) ? (body.actions[0] as { action_id?: unknown } | undefined) : undefined;
        return this.actions.get(name(first?.action_id));
      }
      case 'view_submission':
        return this.views.get(name((body.view as { callback_id?: unknown } | undefined)?.callback_id));
      case 'shortcut':
      case 'message_action':
        return this.shortcuts.get(name(body.callback_id));
      case 'event_callback':
        return this.events.get(name((body.event as { type?: unknown } | undefined)?.type));
      default:
        return undefined;
    }
  }
}

const name = (v: unknown): string => (typeof v === 'string' ? v : '');

function add<H>(map: Map<string, H>, key: string, handler: H): void {
  if (map.has(key)) throw new Error(`two listeners for ${key}`);
  map.set(key, handler);
}
