import { describe, expect, it } from 'vitest';
import { extractFileId } from '../../../toolkits/google-drive/drive-ids.ts';
import { buildSearchQuery } from '../../../toolkits/google-drive/drive-query.ts';

const ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz_0123-456';

describe('extractFileId', () => {
  it.each([
    [ID],
    [`https://docs.google.com/document/d/${ID}/edit?tab=t.0`],
    [`https://docs.google.com/document/u/0/d/${ID}/edit`],
    [`https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`],
    [`https://docs.google.com/presentation/d/${ID}/present`],
    [`https://drive.google.com/file/d/${ID}/view?usp=sharing`],
    [`https://drive.google.com/drive/folders/${ID}`],
    [`https://drive.google.com/drive/u/1/folders/${ID}?usp=drive_link`],
    [`https://drive.google.com/open?id=${ID}`],
    [`drive.google.com/uc?id=${ID}&export=download`],
  ])('finds the id in %s', (input) => {
    expect(extractFileId(input)).toBe(ID);
  });

  it.each([['https://example.com/d/1AbCdEfGhIjKlMnOp/edit'], ['my budget'], ['short'], ['https://docs.google.com/']])(
    'finds no id in %s',
    (input) => {
      expect(extractFileId(input)).toBeUndefined();
    },
  );
});

describe('buildSearchQuery', () => {
  it('escapes quotes and backslashes in the searched words', () => {
    expect(buildSearchQuery({ text: "Bob's \\ plan" })).toBe(
      "(name contains 'Bob\\'s \\\\ plan' or fullText contains 'Bob\\'s \\\\ plan') and trashed = false",
    );
  });
});
