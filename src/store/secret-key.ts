import { hkdfSync, randomBytes, scrypt } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentLLMError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/**
 * The master key of a deployment. From `secretKey` (AGENTLLM_SECRET_KEY) when given:
 * - 64 hex characters: the 32 key bytes themselves;
 * - base64 that decodes to exactly 32 bytes: those bytes;
 * - anything else: a passphrase, stretched with scrypt (N=2^15, r=8, p=1) and the fixed salt below.
 * Without one, a random key is generated once into <dataDir>/secret.key (mode 0600) and reused.
 */
export const KEY_FILE_NAME = 'secret.key';
const PASSPHRASE_SALT = 'agentllm/secret-key/v1';
const KEY_BYTES = 32;

export interface ResolveSecretKeyOptions {
  dataDir: string;
  secretKey?: string;
  logger?: Logger;
}

export async function resolveSecretKey(options: ResolveSecretKeyOptions): Promise<Buffer> {
  const given = options.secretKey?.trim();
  if (given) return parseSecretKey(given);
  return readOrCreateKeyFile(options.dataDir, options.logger);
}

/** A sub-key for one purpose ('credentials', 'oauth-state', ...), so no two uses share a key. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  if (master.length < KEY_BYTES) throw new Error(`deriveKey: master key must be at least ${KEY_BYTES} bytes`);
  if (!purpose) throw new Error('deriveKey: purpose must be a non-empty string');
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `agentllm:${purpose}`, KEY_BYTES));
}

export async function parseSecretKey(text: string): Promise<Buffer> {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  const decoded = decodeBase64Key(text);
  if (decoded) return decoded;
  return derivePassphraseKey(text);
}

function decodeBase64Key(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

function derivePassphraseKey(passphrase: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const options = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
    scrypt(passphrase, PASSPHRASE_SALT, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

async function readOrCreateKeyFile(dataDir: string, logger: Logger | undefined): Promise<Buffer> {
  const path = join(dataDir, KEY_FILE_NAME);
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  if (await publishKeyFile(path, key)) {
    logger?.warn(
      { keyFile: path },
      'AGENTLLM_SECRET_KEY is not set: generated a new secret key file. Back it up with the data directory; without it stored credentials cannot be decrypted.',
    );
    return key;
  }
  return readKeyFile(path, logger);
}

/**
 * Writes the key to a private temporary file, then links it into place: the link either appears
 * whole or fails because another process (a second replica on the same volume) got there first.
 * A reader never sees a half-written key. True when this process's key is the one in place.
 */
async function publishKeyFile(path: string, key: Buffer): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw keyFileError(path, error);
    return false;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function readKeyFile(path: string, logger: Logger | undefined): Promise<Buffer> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
    const mode = (await stat(path)).mode & 0o777;
    if (mode & 0o077) logger?.warn({ keyFile: path, mode: mode.toString(8) }, 'Secret key file is readable by other users; run chmod 600 on it.');
  } catch (error) {
    throw keyFileError(path, error);
  }
  if (!text) throw new AgentLLMError(`Secret key file ${path} is empty. Restore it from a backup or set AGENTLLM_SECRET_KEY.`, { status: 500, code: 'secret_key_invalid' });
  logger?.info({ keyFile: path }, 'Using the secret key file (AGENTLLM_SECRET_KEY is not set)');
  return parseSecretKey(text);
}

function keyFileError(path: string, cause: unknown): AgentLLMError {
  const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new AgentLLMError(`Cannot read or create the secret key file ${path} (${reason}). Check the data directory's permissions or set AGENTLLM_SECRET_KEY.`, {
    status: 500,
    code: 'secret_key_unavailable',
    cause,
  });
}
