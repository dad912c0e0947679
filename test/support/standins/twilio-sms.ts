export * from '../../../src/sandbox/standins/twilio-sms';
