import type { ToolkitManifest } from '../config/definitions.ts';
import type { Credential, Env } from './plugin.ts';

/**
 * A pasted api_token credential completed from the operator's environment: each non-secret field
 * the message did not carry takes the value of the field's `env` variable (e.g. JIRA_URL,
 * JIRA_EMAIL). Secret fields never come from the environment: the secret is the user's own.
 */
export function fillFromEnv(manifest: ToolkitManifest, fields: Credential, env: Env): Credential {
  const credential = manifest.credential;
  if (credential.type !== 'api_token') return fields;
  const filled: Credential = { ...fields };
  for (const field of credential.fields) {
    if (field.secret || field.name in filled || !field.env) continue;
    const value = env[field.env]?.trim();
    if (value) filled[field.name] = value;
  }
  return filled;
}
