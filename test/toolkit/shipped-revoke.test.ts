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
  ])('%#: %s -> %s', (toolkit, message, expected) => {
    expect(asksToRevoke(toolkit, message as string)).toBe(expected);
  });
});
