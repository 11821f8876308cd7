import { createHash, createHmac } from 'node:crypto';

/**
 * PKCE (RFC 7636, S256) for the authorization-code flow. The verifier never leaves the server and
 * is never stored: it is derived from the OAuth state key (shared by every replica, like the
 * state's signature) and the user and toolkit the state names, so whichever replica trades the code
 * (the callback, or the chat when the user pastes the redirect URL or a bare code) computes the same
 * one. A code intercepted on its way back can only be traded here, for the user it was issued to.
 */
export function derivePkceVerifier(stateKey: Buffer, input: { userId: string; toolkit: string }): string {
  // 32 bytes -> 43 base64url characters: the shortest verifier RFC 7636 allows, 256 bits of it secret.
  return createHmac('sha256', stateKey).update(`pkce-verifier\0${input.userId}\0${input.toolkit}`).digest('base64url');
}

/** The S256 challenge of a verifier, sent in the authorization URL. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
