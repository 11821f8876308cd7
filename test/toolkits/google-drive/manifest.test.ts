import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ToolkitManifest } from '../../../src/config/definitions.ts';

const root = new URL('../../../', import.meta.url);
const manifestText = readFileSync(new URL('toolkits/google-drive/toolkit.yaml', root), 'utf8');
const manifest = parse(manifestText) as ToolkitManifest;
const schema = JSON.parse(readFileSync(new URL('schemas/toolkit.schema.json', root), 'utf8')) as object;

function detectCode(message: string): string | undefined {
  const credential = manifest.credential;
  if (credential.type !== 'oauth2') throw new Error('expected an oauth2 credential');
  for (const pattern of credential.detect ?? []) {
    const code = new RegExp(pattern, 'i').exec(message)?.groups?.code;
    if (code) return code;
  }
  return undefined;
}

/** The rule the schema states: whole words, case-insensitive; patterns case-insensitive. */
function asksForDrive(message: string): boolean {
  const words = manifest.features?.words ?? [];
  const patterns = manifest.features?.patterns ?? [];
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    words.some((w) => new RegExp(`\\b${escape(w)}\\b`, 'i').test(message)) ||
    patterns.some((p) => new RegExp(p, 'i').test(message))
  );
}

function asksToRevoke(message: string): boolean {
  return (manifest.revoke ?? []).some((p) => new RegExp(p, 'i').test(message));
}

const CODE = '4/0AeaYSHBx3kq_Zt9-pWl2mYc7hQvRr5sLkE8nA1oUu';

describe('google-drive toolkit.yaml', () => {
  it('starts with the schema hint and validates against the toolkit schema', () => {
    expect(manifestText.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/toolkit.schema.json');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    expect(manifest.name).toBe('google-drive');
    expect(manifest.credential).toMatchObject({ type: 'oauth2', provider: 'google', scopes: ['https://www.googleapis.com/auth/drive.readonly'] });
  });

  it('has a config schema that accepts a full config and rejects unknown keys and tiny limits', () => {
    const validate = new Ajv2020({ strict: false }).compile(manifest.config ?? {});
    expect(validate({ folder_id: 'abc', instructions_doc: 'https://docs.google.com/document/d/x/edit', max_file_chars: 20000 })).toBe(true);
    expect(validate({ folderId: 'abc' })).toBe(false);
    expect(validate({ max_file_chars: 10 })).toBe(false);
  });

  it.each([
    [`my google code is ${CODE}`],
    [`authorization code: ${CODE}`],
    [`Here you go: ${CODE}`],
    [`Google drive code = ${CODE}`],
    [`oauth code: ${CODE.replace('/', '%2F')}`],
    [`http://localhost:3000/oauth/google/callback?state=abc&code=${encodeURIComponent(CODE)}&scope=x`],
  ])('recognises a pasted authorization code in %j', (message) => {
    const code = detectCode(message);
    expect(code && decodeURIComponent(code)).toBe(CODE);
  });

  it.each([
    ['Google Drive confirmation code K7QM2-X9WPA'],
    ['my drive confirmation code is: "K7QM2-X9WPA".'],
    ['google confirmation code k7qm2-x9wpa'],
    ['K7QM2-X9WPA'],
    ['  "K7QM2-X9WPA". '],
  ])('recognises the callback page\'s confirmation line in %j', (message) => {
    expect(detectCode(message)?.toUpperCase()).toBe('K7QM2-X9WPA');
  });

  it.each([
    ['please review commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['look at three-seven and PROJ-12345'],
    ['Google Drive confirmation code K7QM2-X9WPA-EXTRA'],
    ['3f786850e387550fdab836ed7e6dc881de23001b'],
    ['the error code is broken again'],
    ['see https://example.com/4/0AeaYSHBx3kq_Zt9pWl2mYc7hQvRr5'],
    ['we finished 4/5 of the tasks'],
    ['see K7QM2-X9WPA in the ticket'],
    ['the authorization code is 3f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 in our repo, explain it'],
    ['where is the oauth code: src/auth/google-oauth-client.ts ?'],
    ['the google code is in toolkits/google-drive/oauth-client.ts'],
    ['drive code = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ])('does not take %j for a code', (message) => {
    expect(detectCode(message)).toBeUndefined();
  });

  it.each([
    ['Summarise our incident playbook'],
    ['what is in the budget spreadsheet?'],
    ['Check my Google Drive'],
    ['read https://docs.google.com/document/d/1AbCdEfGhIjKlMn/edit'],
    ['open drive.google.com/file/d/1AbCdEfGhIjKlMn/view'],
  ])('sees a Drive request in %j', (message) => {
    expect(asksForDrive(message)).toBe(true);
  });

  it.each([['I need a doctor'], ['the dockets are late'], ['sheeting rain today'], ['hello there']])(
    'sees no Drive request in %j (whole words only)',
    (message) => {
      expect(asksForDrive(message)).toBe(false);
    },
  );

  it('recognises requests to forget the credential, and not ordinary talk', () => {
    expect(asksToRevoke('please disconnect google drive')).toBe(true);
    expect(asksToRevoke('Forget my Google credentials')).toBe(true);
    expect(asksToRevoke('forget my drive token')).toBe(true);
    expect(asksToRevoke('sign out of Google Drive')).toBe(true);
    expect(asksToRevoke('what does the playbook say about disconnects?')).toBe(false);
  });

  it('links the consent URL unescaped in the prompt and names the tools in the instructions', () => {
    const url = 'https://accounts.google.com/o/oauth2/v2/auth?access_type=offline&scope=a%20b&state=x';
    const prompt = Handlebars.compile(manifest.templates.prompt)({ authorization_url: url });
    expect(prompt).toContain(`(${url})`);
    expect(manifest.templates.failure).toContain('{{error}}');
    for (const tool of ['drive_search', 'drive_read_file', 'drive_list_folder']) {
      expect(manifest.templates.instructions).toContain(tool);
    }
  });
});
