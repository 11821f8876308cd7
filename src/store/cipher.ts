import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One value sealed with AES-256-GCM: random 12-byte IV, 16-byte auth tag, base64 fields. */
export interface SealedValue {
  iv: string;
  tag: string;
  data: string;
}

const ALGORITHM = 'aes-256-gcm';

/** `context` is bound as additional authenticated data: a value moved to another user or toolkit fails to open. */
export function sealValue(key: Buffer, plaintext: string, context: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Throws when the key is wrong, the context differs or the value was tampered with. */
export function openValue(key: Buffer, sealed: SealedValue, context: string): string {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}

export function isSealedValue(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.iv === 'string' && typeof record.tag === 'string' && typeof record.data === 'string';
}
