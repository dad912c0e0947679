import { HOME_TIMING } from '../../src/home/publisher';

/**
 * `before` and `after` for a test file's bot (useIncidentBot): every Home open publishes and
 * rounds follow each other at once; after the file the timing is put back as it was.
 */
export function homeAtOnce() {
  const { reopenMs, minRoundGapMs } = HOME_TIMING;
  return {
    before: async () => {
      HOME_TIMING.reopenMs = 0;
      HOME_TIMING.minRoundGapMs = 0;
    },
    after: async () => {
      HOME_TIMING.reopenMs = reopenMs;
      HOME_TIMING.minRoundGapMs = minRoundGapMs;
    },
  };
}
