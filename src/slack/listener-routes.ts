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

const anchored = (keys: Iterable<string>) => new RegExp(`^(?:${[...keys].map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);

/**
 * Our listeners, routed by name behind one Bolt listener per surface.
 *
 * Bolt runs every registered listener's matching middleware for every request, before any of
 * them acks: with our dozen listeners that was the largest part of Bolt's CPU per request in the
 * bench's profile (BENCHMARKS.md, "Ack latency"). The listener modules register here instead, by
 * command, action id, view callback id and event type (Events API: `app_home_opened`); Bolt sees
 * one listener per surface whose constraint is the anchored list of names, and the handler is a
 * Map lookup.
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

  /** Registers the Bolt listeners (only those with routes). */
  install(app: App): void {
    const commands = this.commands;
    const actions = this.actions;
    const views = this.views;
    const events = this.events;
    const shortcuts = this.shortcuts;
    if (commands.size) app.command(anchored(commands.keys()), (args) => commands.get(args.command.command)!(args));
    if (actions.size) app.action(anchored(actions.keys()), (args) => actions.get((args.action as { action_id: string }).action_id)!(args));
    if (views.size) app.view(anchored(views.keys()), (args) => views.get(args.view.callback_id)!(args));
    if (shortcuts.size) app.shortcut(anchored(shortcuts.keys()), (args) => shortcuts.get(args.shortcut.callback_id)!(args));
    if (events.size) app.event(anchored(events.keys()), (args) => events.get(args.event.type)!(args));
  }
}

function add<H>(map: Map<string, H>, key: string, handler: H): void {
  if (map.has(key)) throw new Error(`two listeners for ${key}`);
  map.set(key, handler);
}
