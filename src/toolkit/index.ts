/** The toolkit room: what run/ and server/ use to talk to toolkits on behalf of a user. */
export type { Credential, Env, Tool, ToolContext, ToolkitPlugin, CredentialCheck } from './plugin.ts';
export { CredentialRejectedError, isCredentialRejected } from './plugin.ts';
export { detectCredential, detectCredentials, type DetectedCredential, type Span } from './detect-credential.ts';
export { asksForFeatures, asksToRevoke } from './match-message.ts';
export { redactCredential, redactCredentials, REDACTED } from './redact-credential.ts';
export { createOAuthState, verifyOAuthState, consumeOAuthState, type OAuthStateCheck, type OAuthStatePayload } from './oauth-state.ts';
export { buildOAuthRedirectUri } from './oauth-redirect-uri.ts';
export { renderToolkitMessage, renderToolkitInstructions, type ToolkitMessageContext, type ToolkitMessageKind } from './render-toolkit-message.ts';
export { executeToolCall, toolDeclarations } from './execute-tool-call.ts';
export { formatToolCallBlock } from './format-tool-call-block.ts';
