import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ToolkitManifest } from '../../src/config/definitions.ts';
import { asksToRevoke, declinesToolkit, isPlainDecline } from '../../src/toolkit/match-message.ts';
import { makeToolkit } from './toolkit-fixtures.ts';

const shipped = (name: string) => makeToolkit(parse(readFileSync(new URL(`../../toolkits/${name}/toolkit.yaml`, import.meta.url), 'utf8')) as ToolkitManifest);
const jira = shipped('jira');
const drive = shipped('google-drive');

describe('revoke phrases of the shipped toolkits, negations included', () => {
  it.each([
    [jira, 'please forget my jira token', true],
    [jira, 'Remove my Jira credentials now', true],
    [jira, "if it's not working, forget my jira token", true],
    [jira, "Please don't forget my jira token; how many bugs?", false],
    [jira, 'Do not delete my jira token', false],
    [jira, 'never remove my jira token please', false],
    [jira, 'no need to revoke the jira token, just count bugs', false],
    [jira, 'I do not want you to forget my jira token', false],
    [jira, "don't worry. Forget my jira token", true],
    [drive, 'disconnect google drive', true],
    [drive, 'forget my google drive', true],
    [drive, 'Forget my Google Drive.', true],
    [drive, 'forget gdrive, please', true],
    [drive, 'remove my drive access', true],
    [drive, "don't revoke drive", false],
    [drive, 'do not disconnect my google drive', false],
    [drive, 'never log out of google drive', false],
    [drive, 'forget google drive files older than 2020 in the summary', false],
    // The direct object must be the user's own credential or connection, at the end of a clause.
    [jira, 'forget about the jira token problem, what is ABC-1?', false],
    [jira, 'can you remove the jira access for Bob from ABC project', false],
    [jira, 'delete the jira token field from the form', false],
    [jira, 'skip jira, just answer generally', false],
    [jira, 'forget my jira token', true],
    [jira, 'forget my jira token, then tell me what ABC-1 is', true],
    [jira, 'remove my jira credentials', true],
    [jira, 'revoke the jira token now', true],
    [jira, 'disconnect jira', true],
    [jira, 'Disconnect my Jira account please', true],
    [jira, 'log me out of jira', true],
    [jira, 'sign out of jira.', true],
    [jira, "don't disconnect jira", false],
    [drive, 'unlink google drive folder from the project', false],
    [drive, 'revoke google drive access for the intern in the sharing settings', false],
    [drive, 'remove the drive account column from the sheet', false],
    [drive, 'disconnect my google drive', true],
    [drive, 'revoke drive access', true],
    [drive, 'please revoke drive access, I am leaving', true],
    [drive, 'unlink my google drive account', true],
    [drive, 'log me out of google drive', true],
  ])('%#: %s -> %s', (toolkit, message, expected) => {
    expect(asksToRevoke(toolkit, message as string)).toBe(expected);
  });
});

describe('declining an optional toolkit by name', () => {
  it.each([
    [jira, 'skip jira, just answer generally', true],
    [jira, 'answer without Jira please', true],
    [jira, 'no jira.', true],
    [jira, 'No Jira, just tell me roughly', true],
    [jira, 'we have no jira.', false],
    [jira, "don't use jira for this", false],
    [jira, "don't use jira, just guess", true],
    [jira, 'there is no jira ticket for it', false],
    [jira, 'skip the jira sync step in the docs', false],
    [drive, 'without google drive', true],
    [drive, 'skip drive, thanks', true],
    [drive, 'no drive folder has it', false],
  ])('%#: %s -> %s', (toolkit, message, expected) => {
    expect(declinesToolkit(toolkit, message as string)).toBe(expected);
  });

  it.each([['no thanks', true], ['No, thank you.', true], ['not now', true], ['no', true], ['no idea what ABC-1 is', false]])('%s is a plain decline: %s', (message, expected) => {
    expect(isPlainDecline(message as string)).toBe(expected);
  });
});
