/**
 * AgentLLM's public API, as a table of contents. Toolkit plugins import their types from here.
 */
export type { AgentDefinition } from './config/agent-definition.generated.ts';
export type { ToolkitManifest } from './config/toolkit-manifest.generated.ts';
export type { Definitions, LoadedAgent, LoadedToolkit, SourceError } from './config/definitions.ts';
export { loadDefinitions } from './config/load-definitions.ts';
export type { ConversationItem, StoredRun, ToolActivity, ToolCall, ToolResult, UserInfo } from './conversation.ts';
export { AgentLLMError } from './errors.ts';
export { createGeminiClient } from './model/gemini-client.ts';
export type { ModelClient, ModelEvent, ModelRequest } from './model/model-client.ts';
export { createRegistry } from './registry/create-registry.ts';
export type { Registry, RegistrySnapshot } from './registry/registry.ts';
export { createRunTurn } from './run/create-run-turn.ts';
export { createTurnMeter } from './run/turn.ts';
export type { RunTurn, TurnEvent, TurnMeter, TurnRequest } from './run/turn.ts';
export { createServer } from './server/create-server.ts';
export { createFileStore } from './store/file-store.ts';
export type { Store } from './store/store.ts';
export type { BuildToolsInput, Credential, CredentialCheck, Env, Tool, ToolkitPlugin, ValidateCredentialInput } from './toolkit/plugin.ts';
export { CredentialRejectedError } from './toolkit/plugin.ts';
export { isLoopbackHostname } from './net/loopback.ts';
export { startApp } from './cli/start-app.ts';
