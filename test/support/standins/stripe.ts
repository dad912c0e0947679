export * from '../../../src/sandbox/standins/stripe';
