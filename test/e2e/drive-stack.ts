import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { startStack, type Stack } from './stack.ts';

export const DRIVE_BOT_YAML = 'name: drive-bot\ndescription: Reads the team docs.\ninstructions: You read Drive.\ntoolkits:\n  required: [google-drive]\n';

/** The product with one agent, `drive-bot` (Google Drive required), in front of a fake Google. */
export async function startDriveStack(): Promise<{ stack: Stack; google: FakeGoogle; close(): Promise<void> }> {
  const google = await startFakeGoogle();
  const stack = await startStack({ agents: { 'drive-bot.yaml': DRIVE_BOT_YAML }, env: fakeEnv(google) });
  return { stack, google, close: async () => void (await Promise.all([stack.close(), google.close()])) };
}
