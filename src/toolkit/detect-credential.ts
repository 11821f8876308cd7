import type { LoadedToolkit, ToolkitManifest } from '../config/definitions.ts';
import { findMatch, getToolkitPatterns } from './compile-patterns.ts';
import type { Credential } from './plugin.ts';
import { REDACTED } from './redact-credential.ts';

/** Detecting and redacting go together: run/ imports both from here. */
export { redactCredential, redactCredentials } from './redact-credential.ts';

export interface Span {
  start: number;
  end: number;
}

/** A credential found in a user's message. */
export interface DetectedCredential {
  toolkit: string;
  /** Captured values by field name (named groups of the `detect` patterns; `code` for oauth2). */
  fields: Credential;
  /** The whole text of the first pattern match that contributed. */
  match: Span;
  /** Where each secret value sits in the message: what redactCredential replaces. */
  secrets: Array<Span & { field: string }>;
  /** Required (non-optional) fields the message did not contain; operator env may supply them. */
  missing: string[];
}

interface FieldSpec {
  name: string;
  secret: boolean;
  optional: boolean;
}

/** Shortest secret we accept: anything shorter is a word, not a token. */
export const MIN_SECRET_LENGTH = 8;

const LEADING_WRAPPERS = /^['"`(\[{]+/u;
const TRAILING_PUNCTUATION = /['"`)\]}.,;:!?]+$/u;

/**
 * The credential a message carries for this toolkit, or undefined. Only the manifest's `detect`
 * patterns count (explicit phrases, known token formats): a long string alone is never a token.
 * Every pattern is tried in order; the first plausible match of each fills the fields not set
 * yet. A match whose secret value is implausible (short, a placeholder, "...") is ignored.
 */
export function detectCredential(toolkit: LoadedToolkit, message: string): DetectedCredential | undefined {
  const specs = fieldSpecs(toolkit.manifest);
  let found: DetectedCredential | undefined;
  for (const pattern of getToolkitPatterns(toolkit.manifest).detect) {
    const captured = findPlausibleMatch(pattern, message, specs);
    if (!captured) continue;
    found = found ? mergeCapture(found, captured) : { toolkit: toolkit.name, ...captured, missing: [] };
  }
  if (!found) return undefined;
  if (specs.some((spec) => spec.secret) && found.secrets.length === 0) return undefined;
  found.missing = specs.filter((spec) => !spec.optional && !(spec.name in found.fields)).map((spec) => spec.name);
  return found;
}

/** The credentials a message carries, at most one per toolkit, in the toolkits' order. */
export function detectCredentials(toolkits: Iterable<LoadedToolkit>, message: string): DetectedCredential[] {
  const found: DetectedCredential[] = [];
  for (const toolkit of toolkits) {
    const detected = detectCredential(toolkit, message);
    if (detected) found.push(detected);
  }
  return found;
}

/** A `detect` pattern matched, but its secret value cannot be a token: where it is, and why not. */
export interface RejectedSecret extends Span {
  toolkit: string;
  reason: string;
}

/**
 * A secret value a `detect` pattern matched but detectCredential refused as implausible (too short,
 * one character repeated, spaces inside) while it still looks typed as a token ("abc123", not
 * "expired"): the user tried to paste a credential and must hear why it was not taken, and the
 * value is redacted all the same. Placeholders (`<token>`, `ATATT...`) are not attempts.
 */
export function findRejectedSecret(toolkit: LoadedToolkit, message: string): RejectedSecret | undefined {
  const specs = fieldSpecs(toolkit.manifest).filter((spec) => spec.secret);
  for (const pattern of getToolkitPatterns(toolkit.manifest).detect) {
    const found = findMatch(pattern, message, (match) => readRejected(match, specs));
    if (found) return { toolkit: toolkit.name, ...found };
  }
  return undefined;
}

function readRejected(match: RegExpExecArray, specs: FieldSpec[]): (Span & { reason: string }) | undefined {
  for (const spec of specs) {
    const span = match.indices?.groups?.[spec.name];
    const raw = match.groups?.[spec.name];
    if (!span || raw === undefined || isPlaceholder(raw)) continue;
    const value = trimValue(raw, span[0]);
    const reason = implausibility(value.text);
    if (reason && /[^\p{L}]/u.test(value.text)) return { start: value.start, end: value.start + value.text.length, reason };
  }
  return undefined;
}

function implausibility(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length < MIN_SECRET_LENGTH) return `it has only ${value.length} characters, and a token has at least ${MIN_SECRET_LENGTH}`;
  if (/\s/u.test(value)) return 'it contains spaces, and a token has none';
  if (/^(.)\1*$/su.test(value)) return 'it is one character repeated, not a token';
  return undefined;
}

function fieldSpecs(manifest: ToolkitManifest): FieldSpec[] {
  const credential = manifest.credential;
  if (credential.type === 'oauth2') return [{ name: 'code', secret: true, optional: false }];
  return credential.fields.map((field) => ({ name: field.name, secret: field.secret === true, optional: field.optional === true }));
}

type Capture = Pick<DetectedCredential, 'fields' | 'match' | 'secrets'>;

function findPlausibleMatch(pattern: RegExp, message: string, specs: FieldSpec[]): Capture | undefined {
  return findMatch(pattern, message, (match) => readCapture(match, specs));
}

function readCapture(match: RegExpExecArray, specs: FieldSpec[]): Capture | undefined {
  const start = match.index ?? 0;
  const capture: Capture = { fields: {}, match: { start, end: start + match[0].length }, secrets: [] };
  for (const spec of specs) {
    const span = match.indices?.groups?.[spec.name];
    const raw = match.groups?.[spec.name];
    if (!span || raw === undefined) continue;
    if (spec.secret && isPlaceholder(raw)) return undefined;
    const value = trimValue(raw, span[0]);
    if (value.text === '') continue;
    if (spec.secret && !isPlausibleSecret(value.text)) return undefined;
    capture.fields[spec.name] = value.text;
    if (spec.secret) capture.secrets.push({ field: spec.name, start: value.start, end: value.start + value.text.length });
  }
  return Object.keys(capture.fields).length > 0 ? capture : undefined;
}

function mergeCapture(found: DetectedCredential, capture: Capture): DetectedCredential {
  for (const [name, value] of Object.entries(capture.fields)) {
    if (name in found.fields) continue;
    found.fields[name] = value;
    const secret = capture.secrets.find((span) => span.field === name);
    if (secret) found.secrets.push(secret);
  }
  return found;
}

/** Strips quotes and brackets around a value and sentence punctuation after it. */
function trimValue(raw: string, start: number): { text: string; start: number } {
  const trimmedStart = raw.trimStart();
  let offset = raw.length - trimmedStart.length;
  const leading = LEADING_WRAPPERS.exec(trimmedStart)?.[0].length ?? 0;
  offset += leading;
  const text = trimmedStart.slice(leading).trimEnd().replace(TRAILING_PUNCTUATION, '');
  return { text, start: start + offset };
}

/** `<your-token>`, `[token]`, `ATATT...`, or a value this module already redacted. */
function isPlaceholder(raw: string): boolean {
  const text = raw.trim();
  return /^(?:<.*>|\[.*\])$/su.test(text) || text.includes('...') || text.includes('…') || text.includes(REDACTED);
}

function isPlausibleSecret(value: string): boolean {
  return implausibility(value) === undefined;
}
