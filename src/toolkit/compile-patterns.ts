import type { ToolkitManifest } from '../config/definitions.ts';

/** A toolkit manifest's regular expressions, compiled once and kept as long as the manifest lives. */
export interface ToolkitPatterns {
  /** `credential.detect`, global so every occurrence can be tried (only ever used through findMatch). */
  detect: RegExp[];
  /** `features.words` as one whole-word regex (undefined when there are none). */
  featureWords: RegExp | undefined;
  /** `features.patterns`: case-sensitive unless the manifest sets `features.ignore_case`. */
  featurePatterns: RegExp[];
  /** `revoke`, global so every occurrence can be checked for a negation before it. */
  revoke: RegExp[];
}

const cache = new WeakMap<ToolkitManifest, ToolkitPatterns>();

/** Letters, digits and underscore of any script: what a "word" is made of. */
const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';

/** The compiled patterns of a manifest; compiled on first use, then cached by manifest object. */
export function getToolkitPatterns(manifest: ToolkitManifest): ToolkitPatterns {
  const cached = cache.get(manifest);
  if (cached) return cached;
  const patterns: ToolkitPatterns = {
    detect: (manifest.credential.detect ?? []).map((source) => compilePattern(source, 'gd')),
    featureWords: compileWords(manifest.features?.words ?? []),
    featurePatterns: (manifest.features?.patterns ?? []).map((source) => compilePattern(source, '', manifest.features?.ignore_case === true)),
    revoke: (manifest.revoke ?? []).map((source) => compilePattern(source, 'g')),
  };
  cache.set(manifest, patterns);
  return patterns;
}

/**
 * The first match of a global pattern that `pick` accepts (returns a value for), or undefined.
 * An exec loop on the shared, compiled pattern: String#matchAll would clone the RegExp on every
 * call, and every chat message goes through every toolkit's patterns.
 */
export function findMatch<T>(pattern: RegExp, text: string, pick: (match: RegExpExecArray) => T | undefined): T | undefined {
  pattern.lastIndex = 0;
  try {
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const picked = pick(match);
      if (picked !== undefined) return picked;
      if (match[0] === '') pattern.lastIndex++;
    }
    return undefined;
  } finally {
    pattern.lastIndex = 0;
  }
}

/**
 * Unicode-aware ('u') and, unless `ignoreCase` is false, case-insensitive ('i'). A pattern that is
 * valid only without the `u` flag (e.g. an identity escape like `\:`) falls back to no 'u', the
 * flags the loader validated it with.
 */
export function compilePattern(source: string, extraFlags: string, ignoreCase = true): RegExp {
  const base = ignoreCase ? 'i' : '';
  try {
    return new RegExp(source, `${base}u${extraFlags}`);
  } catch {
    return new RegExp(source, `${base}${extraFlags}`);
  }
}

/**
 * Whole words, case-insensitive, any script: a word matches itself and itself + "s"
 * ("sprint" matches "sprints", "pr" matches "PRs", neither matches "project" or "sprinter").
 * Spaces inside a phrase match any run of whitespace.
 */
export function compileWords(words: string[]): RegExp | undefined {
  const alternatives = words.map((word) => word.trim()).filter((word) => word !== '').map(wordPattern);
  if (alternatives.length === 0) return undefined;
  return new RegExp(`(?<!${WORD_CHAR})(?:${alternatives.join('|')})s?(?!${WORD_CHAR})`, 'iu');
}

function wordPattern(word: string): string {
  return word.split(/\s+/u).map(escapeRegExp).join('\\s+');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
