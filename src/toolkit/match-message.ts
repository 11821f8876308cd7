import type { LoadedToolkit } from '../config/definitions.ts';
import { findMatch, getToolkitPatterns } from './compile-patterns.ts';

/**
 * True when the message asks for what this toolkit does: one of `features.words` as a whole word
 * (case-insensitive, any script, optional plural "s"; phrases match across any whitespace) or a
 * match of one of `features.patterns`.
 */
export function asksForFeatures(toolkit: LoadedToolkit, message: string): boolean {
  const patterns = getToolkitPatterns(toolkit.manifest);
  if (patterns.featureWords?.test(message)) return true;
  return patterns.featurePatterns.some((pattern) => pattern.test(message));
}

/**
 * A negation ending at most three words before a revoke phrase: "don't forget my jira token",
 * "please do not ever revoke drive", "no need to delete my jira token". Words only: punctuation
 * in between ends the clause ("if it's not working, forget my jira token" still revokes).
 */
const NEGATION_BEFORE = /(?<![\p{L}\p{N}_])(?:don['’]?t|do\s+not|never|not|no\s+need\s+to)(?:\s+[\p{L}'’]+){0,3}\s*$/iu;
const NEGATION_WINDOW = 60;

/**
 * True when the message asks to delete the user's credential: one of the manifest's `revoke`
 * patterns matches, and no negation comes shortly before the match.
 */
export function asksToRevoke(toolkit: LoadedToolkit, message: string): boolean {
  return getToolkitPatterns(toolkit.manifest).revoke.some((pattern) => findMatch(pattern, message, (match) => (isNegated(message, match.index) ? undefined : true)));
}

function isNegated(message: string, index: number): boolean {
  return NEGATION_BEFORE.test(message.slice(Math.max(0, index - NEGATION_WINDOW), index));
}
