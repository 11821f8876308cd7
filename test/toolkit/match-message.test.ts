import { describe, expect, it } from 'vitest';
import { asksForFeatures, asksToRevoke } from '../../src/toolkit/match-message.ts';
import { driveManifest, jiraManifest, makeToolkit } from './toolkit-fixtures.ts';

const jira = makeToolkit(jiraManifest());
const drive = makeToolkit(driveManifest());

describe('asksForFeatures', () => {
  it.each([
    ['Can you open a PR for this?', true],
    ["Show me Ana's PRs", true],
    ['What is in the current sprint?', true],
    ['List the sprints', true],
    ['Review this pull request', true],
    ['Any open pull\n   requests?', true],
    ['I write C++ daily', true],
    ['Die Überweisung ist da', true],
    ['Look at PROJ-123 please', true],
    ['Tell me about the project', false],
    ['He is a sprinter', false],
    ['pull the request', false],
    ['C is fine', false],
    ['Überweisungsdaten bitte', false],
    ['Le rendez-vous est prévu demain', false],
    ['Hello there', false],
  ])('%j -> %s', (message, expected) => {
    expect(asksForFeatures(jira, message)).toBe(expected);
  });

  it('matches multi-word phrases case-insensitively', () => {
    expect(asksForFeatures(drive, 'open my GOOGLE DOC')).toBe(true);
    expect(asksForFeatures(drive, 'google docs are great')).toBe(true);
    expect(asksForFeatures(drive, 'google it')).toBe(false);
  });
});

describe('asksToRevoke', () => {
  it('recognises a request to delete the credential', () => {
    expect(asksToRevoke(jira, 'Please forget my Jira token')).toBe(true);
    expect(asksToRevoke(jira, 'REMOVE my jira credentials now')).toBe(true);
    expect(asksToRevoke(drive, 'disconnect google drive')).toBe(true);
  });

  it('does not fire on ordinary requests', () => {
    expect(asksToRevoke(jira, 'Delete issue PROJ-12 in Jira')).toBe(false);
    expect(asksToRevoke(jira, 'What is my Jira token for?')).toBe(false);
  });
});

describe('feature patterns are case-sensitive unless the manifest opts in', () => {
  const keyPattern = '\\b[A-Z][A-Z0-9]{1,9}-\\d+\\b';
  const withPatterns = (ignoreCase?: boolean) => makeToolkit({ ...jiraManifest(), features: { words: [], patterns: [keyPattern], ...(ignoreCase === undefined ? {} : { ignore_case: ignoreCase }) } });

  it.each(['our top-10 list', 'step-2 of the guide', 'python-3', 'node-20'])('%j is not an issue key by default', (message) => {
    expect(asksForFeatures(withPatterns(), message)).toBe(false);
  });

  it('matches upper-case keys, and lower-case ones only with ignore_case', () => {
    expect(asksForFeatures(withPatterns(), 'what about ABC-12?')).toBe(true);
    expect(asksForFeatures(withPatterns(false), 'what about abc-12?')).toBe(false);
    expect(asksForFeatures(withPatterns(true), 'what about abc-12?')).toBe(true);
  });
});
