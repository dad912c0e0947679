export * from '../../../src/sandbox/standins/s3';
