import type { Span } from './detect-credential.ts';

/**
 * True when a message looks like an attempt to paste a credential, without being one a toolkit's
 * `detect` patterns recognised: a code-shaped string with a digit ("9MUU4-8HGZ0", "k7qm2 x9wpa"),
 * a single long token-like word with letters and digits, or "token/code/key is <secret-looking
 * value>". Used only while a credential prompt waits for an answer, so that such a message neither
 * replaces the question the prompt interrupted nor is kept in the history in plaintext. An ordinary
 * sentence ("hello again", "the error code is broken again") is never one.
 */
export function looksLikeCredentialAttempt(message: string): boolean {
  const text = message.trim().replace(/^["'`]+|["'`.!]+$/gu, '');
  // A link is a question about a page ("https://docs.google.com/…"), unless it is a redirect carrying a code.
  if (/^https?:\/\//iu.test(text) && !/[?&]code=/u.test(text)) return false;
  if (isCodeShaped(text)) return true;
  if (isTokenLikeWord(text)) return true;
  return findSecretPhraseValues(text).length > 0;
}

/**
 * The values a message gives after a secret phrase ("my jira token is nope-bad-token-xyz",
 * "password: hunter2hunter2"), when they look like secrets rather than words ("my token is
 * expired"). Redacted wherever a message is stored or sent on, whether a toolkit recognised them
 * or not: a token refused for a typo is still a token.
 */
export function findSecretPhraseValues(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(SECRET_PHRASE)) {
    const raw = match.groups!.value!;
    const value = raw.replace(/[.%]+$/u, '');
    if (!looksLikeSecretValue(value, /^code\b/iu.test(match[0]))) continue;
    const start = match.index + match[0].length - raw.length;
    spans.push({ start, end: start + value.length });
  }
  return spans;
}

/** Two groups of five letters and digits, with at least one digit: "hello again" is two words, not a code. */
const CODE_SHAPED = /^(?=[^\d]*\d)[A-Za-z0-9]{5}[-\s]?[A-Za-z0-9]{5}$/u;
const SECRET_PHRASE = /\b(?:token|code|pat|api\s+key|password|passphrase|secret)\s*(?:is\s*|[:=]\s*)["'`]?(?<value>[A-Za-z0-9_\-+/=.%]{8,})/giu;

function isCodeShaped(text: string): boolean {
  return CODE_SHAPED.test(text) || /^[A-Z]{5}-[A-Z]{5}$/u.test(text);
}

/**
 * At least 8 characters with a digit; for a token, key or password also letters joined by
 * `-_+/=.%` or mixed case inside ("xYzAbCdEf"). A code always has a digit ("the code is
 * well-documented" is prose).
 */
function looksLikeSecretValue(value: string, isCode: boolean): boolean {
  if (value.length < 8) return false;
  if (/\d/u.test(value)) return true;
  if (isCode) return false;
  if (/\p{L}[_\-+/=.%]+\p{L}/u.test(value)) return true;
  return /\p{Ll}\p{Lu}/u.test(value.slice(1));
}

function isTokenLikeWord(text: string): boolean {
  if (text.length < 16 || /\s/u.test(text)) return false;
  return /\p{L}/u.test(text) && /\d/u.test(text);
}
