import type { Tool } from 'agentllm/toolkit';
import { countByField } from './counting.ts';
import { callJira } from './jira-api.ts';
import { SUMMARY_FIELDS, dropEmpty, summarizeIssue, truncate } from './issue-format.ts';
import { composeJql, quoteJql } from './settings.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { readLimit, readString, requireString, resolveProject } from './tool-deps.ts';

const projectParameter = { type: 'string', description: 'Project key, e.g. ABC (defaults to the agent\'s first configured project).' };

export function fixVersionsTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_fix_versions',
    description: 'List a Jira project\'s versions (fix versions / releases): name, released or not, start and release dates.',
    parameters: {
      type: 'object',
      properties: {
        project: projectParameter,
        state: { type: 'string', enum: ['all', 'released', 'unreleased'], description: 'Which versions (default all).' },
        limit: { type: 'integer', minimum: 1, maximum: 200, description: 'At most this many, the most recent last (default 50).' },
      },
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const project = resolveProject(args, deps);
      const state = readString(args, 'state') ?? 'all';
      const versions = await callJira(api, () => api.projectVersions(project));
      const wanted = versions.filter((version) => state === 'all' || Boolean(version.released) === (state === 'released'));
      const shown = wanted.slice(-readLimit(args, 50, 200));
      return { project, total: wanted.length, versions: shown.map(describeVersion) };
    },
  };
}

function describeVersion(version: Record<string, unknown>): Record<string, unknown> {
  return dropEmpty({
    name: version.name,
    id: version.id,
    released: Boolean(version.released),
    archived: version.archived ? true : undefined,
    overdue: version.overdue ? true : undefined,
    start_date: version.startDate,
    release_date: version.releaseDate,
    description: typeof version.description === 'string' ? truncate(version.description, 200) : undefined,
  });
}

export function versionIssuesTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_version_issues',
    description: 'Issues of one fix version of a project, with exact counts by status and the version\'s release state.',
    parameters: {
      type: 'object',
      properties: {
        project: projectParameter,
        version: { type: 'string', description: 'Version name, e.g. 2.4.0.' },
        limit: { type: 'integer', minimum: 1, maximum: 100, description: `Issues to list (default ${deps.settings.maxResults}).` },
      },
      required: ['version'],
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const project = resolveProject(args, deps);
      const name = requireString(args, 'version');
      const versions = await callJira(api, () => api.projectVersions(project));
      const version = versions.find((candidate) => String(candidate.name).toLowerCase() === name.toLowerCase());
      if (!version) throw new Error(`Project ${project} has no version "${name}". Known versions: ${versions.map((v) => v.name).slice(-20).join(', ')}.`);
      const jql = composeJql(deps.settings.baseJql, `project = ${quoteJql(project)} AND fixVersion = ${quoteJql(String(version.name))} ORDER BY status ASC, key ASC`);
      const { total, counts } = await callJira(api, () => countByField(api, jql, 'status'));
      const page = await callJira(api, () => api.searchPage({ jql, fields: SUMMARY_FIELDS, limit: readLimit(args, deps.settings.maxResults, 100) }));
      return {
        version: describeVersion(version),
        jql,
        total,
        by_status: counts,
        issues: page.issues.map((issue) => summarizeIssue(issue, api.host, [], deps.settings)),
        ...(page.issues.length < total ? { more: `${total - page.issues.length} more: use jira_search with this jql.` } : {}),
      };
    },
  };
}
