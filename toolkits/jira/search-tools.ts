import type { Tool } from 'agentllm/toolkit';
import { countByField, countIssues } from './counting.ts';
import { callJira } from './jira-api.ts';
import { SUMMARY_FIELDS, summarizeIssue } from './issue-format.ts';
import { composeJql, resolveField } from './settings.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { readLimit, readString, readStrings, requireString } from './tool-deps.ts';

const MAX_PAGE = 100;

export function searchTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_search',
    description:
      'Search Jira issues with JQL. Returns the exact total, one page of issues (key, url, summary, status, type, priority, assignee, fix versions) and next_cursor for the next page.',
    parameters: {
      type: 'object',
      properties: {
        jql: { type: 'string', description: 'JQL, e.g. project = ABC AND status = "In Progress" ORDER BY updated DESC' },
        fields: { type: 'array', items: { type: 'string' }, description: 'Extra fields to include: field ids or configured custom field names (e.g. story_points).' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, description: `Issues per page (default ${deps.settings.maxResults}).` },
        cursor: { type: 'string', description: 'next_cursor from the previous page.' },
      },
      required: ['jql'],
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const jql = composeJql(deps.settings.baseJql, requireString(args, 'jql'));
      const extra = readStrings(args, 'fields');
      const fields = [...SUMMARY_FIELDS, ...extra.map((name) => resolveField(deps.settings, name))];
      const cursor = readCursor(readString(args, 'cursor'));
      const page = await callJira(api, () => api.searchPage({ jql, fields, limit: readLimit(args, deps.settings.maxResults, MAX_PAGE), cursor: cursor?.token }));
      const onlyPage = !cursor && !page.nextCursor;
      const total = page.total ?? cursor?.total ?? (onlyPage ? page.issues.length : await callJira(api, () => countIssues(api, jql)));
      return {
        jql,
        total,
        returned: page.issues.length,
        issues: page.issues.map((issue) => summarizeIssue(issue, api.host, extra, deps.settings)),
        ...(page.nextCursor ? { next_cursor: page.total === undefined ? writeCursor(page.nextCursor, total) : page.nextCursor } : {}),
      };
    },
  };
}

/**
 * Jira Cloud's search gives no total, so the first page counts it once; the next pages' cursors
 * carry it (`t1.<total>.<Jira's token>`) instead of counting again. Any other cursor is Jira's own.
 */
const CURSOR = /^t1\.(\d+)\.(.+)$/s;

function writeCursor(token: string, total: number): string {
  return `t1.${total}.${token}`;
}

function readCursor(cursor: string | undefined): { token: string; total?: number } | undefined {
  if (!cursor) return undefined;
  const match = CURSOR.exec(cursor);
  return match ? { token: match[2]!, total: Number(match[1]) } : { token: cursor };
}

const GROUP_FIELDS: Record<string, string> = {
  status: 'status',
  assignee: 'assignee',
  reporter: 'reporter',
  priority: 'priority',
  type: 'issuetype',
  issue_type: 'issuetype',
  issuetype: 'issuetype',
  fix_version: 'fixVersions',
  fixversion: 'fixVersions',
  fixversions: 'fixVersions',
  label: 'labels',
  labels: 'labels',
  component: 'components',
  components: 'components',
  resolution: 'resolution',
  status_category: 'statusCategory',
};

export function countTool(deps: JiraToolDeps): Tool {
  const customNames = Object.keys(deps.settings.customFields);
  return {
    name: 'jira_count',
    description:
      'Count Jira issues matching a JQL, optionally broken down by a field. Exact counts, without fetching issues. Use it for every "how many" question.',
    parameters: {
      type: 'object',
      properties: {
        jql: { type: 'string', description: 'JQL of the issues to count.' },
        group_by: {
          type: 'string',
          description: `Optional field to break the count down by: status, assignee, reporter, priority, issue_type, fix_version, labels, components, resolution${customNames.length ? `, or a custom field: ${customNames.join(', ')}` : ''}.`,
        },
      },
      required: ['jql'],
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const jql = composeJql(deps.settings.baseJql, requireString(args, 'jql'));
      const groupBy = readString(args, 'group_by');
      if (!groupBy) return { jql, total: await callJira(api, () => countIssues(api, jql)) };
      const fieldId = GROUP_FIELDS[groupBy.toLowerCase().replace(/\s+/g, '_')] ?? resolveField(deps.settings, groupBy);
      const { total, counts } = await callJira(api, () => countByField(api, jql, fieldId));
      return { jql, total, group_by: groupBy, counts };
    },
  };
}
