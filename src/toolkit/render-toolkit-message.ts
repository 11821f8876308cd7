import type { TemplateDelegate } from 'handlebars';
import type { LoadedToolkit } from '../config/definitions.ts';
import type { UserInfo } from '../conversation.ts';
import { AgentLLMError } from '../errors.ts';

export type ToolkitMessageKind = 'prompt' | 'confirmation' | 'failure' | 'revoked';

export interface ToolkitMessageContext {
  user: UserInfo;
  agent: { name: string; description: string };
  /** The agent's config for this toolkit. */
  config: Record<string, unknown>;
  /** oauth2 prompt: the provider's consent URL. */
  authorizationUrl?: string;
  /** failure: why the credential did not validate (the template gets it as a sentence, ending with a period). */
  error?: string;
  /** confirmation: the account the credential belongs to, when the service says. */
  account?: string;
  /** prompt: true when the agent can go on without this toolkit (the user may decline it). */
  optional?: boolean;
}

/** The variables a toolkit template sees. */
export interface ToolkitTemplateData {
  user: UserInfo;
  agent: { name: string; description: string };
  config: Record<string, unknown>;
  toolkit: { name: string; title: string };
  authorization_url?: string;
  error?: string;
  account?: string;
  optional?: boolean;
}

/** Renders one of the toolkit's chat messages, trimmed. A missing `revoked` template has a default. */
export function renderToolkitMessage(toolkit: LoadedToolkit, kind: ToolkitMessageKind, context: ToolkitMessageContext): string {
  const template = toolkit.templates[kind];
  if (!template) return defaultRevokedMessage(toolkit);
  return renderTemplate(toolkit, kind, template, context);
}

/** The toolkit's addition to the system instruction, trimmed; '' when it has none. */
export function renderToolkitInstructions(toolkit: LoadedToolkit, context: ToolkitMessageContext): string {
  const template = toolkit.templates.instructions;
  return template ? renderTemplate(toolkit, 'instructions', template, context) : '';
}

export function toTemplateData(toolkit: LoadedToolkit, context: ToolkitMessageContext): ToolkitTemplateData {
  return {
    user: context.user,
    agent: context.agent,
    config: context.config,
    toolkit: { name: toolkit.name, title: toolkit.title },
    authorization_url: context.authorizationUrl,
    error: context.error === undefined ? undefined : asSentence(context.error),
    account: context.account,
    optional: context.optional,
  };
}

function renderTemplate(toolkit: LoadedToolkit, kind: string, template: TemplateDelegate, context: ToolkitMessageContext): string {
  try {
    return template(toTemplateData(toolkit, context)).trim();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentLLMError(`toolkit '${toolkit.name}': template '${kind}' failed to render: ${reason}`, { status: 500, code: 'template_error', cause: error });
  }
}

/**
 * Why a credential failed comes from plugins and the runtime, with or without a final period: the
 * template gets it as one sentence that ends with exactly one (so `{{error}}` ends the sentence).
 */
function asSentence(text: string): string {
  const trimmed = text.trim().replace(/(?<!\.)\.\.$/u, '.');
  return /[.!?…]["')\]]*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

function defaultRevokedMessage(toolkit: LoadedToolkit): string {
  return `Done: I deleted your ${toolkit.title} credential. Give me a new one whenever you want me to use ${toolkit.title} again.`;
}
