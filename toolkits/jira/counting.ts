import { countLabels } from './issue-format.ts';
import type { JiraApi, RawIssue } from './jira-api.ts';

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

/** Issue counts per value of one field (fetching only that field), largest first. */
export async function countByField(api: JiraApi, jql: string, fieldId: string): Promise<{ total: number; counts: Record<string, number> }> {
  const counts = new Map<string, number>();
  let total = 0;
  await forEachIssue(api, jql, [fieldId], (issues) => {
    total += issues.length;
    for (const issue of issues) {
      for (const label of countLabels(issue.fields?.[fieldId])) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  });
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total, counts: Object.fromEntries(sorted) };
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
