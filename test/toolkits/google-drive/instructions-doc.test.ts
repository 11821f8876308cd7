import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildToolsInput, Credential } from '../../../src/toolkit/plugin.ts';
import plugin from '../../../toolkits/google-drive/index.ts';
import { createInstructionsLoader } from '../../../toolkits/google-drive/instructions-doc.ts';
import { SEED, startFakeGoogle, type FakeGoogle } from '../../fakes/google-server.ts';
import { fakeEnv } from './fake-env.ts';

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await startFakeGoogle();
});
afterAll(() => fake.close());

function input(config: Record<string, unknown>, userId = 'user-1'): BuildToolsInput {
  const tokens = fake.issueTokens();
  const credential: Credential = { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expiry_date: String(tokens.expiry_date) };
  return { credential, config, env: fakeEnv(fake), user: { id: userId }, saveCredential: async () => {} };
}

const exports = (id: string) => fake.requests.filter((r) => r.path === `/drive/v3/files/${id}/export`).length;

describe('google-drive instructions_doc', () => {
  it('returns nothing when the agent names no instructions doc', async () => {
    expect(await plugin.loadInstructions(input({}))).toBeUndefined();
  });

  it("reads the doc's text with the user's credential and caches it per user for 10 minutes", async () => {
    let clock = 1_000_000;
    const load = createInstructionsLoader({ now: () => clock });
    const config = { instructions_doc: `https://docs.google.com/document/d/${SEED.doc}/edit` };
    const before = exports(SEED.doc);

    expect(await load(input(config))).toContain('1. Page the on-call engineer.');
    await load(input(config));
    expect(exports(SEED.doc)).toBe(before + 1);

    await load(input(config, 'user-2'));
    expect(exports(SEED.doc)).toBe(before + 2);

    clock += 10 * 60 * 1000 + 1;
    await load(input(config));
    expect(exports(SEED.doc)).toBe(before + 3);
  });

  it('says why a doc cannot be used, and does not cache the failure', async () => {
    const load = createInstructionsLoader();
    await expect(load(input({ instructions_doc: SEED.pdf }))).rejects.toThrow(/instructions_doc .*Cannot read this type of file/);
    await expect(load(input({ instructions_doc: 'missingDoc12345' }))).rejects.toThrow(/not found/);
  });
});
