import type { LoadedAgent } from '../config/definitions.ts';
import type { ConversationItem } from '../conversation.ts';
import type { RegistrySnapshot } from '../registry/registry.ts';
import { detectCredential, redactCredential } from '../toolkit/detect-credential.ts';

/**
 * Clients such as Open WebUI resend the whole conversation, including an earlier message that
 * carried a credential (and its background tasks quote it). Every user message is redacted before
 * it can reach the model or the history.
 */
export function redactConversation(snapshot: RegistrySnapshot, agent: LoadedAgent, messages: readonly ConversationItem[]): ConversationItem[] {
  const toolkits = agentToolkits(snapshot, agent);
  if (toolkits.length === 0) return [...messages];
  return messages.map((item) => (item.role === 'user' ? { ...item, text: redactText(toolkits, item.text) } : item));
}

/** One message with the credentials of every toolkit of the agent redacted (a message may carry several). */
export function redactMessage(snapshot: RegistrySnapshot, agent: LoadedAgent, text: string): string {
  return redactText(agentToolkits(snapshot, agent), text);
}

function agentToolkits(snapshot: RegistrySnapshot, agent: LoadedAgent): Parameters<typeof detectCredential>[0][] {
  return agent.toolkits.flatMap((use) => snapshot.toolkits.get(use.name) ?? []);
}

const MAX_PASSES = 5;

function redactText(toolkits: Parameters<typeof detectCredential>[0][], text: string): string {
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
