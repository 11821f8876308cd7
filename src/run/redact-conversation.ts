import { hash } from 'node:crypto';
import type { ConversationItem } from '../conversation.ts';
import type { RegistrySnapshot } from '../registry/registry.ts';
import { createLruCache, type LruCache } from '../store/lru-cache.ts';
import { findSecretPhraseValues } from '../toolkit/credential-attempt.ts';
import { detectCredential, findRejectedSecret, redactCredential } from '../toolkit/detect-credential.ts';
import { redactSpans } from '../toolkit/redact-credential.ts';

type Toolkit = Parameters<typeof detectCredential>[0];

/**
 * Clients such as Open WebUI resend the whole conversation, including an earlier message that
 * carried a credential (and its background tasks quote it). Every message, whoever wrote it (a
 * client may put a token in a system or assistant message, or a tool result), is redacted before it
 * can reach the model or the history: with the `detect` patterns of every loaded toolkit (a token
 * pasted to an agent that does not use its toolkit is still a secret), the values those patterns
 * refused as implausible, and secret-looking values after "token is", "password:", ...
 */
export function redactConversation(snapshot: RegistrySnapshot, messages: readonly ConversationItem[]): ConversationItem[] {
  const redact = redactorOf(snapshot);
  return messages.map((item) => redactItem(item, redact));
}

/** One message with every credential (or attempt at one) redacted (a message may carry several). */
export function redactMessage(snapshot: RegistrySnapshot, text: string): string {
  return redactorOf(snapshot)(text);
}

function redactItem(item: ConversationItem, redact: (text: string) => string): ConversationItem {
  if (item.role === 'user') return { ...item, text: redact(item.text) };
  if (item.role === 'assistant') {
    const toolCalls = item.toolCalls?.map((call) => ({ ...call, args: redactJson(call.args, redact) }));
    return toolCalls ? { ...item, text: redact(item.text), toolCalls } : { ...item, text: redact(item.text) };
  }
  return { ...item, results: item.results.map((result) => ({ ...result, result: redactJson(result.result, redact) })) };
}

/** A JSON value with its text redacted ("[redacted]" needs no escaping, so the JSON stays valid). */
function redactJson<T>(value: T, redact: (text: string) => string): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value);
  const redacted = redact(text);
  return redacted === text ? value : (JSON.parse(redacted) as T);
}

const MAX_PASSES = 5;
/** Messages remembered per snapshot, and the characters of redacted texts kept for them. */
const MEMO_ENTRIES = 10_000;
const MEMO_CHARS = 4 * 1024 * 1024;

/**
 * Each resend scans every earlier message again with every toolkit's patterns: with a long
 * conversation that is most of a request's own cost. So the outcome for a message is remembered
 * per snapshot (a reload may change the patterns), by a hash of its text: the memo holds no
 * message text, only the redacted text of the few that carried a credential (null: unchanged).
 */
const memos = new WeakMap<RegistrySnapshot, (text: string) => string>();

function redactorOf(snapshot: RegistrySnapshot): (text: string) => string {
  let redact = memos.get(snapshot);
  if (!redact) {
    const toolkits = [...snapshot.toolkits.values()];
    const memo: LruCache<string | null> = createLruCache(MEMO_ENTRIES, MEMO_CHARS);
    redact = (text) => {
      const key = hash('sha256', text, 'base64');
      const known = memo.get(key);
      if (known !== undefined) return known ?? text;
      const redacted = redactText(toolkits, text);
      memo.set(key, redacted === text ? null : redacted, redacted === text ? 0 : redacted.length);
      return redacted;
    };
    memos.set(snapshot, redact);
  }
  return redact;
}

function redactText(toolkits: Toolkit[], text: string): string {
  let result = text;
  for (const toolkit of toolkits) {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const detected = detectCredential(toolkit, result);
      if (!detected) break;
      result = redactCredential(result, detected);
    }
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const rejected = findRejectedSecret(toolkit, result);
      if (!rejected) break;
      result = redactSpans(result, [rejected]);
    }
  }
  return redactSpans(result, findSecretPhraseValues(result));
}
