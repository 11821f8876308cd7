import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedToolkit } from '../../src/config/definitions.ts';
import { loadDefinitions } from '../../src/config/load-definitions.ts';
import { asksForFeatures, asksToRevoke, detectCredential } from '../../src/toolkit/index.ts';

/**
 * A long message (a pasted log, a base64 blob) goes through the shipped manifests' regexes like any
 * other. How fast they stay on adversarial input is measured by `npm run bench message-matching`;
 * here: what they find.
 */
const SIZE = 100_000;
let jira: LoadedToolkit;
let drive: LoadedToolkit;

beforeAll(async () => {
  const { toolkits } = await loadDefinitions({ agentsDir: 'agents', toolkitsDir: 'toolkits' });
  jira = toolkits.find((toolkit) => toolkit.name === 'jira')!;
  drive = toolkits.find((toolkit) => toolkit.name === 'google-drive')!;
});

describe('shipped toolkit regexes on 100 KB messages', () => {
  it('find an email and token after a long run of text', () => {
    const token = `ATATT3xFfGF0${'Zx9_k-Q2'.repeat(22)}=8A1B2C3D`;
    const detected = detectCredential(jira, `${'a'.repeat(SIZE)} me@acme.com ${token}`);
    expect(detected?.fields).toEqual({ email: 'me@acme.com', token });
  });

  it('take nothing from a base64 blob or a long hex run for a credential', () => {
    for (const text of ['QUJDRGVmZ2hpams0NTY3OA+/'.repeat(SIZE / 24), 'deadbeef0123'.repeat(SIZE / 12)]) {
      expect(detectCredential(jira, text)).toBeUndefined();
      expect(detectCredential(drive, text)).toBeUndefined();
      expect(asksToRevoke(jira, text)).toBe(false);
    }
  });

  it('still hear a feature word at the end of a long pasted log', () => {
    expect(asksForFeatures(jira, `${'INFO build ok\n'.repeat(SIZE / 14)}how many open bugs are in the sprint?`)).toBe(true);
  });
});
