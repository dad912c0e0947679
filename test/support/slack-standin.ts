/**
 * The Slack stand-in the tests use is the sandbox's workspace (src/sandbox/slack-workspace.ts):
 * one implementation, so the sandbox exercises exactly what the tests check.
 */
export { SlackWorkspace as SlackStandin, type Fault, type RecordedCall, type StoredMessage } from '../../src/sandbox/slack-workspace';
