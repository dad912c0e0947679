export * from '../../../src/sandbox/standins/health';
