import type { Tool } from 'agentllm/toolkit';
import { issueUrl } from './issue-format.ts';
import { callJira } from './jira-api.ts';
import type { JiraApi } from './jira-api.ts';
import { isRecord, resolveField } from './settings.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { readString, readStrings, requireString, resolveProject } from './tool-deps.ts';

/** The writing tools the agent's config allows (config.allow.comment / create / update). */
export function buildWriteTools(deps: JiraToolDeps): Tool[] {
  const { allow } = deps.settings;
  return [allow.comment && addCommentTool(deps), allow.create && createIssueTool(deps), allow.update && updateIssueTool(deps)].filter(
    (tool): tool is Tool => Boolean(tool),
  );
}

function addCommentTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_add_comment',
    description: 'Add a comment to a Jira issue. Only when the user asked for it.',
    parameters: {
      type: 'object',
      properties: { key: { type: 'string', description: 'Issue key, e.g. ABC-123.' }, body: { type: 'string', description: 'Comment text (plain text).' } },
      required: ['key', 'body'],
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const key = requireString(args, 'key').toUpperCase();
      checkProject(deps, key.split('-')[0] ?? '', 'comment on');
      const comment = await callJira(api, () => api.addComment(key, requireString(args, 'body')));
      return { key, url: issueUrl(api.host, key), comment_id: comment.id };
    },
  };
}

function editableProperties(deps: JiraToolDeps): Record<string, unknown> {
  const names = Object.keys(deps.settings.customFields);
  return {
    summary: { type: 'string' },
    description: { type: 'string', description: 'Plain text.' },
    priority: { type: 'string', description: 'Priority name, e.g. High.' },
    labels: { type: 'array', items: { type: 'string' } },
    fix_versions: { type: 'array', items: { type: 'string' }, description: 'Fix version names.' },
    custom_fields: { type: 'object', description: `Custom field values by name${names.length ? ` (${names.join(', ')})` : ''} or field id.` },
  };
}

function createIssueTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_create_issue',
    description: 'Create a Jira issue. Only when the user asked for it; confirm the project and summary first.',
    parameters: {
      type: 'object',
      properties: {
        project: { type: 'string', description: 'Project key.' },
        issue_type: { type: 'string', description: 'Issue type name (default Task).' },
        ...editableProperties(deps),
      },
      required: ['summary'],
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const project = resolveProject(args, deps);
      checkProject(deps, project, 'create');
      const fields = {
        project: { key: project },
        issuetype: { name: readString(args, 'issue_type') ?? 'Task' },
        ...editedFields(args, deps, api),
      };
      const created = await callJira(api, () => api.createIssue(fields));
      return { key: created.key, url: created.key ? issueUrl(api.host, created.key) : undefined };
    },
  };
}

function updateIssueTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_update_issue',
    description: 'Update fields of a Jira issue (not its status). Only when the user asked for it.',
    parameters: { type: 'object', properties: { key: { type: 'string', description: 'Issue key.' }, ...editableProperties(deps) }, required: ['key'] },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const key = requireString(args, 'key').toUpperCase();
      checkProject(deps, key.split('-')[0] ?? '', 'update');
      const fields = editedFields(args, deps, api);
      if (!Object.keys(fields).length) throw new Error('Nothing to update: give at least one field.');
      await callJira(api, () => api.updateIssue(key, fields));
      return { key, url: issueUrl(api.host, key), updated: Object.keys(fields) };
    },
  };
}

/** Writing tools stay inside the agent's `project_keys`, when it lists any. */
function checkProject(deps: JiraToolDeps, project: string, verb: string): void {
  const allowed = deps.settings.projectKeys.map((key) => key.toUpperCase());
  if (allowed.length && !allowed.includes(project)) throw new Error(`This agent may only ${verb} issues in ${allowed.join(', ')}.`);
}

function editedFields(args: Record<string, unknown>, deps: JiraToolDeps, api: JiraApi): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const summary = readString(args, 'summary');
  if (summary) fields.summary = summary;
  const description = readString(args, 'description');
  if (description) fields.description = api.richText(description);
  const priority = readString(args, 'priority');
  if (priority) fields.priority = { name: priority };
  if (args.labels !== undefined) fields.labels = readStrings(args, 'labels');
  if (args.fix_versions !== undefined) fields.fixVersions = readStrings(args, 'fix_versions').map((name) => ({ name }));
  if (isRecord(args.custom_fields)) {
    for (const [name, value] of Object.entries(args.custom_fields)) fields[resolveField(deps.settings, name)] = value;
  }
  return fields;
}
