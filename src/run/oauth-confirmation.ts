import { randomInt } from 'node:crypto';
import type { UserInfo } from '../conversation.ts';
import type { Store } from '../store/store.ts';
import type { Credential } from '../toolkit/plugin.ts';

/**
 * The callback does not store tokens for the user named in the OAuth state: whoever's browser
 * returned may not be that user (an attacker can send a victim their own consent link). The tokens
 * are held, encrypted, for 10 minutes under a one-time confirmation code shown on the callback page;
 * the chatting user pastes it in chat, which proves browser and chat belong to the same person.
 */
export const CONFIRMATION_TTL_MS = 10 * 60 * 1000;
/** No 0/O, 1/I/L: read off a page and typed, nothing is mistaken. 10 characters: ~49 bits. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE = /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/i;

interface HeldGrant {
  userId: string;
  toolkit: string;
  credential: Credential;
}

/** Holds a validated credential for the state's user; returns the code that releases it. */
export async function holdGrant(store: Pick<Store, 'pending'>, grant: HeldGrant, now = Date.now()): Promise<string> {
  const code = createConfirmationCode();
  await store.pending.hold(code, JSON.stringify(grant), now + CONFIRMATION_TTL_MS);
  return code;
}

export function isConfirmationCode(text: string): boolean {
  return CODE.test(text.trim());
}

/**
 * The held credential, for the user who pasted the code. The code is used up either way: pasted by
 * anyone but the user the link was issued to, the grant is dropped, so the link's owner cannot use it.
 */
export async function redeemGrant(input: { store: Pick<Store, 'pending'>; user: Pick<UserInfo, 'id'>; toolkit: string; code: string }): Promise<Credential> {
  const held = await input.store.pending.take(input.code.trim().toUpperCase());
  if (!held) throw new Error('this confirmation code is unknown or has expired');
  const grant = JSON.parse(held) as HeldGrant;
  if (grant.userId !== input.user.id) {
    throw new Error('this confirmation code comes from an authorization link that was issued to another user, so nothing was connected. If someone sent you that link, do not give them the code');
  }
  if (grant.toolkit !== input.toolkit) throw new Error(`this confirmation code is for ${grant.toolkit}, not ${input.toolkit}`);
  return grant.credential;
}

function createConfirmationCode(): string {
  const pick = () => ALPHABET[randomInt(ALPHABET.length)];
  const half = () => Array.from({ length: 5 }, pick).join('');
  return `${half()}-${half()}`;
}
