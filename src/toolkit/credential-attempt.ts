/**
 * True when a message looks like an attempt to paste a credential, without being one a toolkit's
 * `detect` patterns recognised: a code-shaped string ("9MUU4-8HGZ0", "K7QM2 X9WPA"), a single long
 * token-like word with letters and digits, or "token/code/key is <value with a digit>". Used only
 * while a credential prompt waits for an answer, so that such a message neither replaces the
 * question the prompt interrupted nor is kept in the history in plaintext.
 */
export function looksLikeCredentialAttempt(message: string): boolean {
  const text = message.trim().replace(/^["'`]+|["'`.!]+$/gu, '');
  // A link is a question about a page ("https://docs.google.com/…"), unless it is a redirect carrying a code.
  if (/^https?:\/\//iu.test(text) && !/[?&]code=/u.test(text)) return false;
  if (CODE_SHAPED.test(text)) return true;
  if (isTokenLikeWord(text)) return true;
  return SECRET_PHRASE.test(text);
}

const CODE_SHAPED = /^[A-Za-z0-9]{5}[-\s]?[A-Za-z0-9]{5}$/u;
const SECRET_PHRASE = /\b(?:token|code|pat|api\s+key|password|secret)\s*(?:is\s*|[:=]\s*)["'`]?(?=[^\s"'`]*\d)[A-Za-z0-9_\-+/=.%]{8,}/iu;

function isTokenLikeWord(text: string): boolean {
  if (text.length < 16 || /\s/u.test(text)) return false;
  return /\p{L}/u.test(text) && /\d/u.test(text);
}
