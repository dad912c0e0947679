export * from '../../../src/sandbox/standins/aws';
