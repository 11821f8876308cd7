import { toPlainText } from './adf.ts';
import type { RawIssue } from './jira-api.ts';
import { isRecord } from './settings.ts';
import type { JiraSettings } from './settings.ts';

/** Fields every issue summary shows. */
export const SUMMARY_FIELDS = ['summary', 'status', 'assignee', 'priority', 'issuetype', 'fixVersions'];

export function issueUrl(host: string, key: string): string {
  return `${host}/browse/${key}`;
}

/** A small, model-friendly view of an issue: key, url and the summary fields as plain values. */
export function summarizeIssue(issue: RawIssue, host: string, extraFields: string[], settings: JiraSettings): Record<string, unknown> {
  const fields = issue.fields ?? {};
  const summary: Record<string, unknown> = {
    key: issue.key,
    url: issueUrl(host, issue.key),
    summary: fields.summary,
    status: simplifyValue(fields.status),
    type: simplifyValue(fields.issuetype),
    priority: simplifyValue(fields.priority),
    assignee: simplifyValue(fields.assignee),
    fix_versions: simplifyValue(fields.fixVersions),
  };
  for (const name of extraFields) summary[name] = simplifyValue(fields[settings.customFields[name] ?? name]);
  return dropEmpty(summary);
}

/** A Jira field value as a plain string/number/list: objects become their name, display name or value. */
export function simplifyValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(simplifyValue).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (!isRecord(value)) return value;
  if (value.type === 'doc') return toPlainText(value);
  const label = value.displayName ?? value.name ?? value.value ?? value.key ?? value.id;
  return label === undefined ? undefined : String(label);
}

/** The label an issue is counted under for a field (several for multi-valued fields). */
export function countLabels(value: unknown): string[] {
  const simple = simplifyValue(value);
  if (simple === undefined || simple === '') return ['(none)'];
  return Array.isArray(simple) ? simple.map(String) : [String(simple)];
}

const PULL_REQUEST_URL = /\/pull\/\d+|\/-\/merge_requests\/\d+|\/merge_requests\/\d+|\/pull-requests\/\d+/;

/** Pull/merge request URLs (GitHub, GitLab, Bitbucket) among an issue's remote links. */
export function pullRequestLinks(links: Array<{ object?: { url?: string; title?: string } }>): Array<{ url: string; title?: string }> {
  return links
    .map((link) => ({ url: link.object?.url ?? '', title: link.object?.title }))
    .filter((link) => PULL_REQUEST_URL.test(link.url));
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (truncated)` : text;
}

export function dropEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null && value !== ''));
}
