import { createVerify, type KeyObject } from 'node:crypto';

/**
 * Google's token endpoint for service accounts (OAuth 2.0 for Server to Server Applications):
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with an RS256-signed JWT assertion whose
 * claims are iss (the service account's email), scope (space-separated), aud (always
 * https://oauth2.googleapis.com/token), iat and exp (at most one hour after iat), and sub (the
 * user to impersonate, with domain-wide delegation). Errors as Google words them.
 */
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const CLOCK_SKEW_SECONDS = 300;

export interface FakeServiceAccount {
  email: string;
  /** Public half of the key pair whose private half signs the assertions. */
  publicKey: KeyObject;
  /** Users it may impersonate (domain-wide delegation); none without it. */
  delegates?: string[];
}

export type JwtGrant =
  | { ok: true; scope: string; account: string }
  | { ok: false; status: number; error: string; error_description: string };

interface Claims { iss?: unknown; scope?: unknown; aud?: unknown; iat?: unknown; exp?: unknown; sub?: unknown }

export function verifyJwtGrant(assertion: string, accounts: Map<string, FakeServiceAccount>, now = Date.now()): JwtGrant {
  const parts = assertion.split('.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]) as Claims | undefined;
  if (parts.length !== 3 || !header || !claims) return refuse('invalid_grant', 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
  if (header.alg !== 'RS256') return refuse('invalid_grant', 'Invalid JWT signing algorithm: only RS256 is supported.');
  const account = typeof claims.iss === 'string' ? accounts.get(claims.iss) : undefined;
  if (!account) return refuse('invalid_grant', 'Invalid grant: account not found', 400);
  if (!verifySignature(`${parts[0]}.${parts[1]}`, parts[2]!, account.publicKey)) return refuse('invalid_grant', 'Invalid JWT Signature.');
  if (claims.aud !== TOKEN_AUDIENCE) return refuse('invalid_grant', `Invalid JWT: audience must be ${TOKEN_AUDIENCE}`);
  if (!inTimeframe(claims, now)) {
    return refuse('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
  }
  if (typeof claims.scope !== 'string' || !claims.scope.trim()) return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  if (claims.sub !== undefined && claims.sub !== account.email && !(account.delegates ?? []).includes(String(claims.sub))) {
    return refuse('unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.', 401);
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : account.email;
  return { ok: true, scope: claims.scope, account: subject };
}

function inTimeframe(claims: Claims, now: number): boolean {
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') return false;
  const seconds = now / 1000;
  return exp > iat && exp - iat <= 3600 && iat <= seconds + CLOCK_SKEW_SECONDS && exp >= seconds - CLOCK_SKEW_SECONDS;
}

function verifySignature(signed: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(signed).verify(publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function refuse(error: string, error_description: string, status = 400): JwtGrant {
  return { ok: false, status, error, error_description };
}
