// Child process for test/deploy/signals.test.ts: logs two lines through the bot's logger a moment
// after its parent has closed the reading end of stdout, then exits.
import { createLogger } from '../../src/logger';

const logger = createLogger({ level: 'info' });
setTimeout(() => {
  logger.info('first line, written into a closed pipe');
  logger.info('second line, still queued at exit when writes are asynchronous');
  process.exit(0);
}, 800);
