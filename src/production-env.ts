/**
 * The environment the bot's launchers give it: `npm start` (package.json) and the image's ENV
 * (Dockerfile). The benchmarks start the bot with it too, so they measure the bot as it ships;
 * test/deploy/image.test.ts checks that both launchers set it.
 *
 * MALLOC_ARENA_MAX=2: glibc gives each thread that mallocs its own arena, up to 8 per core, and
 * keeps what they free. V8's compiler and GC threads are such threads: their arenas held 35 MiB of
 * a PGlite bot's idle RSS after start-up (the run looked at in detail), and grew again under a
 * burst. With two arenas, freed memory is reused across threads: measured over six paired runs,
 * the median idle RSS 9.7 MiB lower and the median peak under 3 × 200 concurrent `/ops help`
 * 17.5 MiB lower, at the same ack latency (BENCHMARKS.md, footprint, sixth pass). Only glibc reads it (the image is Debian); it
 * must be set before the process starts, so the bot cannot set it for itself. An operator's own
 * value is kept.
 */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
