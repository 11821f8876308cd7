import type { LoadedToolkit } from '../config/definitions.ts';
import { escapeRegExp, findMatch, getToolkitPatterns } from './compile-patterns.ts';

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

/**
 * True when the message declines this toolkit: "without jira", "skip jira", "no jira", "don't use
 * google drive", naming the toolkit by its title, name or the title's last word ("drive"), at the
 * end of a clause ("skip jira, just answer generally"; never "no jira ticket exists for it");
 * "no jira" only as the message's start (not "we have no jira.").
 */
export function declinesToolkit(toolkit: LoadedToolkit, message: string): boolean {
  return declinePattern(toolkit).test(message);
}

/** "no thanks", "not now", "no": a refusal of whatever was just offered (only used right after a prompt). */
export function isPlainDecline(message: string): boolean {
  return /^\s*(?:no(?:pe)?[\s,]+thanks?(?:\s+you)?|no\s+thank\s+you|not\s+now|no)[\s.!]*$/iu.test(message);
}

const declinePatterns = new WeakMap<LoadedToolkit, RegExp>();

function declinePattern(toolkit: LoadedToolkit): RegExp {
  const cached = declinePatterns.get(toolkit);
  if (cached) return cached;
  const words = toolkit.title.trim().split(/\s+/u);
  const names = [toolkit.title, toolkit.name.replace(/[-_]+/gu, ' '), words.length > 1 ? words.at(-1)! : toolkit.title];
  const alternatives = [...new Set(names.map((name) => name.toLowerCase()))].map((name) => name.split(/\s+/u).map(escapeRegExp).join('[\\s_-]+'));
  const pattern = new RegExp(
    `(?:(?<![\\p{L}\\p{N}_])(?:without|skip|not\\s+using|don['’]?t\\s+use|do\\s+not\\s+use|never\\s+mind)|^\\s*no)\\s+(?:the\\s+|my\\s+)?(?:${alternatives.join('|')})(?=\\s*(?:[.!?,;:)]|$)|\\s+(?:just|please|for\\s+now|this\\s+time|thanks?|today)(?![\\p{L}\\p{N}_]))`,
    'iu',
  );
  declinePatterns.set(toolkit, pattern);
  return pattern;
}
