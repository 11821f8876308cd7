/**
 * `agentllm/toolkit`: what a toolkit plugin needs from AgentLLM, and nothing heavier. The shipped
 * toolkits import from here (the package's own name resolves inside the package through the
 * "exports" of package.json), so they work unchanged when copied into a project depending on
 * agentllm. `agentllm` itself exports the same names, but loads the whole server with them.
 */
export { AgentLLMError } from './errors.ts';
export type { BuildToolsInput, Credential, CredentialCheck, Env, Tool, ToolkitPlugin, ValidateCredentialInput } from './toolkit/plugin.ts';
export { CredentialRejectedError } from './toolkit/plugin.ts';
export { isLoopbackHostname } from './net/loopback.ts';
