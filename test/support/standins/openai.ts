export * from '../../../src/sandbox/standins/openai';
