import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

/**
 * The prom-client classes the bot's metrics use, each required from its own file. prom-client's
 * index also loads, at import, its default process metrics (and with them @opentelemetry/api), the
 * Pushgateway and the cluster aggregator: measured +10.5 MiB resident and ~40 ms of CPU at every
 * start (+1.1 MiB and 4 ms for these four), for what only a scrape uses. The first scrape loads
 * the index for `collectDefaultMetrics` (src/metrics.ts); both share these same classes (Node's
 * module cache). prom-client is pinned, and has no `exports` map that would forbid the paths.
 */
const require = createRequire(import.meta.url);

export const Registry = require('prom-client/lib/registry') as typeof PromClient.Registry;
export const Counter = require('prom-client/lib/counter') as typeof PromClient.Counter;
export const Gauge = require('prom-client/lib/gauge') as typeof PromClient.Gauge;
export const Histogram = require('prom-client/lib/histogram') as typeof PromClient.Histogram;
