import type { LoadedAgent } from '../config/definitions.ts';
import type { UserInfo } from '../conversation.ts';

/** The system instruction: the agent's template rendered for this user, toolkit instructions, then the client's system messages. */
export function renderSystem(input: {
  agent: LoadedAgent;
  user: UserInfo;
  toolkitInstructions: Record<string, string>;
  clientSystem: readonly string[];
  now?: Date;
}): string {
  // UTC, like every time the server shows: {{date}} is the UTC date, {{datetime}} an ISO 8601 UTC timestamp.
  const datetime = (input.now ?? new Date()).toISOString();
  const toolkits = Object.fromEntries(Object.entries(input.toolkitInstructions).map(([name, instructions]) => [name, { instructions }]));
  const toolkitText = Object.values(input.toolkitInstructions).filter(Boolean).join('\n\n');
  const rendered = input.agent.instructions({
    // Only what the client sent: `{{#if user.name}}…{{else}}…{{/if}}` sees a missing name (use {{user.id}} for the id).
    user: input.user,
    agent: { name: input.agent.name, description: input.agent.description },
    date: datetime.slice(0, 10),
    datetime,
    toolkits,
    toolkit_instructions: toolkitText,
  });
  // Toolkit instructions are appended unless the template placed them itself.
  const appended = toolkitText && !rendered.includes(toolkitText) ? [toolkitText] : [];
  return [rendered, ...appended, ...input.clientSystem].filter((part) => part.trim() !== '').join('\n\n');
}
