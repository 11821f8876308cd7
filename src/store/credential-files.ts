import { AgentLLMError, invalidRequest } from '../errors.ts';
import type { Credential } from '../toolkit/plugin.ts';
import { isSealedValue, openValue, sealValue, type SealedValue } from './cipher.ts';
import type { DocumentKind, Documents } from './documents.ts';
import { credentialsFile, userHash } from './shard-path.ts';
import type { CredentialStore } from './store.ts';

/** One file per user; each toolkit's credential is sealed on its own (AES-256-GCM). */
interface CredentialsDocument {
  version: 1;
  toolkits: Record<string, SealedValue>;
}

const credentialsKind: DocumentKind<CredentialsDocument> = {
  unreadableCode: 'credentials_unreadable',
  label: 'Credentials',
  create: () => ({ version: 1, toolkits: {} }),
  validate(raw) {
    const doc = raw as Partial<CredentialsDocument> | null;
    const toolkits = doc?.toolkits;
    if (typeof toolkits !== 'object' || toolkits === null || Array.isArray(toolkits)) throw new Error('expected an object with a "toolkits" object');
    for (const [name, value] of Object.entries(toolkits)) {
      if (!isSealedValue(value)) throw new Error(`the entry for toolkit "${name}" is not an encrypted value`);
    }
    return doc as CredentialsDocument;
  },
};

export function createCredentialFiles(documents: Documents, key: Buffer): CredentialStore {
  return {
    async get(userId, toolkit) {
      const file = fileOf(userId, toolkit);
      return documents.use(file, credentialsKind, (db) => {
        const sealed = Object.hasOwn(db.data.toolkits, toolkit) ? db.data.toolkits[toolkit] : undefined;
        return sealed ? openCredential(key, sealed, userId, toolkit, file) : undefined;
      });
    },
    async set(userId, toolkit, credential) {
      const file = fileOf(userId, toolkit);
      const sealed = sealValue(key, JSON.stringify(checkCredential(credential)), contextOf(userId, toolkit));
      await documents.use(file, credentialsKind, async (db) => {
        db.data = { ...db.data, toolkits: { ...db.data.toolkits, [toolkit]: sealed } };
        await documents.save(file, db);
      });
    },
    async delete(userId, toolkit) {
      const file = fileOf(userId, toolkit);
      return documents.use(file, credentialsKind, async (db) => {
        if (!Object.hasOwn(db.data.toolkits, toolkit)) return false;
        const { [toolkit]: _removed, ...rest } = db.data.toolkits;
        db.data = { ...db.data, toolkits: rest };
        if (Object.keys(rest).length === 0) await documents.remove(file);
        else await documents.save(file, db);
        return true;
      });
    },
  };
}

function openCredential(key: Buffer, sealed: SealedValue, userId: string, toolkit: string, file: string): Credential {
  let text: string;
  try {
    text = openValue(key, sealed, contextOf(userId, toolkit));
  } catch (cause) {
    throw new AgentLLMError(
      `The stored ${toolkit} credential in ${file} (in the data directory) cannot be decrypted: the secret key ` +
        '(AGENTLLM_SECRET_KEY or secret.key) differs from the one it was saved with, or the file was altered. ' +
        'Restore the original key, or delete the credential so the user can enter it again.',
      { status: 500, code: 'credentials_unreadable', cause },
    );
  }
  return JSON.parse(text) as Credential;
}

function checkCredential(credential: Credential): Credential {
  const valid = typeof credential === 'object' && credential !== null && Object.values(credential).every((v) => typeof v === 'string');
  if (!valid) throw invalidRequest('A credential must be an object of string fields.');
  return credential;
}

/** Bound into each sealed value, so a value copied to another user or toolkit does not open. */
function contextOf(userId: string, toolkit: string): string {
  return `credentials:${userHash(userId)}:${toolkit}`;
}

function fileOf(userId: string, toolkit: string): string {
  if (typeof userId !== 'string') throw invalidRequest('A user id (string) is required to store credentials.', 'user');
  if (typeof toolkit !== 'string' || !toolkit) throw invalidRequest('A toolkit name is required to store credentials.');
  return credentialsFile(userId);
}
