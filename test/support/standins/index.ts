export * from '../../../src/sandbox/standins/index';
