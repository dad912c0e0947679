export * from '../../../src/sandbox/standins/twilio';
