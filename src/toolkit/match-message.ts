import type { LoadedToolkit } from '../config/definitions.ts';
import { getToolkitPatterns } from './compile-patterns.ts';

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

/** True when the message asks to delete the user's credential (one of the manifest's `revoke` patterns). */
export function asksToRevoke(toolkit: LoadedToolkit, message: string): boolean {
  return getToolkitPatterns(toolkit.manifest).revoke.some((pattern) => pattern.test(message));
}
