import type { ConversationItem } from '../conversation.ts';
import type { RegistrySnapshot } from '../registry/registry.ts';
import { detectCredential, redactCredential } from '../toolkit/detect-credential.ts';

type Toolkit = Parameters<typeof detectCredential>[0];

/**
 * Clients such as Open WebUI resend the whole conversation, including an earlier message that
 * carried a credential (and its background tasks quote it). Every user message is redacted before
 * it can reach the model or the history, with the `detect` patterns of every loaded toolkit: a
 * token pasted to an agent that does not use its toolkit is still a secret.
 */
export function redactConversation(snapshot: RegistrySnapshot, messages: readonly ConversationItem[]): ConversationItem[] {
  const toolkits = [...snapshot.toolkits.values()];
  if (toolkits.length === 0) return [...messages];
  return messages.map((item) => (item.role === 'user' ? { ...item, text: redactText(toolkits, item.text) } : item));
}

/** One message with the credentials of every loaded toolkit redacted (a message may carry several). */
export function redactMessage(snapshot: RegistrySnapshot, text: string): string {
  return redactText([...snapshot.toolkits.values()], text);
}

const MAX_PASSES = 5;

function redactText(toolkits: Toolkit[], text: string): string {
  let result = text;
  for (const toolkit of toolkits) {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const detected = detectCredential(toolkit, result);
      if (!detected) break;
      result = redactCredential(result, detected);
    }
  }
  return result;
}
