/* Generated from schemas/toolkit.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * toolkits/<name>/toolkit.yaml: what a toolkit plugin needs from a user and how it talks to them. The tools themselves live in toolkits/<name>/index.ts.
 */
export interface ToolkitManifest {
  /**
   * Version of this file format. Only 1 exists today; omit it or write 1.
   */
  version?: 1;
  /**
   * The toolkit's name, as agents refer to it. Must equal the folder's name.
   */
  name: string;
  /**
   * Human name of the service, used in messages (e.g. 'Jira', 'Google Drive'). Defaults to the name.
   */
  title?: string;
  /**
   * What the toolkit lets an agent do.
   */
  description: string;
  /**
   * The credential a user must give before the toolkit's tools can run for them.
   */
  credential: ApiTokenCredential | Oauth2Credential;
  /**
   * JSON Schema (draft 2020-12 fragment) of the per-agent `config` an agent may give this toolkit; `agentllm validate` checks agents against it.
   */
  config?: {
    [k: string]: unknown;
  };
  /**
   * What in a user's message means they are asking for this toolkit's features (used for optional toolkits). Words match on word boundaries, case-insensitively; patterns case-sensitively unless ignore_case is set.
   */
  features?: {
    /**
     * Words or phrases, matched as whole words ('pr' does not match 'project').
     */
    words?: string[];
    /**
     * Regular expressions (JavaScript syntax), matched case-sensitively unless `ignore_case` is true, e.g. an issue key like '\\b[A-Z][A-Z0-9]+-\\d+\\b' (which then does not match 'top-10').
     */
    patterns?: string[];
    /**
     * Match `patterns` case-insensitively. Default false. `words` always match case-insensitively.
     */
    ignore_case?: boolean;
  };
  /**
   * Regular expressions (case-insensitive) of messages asking to delete the user's credential, e.g. 'forget my jira token'. A negation ending at most three words before a match (don't, do not, never, not, no need to) cancels it: 'don't forget my jira token' keeps the credential.
   */
  revoke?: string[];
  /**
   * Handlebars templates of the chat messages this toolkit sends. Variables: user, agent, config (the agent's toolkit config), toolkit (name, title), and per template: authorization_url (prompt, for oauth2), error (failure), account (confirmation).
   */
  templates: {
    /**
     * Asks the user for the missing credential.
     */
    prompt: string;
    /**
     * Sent once a credential is validated and stored.
     */
    confirmation: string;
    /**
     * Sent when a given credential does not validate; nothing is stored.
     */
    failure: string;
    /**
     * Sent after the user's credential was deleted.
     */
    revoked?: string;
    /**
     * Appended to the system instruction of agents that have this toolkit configured.
     */
    instructions?: string;
  };
}
export interface ApiTokenCredential {
  /**
   * A token (and companion fields) the user pastes in chat.
   */
  type: 'api_token';
  /**
   * The parts of the credential.
   *
   * @minItems 1
   */
  fields: {
    /**
     * Field name, as named groups in `detect` patterns call it.
     */
    name: string;
    /**
     * Human label, for prompts.
     */
    label?: string;
    /**
     * True for the parts that must never be logged, stored in plaintext or sent to the model.
     */
    secret?: boolean;
    /**
     * True when the credential is complete without this field.
     */
    optional?: boolean;
    /**
     * Environment variable holding an operator-level value, used when a user has given none.
     */
    env?: string;
  }[];
  /**
   * Regular expressions (JavaScript, case-insensitive) with named groups (?<field>...) that recognise a credential in a message: explicit phrases ('my jira token is ...') or known token formats. Never a bare 'long string'.
   *
   * @minItems 1
   */
  detect: string[];
}
export interface Oauth2Credential {
  /**
   * OAuth 2.0 authorization-code flow.
   */
  type: 'oauth2';
  /**
   * The OAuth provider.
   */
  provider: 'google';
  /**
   * Scopes requested.
   *
   * @minItems 1
   */
  scopes: string[];
  /**
   * Regular expressions (case-insensitive) with a named group (?<code>...) recognising an authorization code pasted in chat.
   */
  detect?: string[];
}
