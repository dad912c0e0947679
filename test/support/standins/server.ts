export * from '../../../src/sandbox/standins/server';
