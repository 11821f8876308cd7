import type { DetectedCredential } from './detect-credential.ts';
import type { Credential } from './plugin.ts';

export const REDACTED = '[redacted]';

/**
 * The message with every occurrence of the detected credential's secret values (manifest fields
 * marked `secret`, oauth2 codes) replaced by `[redacted]`, longest value first. Run it before a
 * message that carried a credential is stored, logged or sent to the model.
 */
export function redactCredential(message: string, detected: DetectedCredential): string {
  let redacted = message;
  for (const value of secretValues(detected)) redacted = redacted.split(value).join(REDACTED);
  return redacted;
}

/** Redacts the secrets of several detected credentials (e.g. detectCredentials' result). */
export function redactCredentials(message: string, detected: Iterable<DetectedCredential>): string {
  let redacted = message;
  for (const credential of detected) redacted = redactCredential(redacted, credential);
  return redacted;
}

/** The text with each span (non-overlapping or not) replaced by `[redacted]`. */
export function redactSpans(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  let redacted = text;
  let limit = Infinity;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    const end = Math.min(span.end, limit);
    if (end <= span.start) continue;
    redacted = redacted.slice(0, span.start) + REDACTED + redacted.slice(end);
    limit = span.start;
  }
  return redacted;
}

function secretValues(detected: DetectedCredential): string[] {
  const names = new Set(detected.secrets.map((span) => span.field));
  const values = [...names].map((name) => detected.fields[name]);
  return values.filter((value): value is string => typeof value === 'string' && value !== '').sort((a, b) => b.length - a.length);
}

/** Shortest stored value treated as a secret when scrubbing text (shorter ones are flags, not tokens). */
const MIN_SCRUBBED_LENGTH = 8;

/**
 * The text with every value of a stored credential (tokens, refresh tokens, ...) replaced by
 * `[redacted]`: for error messages that go to a log or to the model, in case a plugin quoted one.
 */
export function scrubCredential(text: string, credential: Credential | undefined): string {
  if (!credential) return text;
  const values = Object.values(credential).filter((value) => typeof value === 'string' && value.length >= MIN_SCRUBBED_LENGTH);
  let scrubbed = text;
  for (const value of values.sort((a, b) => b.length - a.length)) scrubbed = scrubbed.split(value).join(REDACTED);
  return scrubbed;
}
