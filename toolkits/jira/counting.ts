import { countLabels } from './issue-format.ts';
import type { JiraApi, RawIssue } from './jira-api.ts';
import { quoteJql } from './settings.ts';

/** Counting stops (with an error) past this many issues rather than paging for ever. */
const MAX_COUNTED_ISSUES = 100_000;

/**
 * The exact number of issues a JQL matches. Server/DC gives an exact `total` (maxResults 0);
 * Jira Cloud's enhanced search has no total and its approximate-count endpoint is only an estimate,
 * so Cloud pages through key-only results (up to 5000 keys a page) and counts them.
 */
export async function countIssues(api: JiraApi, jql: string): Promise<number> {
  if (api.flavor === 'server') {
    const page = await api.searchPage({ jql, fields: ['key'], limit: 0 });
    return page.total ?? 0;
  }
  let count = 0;
  await forEachIssue(api, jql, ['key'], (issues) => {
    count += issues.length;
  });
  return count;
}

export interface FieldCounts {
  total: number;
  counts: Record<string, number>;
  /** 'count-only': total-only queries per value (Server/DC); 'fetched': every matching issue's field was read (Cloud). */
  method: 'count-only' | 'fetched';
}

/** Most distinct values counted with one query each; a field with more is counted by fetching it. */
const MAX_COUNTED_VALUES = 50;

/**
 * Issue counts per value of one field, largest first. Server/DC counts without fetching the issues:
 * it finds the field's values one by one (one issue, maxResults=1, among those whose value was not
 * counted yet) and counts each with a total-only query (maxResults=0). Jira Cloud's search has no
 * total (and its approximate count is an estimate, not exposed by jira.js 5.4), so Cloud reads the
 * one field of every matching issue, as does Server/DC for a multi-valued field (labels, components,
 * fix versions), a field JQL cannot query (a 400) or one with more than MAX_COUNTED_VALUES values.
 */
export async function countByField(api: JiraApi, jql: string, fieldId: string): Promise<FieldCounts> {
  const clause = jqlClauseFor(fieldId);
  if (api.flavor === 'server' && clause) {
    try {
      const counted = await countByValues(api, withoutOrderBy(jql), fieldId, clause);
      if (counted) return sortCounts(counted.total, counted.counts, 'count-only');
    } catch (error) {
      if ((error as { status?: unknown }).status !== 400) throw error;
    }
  }
  return countByFetching(api, jql, fieldId);
}

async function countByValues(api: JiraApi, jql: string, fieldId: string, clause: string): Promise<{ total: number; counts: Map<string, number> } | undefined> {
  const total = await countIssues(api, jql);
  const counts = new Map<string, number>();
  const seen: string[] = [];
  let emptyCounted = false;
  while (counts.size <= MAX_COUNTED_VALUES) {
    const page = await api.searchPage({ jql: remainingJql(jql, clause, seen, emptyCounted), fields: [fieldId], limit: 1 });
    const issue = page.issues[0];
    if (!issue || page.total === 0) return { total, counts };
    const values = jqlValues(issue.fields?.[fieldId]);
    if (!values) return undefined;
    const [value] = values;
    if (!value && emptyCounted) return undefined;
    if (value && seen.includes(value.literal)) return undefined;
    if (!value) {
      counts.set('(none)', await countIssues(api, `(${jql}) AND ${clause} is EMPTY`));
      emptyCounted = true;
    } else {
      counts.set(value.label, (counts.get(value.label) ?? 0) + (await countIssues(api, `(${jql}) AND ${clause} = ${value.literal}`)));
      seen.push(value.literal);
    }
  }
  return undefined;
}

/** The matching issues whose value was not counted yet. (`not in` never matches an empty field: EMPTY is asked for apart.) */
function remainingJql(jql: string, clause: string, seen: string[], emptyCounted: boolean): string {
  const notSeen = seen.length > 0 ? `${clause} not in (${seen.join(', ')})` : `${clause} is not EMPTY`;
  return emptyCounted ? `(${jql}) AND ${notSeen}` : `(${jql}) AND (${notSeen} OR ${clause} is EMPTY)`;
}

/**
 * An issue's value of a single-valued field, as counted (label) and as a JQL literal (a user by
 * account id or username); [] when empty; undefined for a multi-valued field ("not in" would hide
 * values that only occur next to counted ones, so those are counted by fetching).
 */
function jqlValues(value: unknown): Array<{ label: string; literal: string }> | undefined {
  if (Array.isArray(value)) return undefined;
  const label = countLabels(value)[0]!;
  if (label === '(none)') return [];
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return [{ label, literal: quoteJql(String(record.accountId ?? record.name ?? label)) }];
}

/** The JQL name of a field the walk can query; undefined for one it cannot. */
function jqlClauseFor(fieldId: string): string | undefined {
  const known: Record<string, string> = { status: 'status', assignee: 'assignee', reporter: 'reporter', priority: 'priority', issuetype: 'issuetype', resolution: 'resolution' };
  if (known[fieldId]) return known[fieldId];
  const custom = /^customfield_(\d+)$/.exec(fieldId);
  return custom ? `cf[${custom[1]}]` : undefined;
}

function withoutOrderBy(jql: string): string {
  return jql.replace(/\border\s+by\b[\s\S]*$/i, '').trim();
}

async function countByFetching(api: JiraApi, jql: string, fieldId: string): Promise<FieldCounts> {
  const counts = new Map<string, number>();
  let total = 0;
  await forEachIssue(api, jql, [fieldId], (issues) => {
    total += issues.length;
    for (const issue of issues) {
      for (const label of countLabels(issue.fields?.[fieldId])) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  });
  return sortCounts(total, counts, 'fetched');
}

function sortCounts(total: number, counts: Map<string, number>, method: FieldCounts['method']): FieldCounts {
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total, counts: Object.fromEntries(sorted), method };
}

async function forEachIssue(api: JiraApi, jql: string, fields: string[], visit: (issues: RawIssue[]) => void): Promise<void> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await api.searchPage({ jql, fields, limit: api.countPageSize, cursor });
    visit(page.issues);
    seen += page.issues.length;
    if (seen > MAX_COUNTED_ISSUES) throw new Error(`More than ${MAX_COUNTED_ISSUES} issues match; narrow the JQL to count them.`);
    cursor = page.issues.length > 0 ? page.nextCursor : undefined;
  } while (cursor);
}
