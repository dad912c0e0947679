/**
 * The production entry point (`node dist/main.js` is this file, scripts/build.mjs). Its one job comes
 * before any of the bot's modules load, so it imports them only afterwards, dynamically: static imports
 * would be evaluated first. src/main.ts is the bot's start-up and can also run on its own (tsx).
 */
import { holdYoungGeneration } from './young-generation';

holdYoungGeneration();
await import('./main');
