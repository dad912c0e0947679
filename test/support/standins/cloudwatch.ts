export * from '../../../src/sandbox/standins/cloudwatch';
