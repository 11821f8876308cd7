import type { Tool } from 'agentllm/toolkit';
import { toPlainText } from './adf.ts';
import { callJira } from './jira-api.ts';
import type { RawIssue } from './jira-api.ts';
import { SUMMARY_FIELDS, dropEmpty, issueUrl, pullRequestLinks, simplifyValue, truncate } from './issue-format.ts';
import { isRecord } from './settings.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { requireString } from './tool-deps.ts';

const DETAIL_FIELDS = ['reporter', 'labels', 'components', 'description', 'created', 'updated', 'resolution', 'parent', 'comment', 'issuelinks'];
const MAX_COMMENTS = 10;

export function getIssueTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_get_issue',
    description:
      'Get one Jira issue by key: summary, status, people, fix versions, description, the latest comments, linked issues, linked pull requests and configured custom fields.',
    parameters: {
      type: 'object',
      properties: { key: { type: 'string', description: 'Issue key, e.g. ABC-123.' } },
      required: ['key'],
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const key = requireString(args, 'key').toUpperCase();
      const custom = deps.settings.customFields;
      const fields = [...SUMMARY_FIELDS, ...DETAIL_FIELDS, ...Object.values(custom)];
      const [issue, links] = await Promise.all([
        callJira(api, () => api.getIssue(key, fields)),
        callJira(api, () => api.remoteLinks(key)),
      ]);
      return dropEmpty({
        ...describeIssue(issue, api.host),
        custom_fields: dropEmptyObject(Object.fromEntries(Object.entries(custom).map(([name, id]) => [name, simplifyValue(issue.fields[id])]))),
        pull_requests: emptyToUndefined(pullRequestLinks(links)),
      });
    },
  };
}

function describeIssue(issue: RawIssue, host: string): Record<string, unknown> {
  const f = issue.fields ?? {};
  return {
    key: issue.key,
    url: issueUrl(host, issue.key),
    summary: f.summary,
    status: simplifyValue(f.status),
    type: simplifyValue(f.issuetype),
    priority: simplifyValue(f.priority),
    assignee: simplifyValue(f.assignee),
    reporter: simplifyValue(f.reporter),
    fix_versions: simplifyValue(f.fixVersions),
    labels: simplifyValue(f.labels),
    components: simplifyValue(f.components),
    resolution: simplifyValue(f.resolution),
    parent: isRecord(f.parent) ? f.parent.key : undefined,
    created: f.created,
    updated: f.updated,
    description: truncate(toPlainText(f.description), 2000) || undefined,
    comments: emptyToUndefined(readComments(f.comment)),
    linked_issues: emptyToUndefined(readIssueLinks(f.issuelinks)),
  };
}

function readComments(value: unknown): Array<Record<string, unknown>> {
  const comments = isRecord(value) && Array.isArray(value.comments) ? value.comments : [];
  return comments.slice(-MAX_COMMENTS).map((comment: Record<string, unknown>) => ({
    author: simplifyValue(comment.author),
    created: comment.created,
    body: truncate(toPlainText(comment.body), 600),
  }));
}

function readIssueLinks(value: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(value)) return [];
  return value.map((link: Record<string, unknown>) => {
    const type = isRecord(link.type) ? link.type : {};
    const outward = isRecord(link.outwardIssue);
    const other = (outward ? link.outwardIssue : link.inwardIssue) as Record<string, unknown> | undefined;
    const otherFields = isRecord(other?.fields) ? other.fields : {};
    return dropEmpty({
      relation: outward ? type.outward : type.inward,
      key: other?.key,
      summary: otherFields.summary,
      status: simplifyValue(otherFields.status),
    });
  });
}

function emptyToUndefined<T>(items: T[]): T[] | undefined {
  return items.length ? items : undefined;
}

function dropEmptyObject(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = dropEmpty(record);
  return Object.keys(kept).length ? kept : undefined;
}
