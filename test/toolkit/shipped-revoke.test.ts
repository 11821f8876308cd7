import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ToolkitManifest } from '../../src/config/definitions.ts';
import { asksToRevoke } from '../../src/toolkit/match-message.ts';
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
