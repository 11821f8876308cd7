/** The agent's per-toolkit `config`, read into a typed shape with defaults. */
export interface JiraSettings {
  serverUrl?: string;
  baseJql?: string;
  customFields: Record<string, string>;
  projectKeys: string[];
  boardId?: number;
  allow: { comment: boolean; create: boolean; update: boolean };
  maxResults: number;
}

const DEFAULT_MAX_RESULTS = 20;

export function readSettings(config: Record<string, unknown>): JiraSettings {
  const allow = isRecord(config.allow) ? config.allow : {};
  return {
    serverUrl: nonEmptyString(config.server_url),
    baseJql: nonEmptyString(config.base_jql),
    customFields: readStringMap(config.custom_fields),
    projectKeys: Array.isArray(config.project_keys) ? config.project_keys.filter((key) => typeof key === 'string') : [],
    boardId: typeof config.board_id === 'number' ? config.board_id : undefined,
    allow: { comment: allow.comment === true, create: allow.create === true, update: allow.update === true },
    maxResults: typeof config.max_results === 'number' && config.max_results > 0 ? config.max_results : DEFAULT_MAX_RESULTS,
  };
}

/** AND-s the agent's base JQL with the model's JQL, keeping the model's ORDER BY at the end. */
export function composeJql(baseJql: string | undefined, jql: string | undefined): string {
  const { where, orderBy } = splitOrderBy(jql ?? '');
  const clauses = [baseJql, where].filter((part): part is string => Boolean(part && part.trim()));
  const combined = clauses.length > 1 ? clauses.map((part) => `(${part.trim()})`).join(' AND ') : (clauses[0]?.trim() ?? '');
  return [combined, orderBy].filter(Boolean).join(' ');
}

function splitOrderBy(jql: string): { where: string; orderBy: string } {
  const match = /\border\s+by\b/i.exec(jql);
  if (!match) return { where: jql.trim(), orderBy: '' };
  return { where: jql.slice(0, match.index).trim(), orderBy: jql.slice(match.index).trim() };
}

/** Quotes a value for JQL: "1.0", "In Progress". */
export function quoteJql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The field id for a friendly name from config.custom_fields, or the name itself. */
export function resolveField(settings: JiraSettings, name: string): string {
  return settings.customFields[name] ?? name;
}

function readStringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
