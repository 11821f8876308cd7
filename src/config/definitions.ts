import type { TemplateDelegate } from 'handlebars';
import type { AgentDefinition } from './agent-definition.generated.ts';
import type { ToolkitManifest } from './toolkit-manifest.generated.ts';

export type { AgentDefinition, ToolkitManifest };

/** A problem in a definition file, pointed at its line and column (1-based). */
export interface SourceError {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** A toolkit as one agent uses it. */
export interface ToolkitUse {
  name: string;
  required: boolean;
  config: Record<string, unknown>;
}

/** A validated agent, defaults applied, templates compiled. */
export interface LoadedAgent {
  name: string;
  description: string;
  file: string;
  definition: AgentDefinition;
  model: { provider: 'gemini'; id: string };
  /** Renders the system instruction (see docs/agents.md for its variables). */
  instructions: TemplateDelegate;
  toolkits: ToolkitUse[];
  historyRuns: number;
  maxSteps: number;
  /** `tool_timeout_ms`, when the agent sets it (else the server's default applies). */
  toolTimeoutMs?: number;
  /** Set by the registry: when an agent of this name was first served (kept across reloads; /v1/models `created`). */
  loadedAt?: Date;
}

export interface ToolkitTemplates {
  prompt: TemplateDelegate;
  confirmation: TemplateDelegate;
  failure: TemplateDelegate;
  revoked?: TemplateDelegate;
  instructions?: TemplateDelegate;
}

/** A validated toolkit manifest; the plugin code (`entry`) is imported by the registry. */
export interface LoadedToolkit {
  name: string;
  title: string;
  dir: string;
  file: string;
  /** Absolute path of index.ts (or index.js) */
  entry: string;
  manifest: ToolkitManifest;
  templates: ToolkitTemplates;
}

export interface Definitions {
  agents: LoadedAgent[];
  toolkits: LoadedToolkit[];
  errors: SourceError[];
}

export interface LoadOptions {
  agentsDir: string;
  toolkitsDir: string;
}
