import type { Tool } from 'agentllm/toolkit';
import { countLabels, dropEmpty, issueUrl, simplifyValue } from './issue-format.ts';
import { callJira } from './jira-api.ts';
import type { JiraApi, RawIssue } from './jira-api.ts';
import { isRecord } from './settings.ts';
import { addedAfterStart, findStoryPointsField } from './sprint-scope.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { readString } from './tool-deps.ts';

interface Sprint {
  id: number;
  name: string;
  state?: string;
  startDate?: string;
  /** Jira Cloud: when the sprint was actually started. */
  activatedDate?: string;
  endDate?: string;
  completeDate?: string;
  goal?: string;
}

const PAGE = 100;
const MAX_LISTED = 25;

export function sprintTool(deps: JiraToolDeps): Tool {
  return {
    name: 'jira_sprint',
    description:
      'Figures of a Jira sprint (the active one by default, or one by name or id): issues and story points committed at the start, added after the start, completed and remaining, counts by status, and the open issues. Issues removed from the sprint are not visible.',
    parameters: {
      type: 'object',
      properties: {
        sprint: { type: 'string', description: '"active" (default), a sprint name (e.g. "Sprint 42") or a sprint id.' },
        board_id: { type: 'integer', description: 'Scrum board id (defaults to the configured board, or the project\'s first scrum board).' },
        project: { type: 'string', description: 'Project key used to find the board when no board id is known.' },
      },
    },
    async handler(args, context) {
      const api = await deps.connect(context.signal);
      const wanted = readString(args, 'sprint') ?? 'active';
      const sprint = /^\d+$/.test(wanted)
        ? await callJira(api, () => api.agile.sprint.getSprint({ sprintId: Number(wanted) })) as Sprint
        : await findSprint(api, await resolveBoard(api, args, deps), wanted);
      const pointsField = await callJira(api, () => findStoryPointsField(api, deps.settings.customFields.story_points));
      const issues = await callJira(api, () => sprintIssues(api, sprint.id, deps, pointsField));
      return summarizeSprint(sprint, issues, api.host, pointsField);
    },
  };
}

async function resolveBoard(api: JiraApi, args: Record<string, unknown>, deps: JiraToolDeps): Promise<number> {
  const given = Number(args.board_id ?? deps.settings.boardId);
  if (Number.isInteger(given) && given > 0) return given;
  const project = readString(args, 'project') ?? deps.settings.projectKeys[0];
  if (!project) throw new Error('Give a board_id or a project key to find the sprint\'s board.');
  const boards = await callJira(api, () => api.agile.board.getAllBoards({ projectKeyOrId: project, type: 'scrum' }));
  const board = boards.values?.[0];
  if (!board?.id) throw new Error(`Project ${project} has no scrum board.`);
  return board.id;
}

async function findSprint(api: JiraApi, boardId: number, wanted: string): Promise<Sprint> {
  const active = wanted.toLowerCase() === 'active';
  const sprints = await callJira(api, () => listSprints(api, boardId, active ? 'active' : 'active,closed,future'));
  const name = wanted.toLowerCase();
  const found = active
    ? sprints[0]
    : (sprints.find((sprint) => sprint.name.toLowerCase() === name) ?? sprints.find((sprint) => sprint.name.toLowerCase().includes(name)));
  if (found) return found;
  if (active) throw new Error(`Board ${boardId} has no active sprint.`);
  throw new Error(`Board ${boardId} has no sprint named "${wanted}". Recent sprints: ${sprints.slice(-10).map((s) => s.name).join(', ')}.`);
}

async function listSprints(api: JiraApi, boardId: number, state: string): Promise<Sprint[]> {
  const sprints: Sprint[] = [];
  for (let startAt = 0; ; startAt += PAGE) {
    const page = await api.agile.board.getAllSprints({ boardId, state, startAt, maxResults: PAGE });
    sprints.push(...((page.values ?? []) as Sprint[]));
    if (page.isLast !== false || (page.values ?? []).length === 0) return sprints;
  }
}

async function sprintIssues(api: JiraApi, sprintId: number, deps: JiraToolDeps, pointsField: string | undefined): Promise<RawIssue[]> {
  const fields = ['summary', 'status', 'assignee', 'issuetype', 'created', ...(pointsField ? [pointsField] : [])];
  const issues: RawIssue[] = [];
  for (let startAt = 0; ; startAt += PAGE) {
    const page = await api.agile.sprint.getIssuesForSprint({ sprintId, fields, startAt, maxResults: PAGE, jql: deps.settings.baseJql, expand: 'changelog' });
    const batch = (page.issues ?? []) as RawIssue[];
    issues.push(...batch);
    if (batch.length === 0 || issues.length >= (page.total ?? 0)) return issues;
  }
}

function summarizeSprint(sprint: Sprint, issues: RawIssue[], host: string, pointsField: string | undefined): Record<string, unknown> {
  const points = (list: RawIssue[]) => (pointsField ? list.reduce((sum, issue) => sum + (Number(issue.fields[pointsField]) || 0), 0) : undefined);
  const figures = (list: RawIssue[]) => dropEmpty({ issues: list.length, points: points(list) });
  const start = Date.parse(sprint.activatedDate ?? sprint.startDate ?? '');
  const added = Number.isFinite(start) ? issues.filter((issue) => addedAfterStart(issue, sprint.id, start)) : [];
  const done = issues.filter(isDone);
  const open = issues.filter((issue) => !isDone(issue));
  const byStatus: Record<string, number> = {};
  for (const issue of issues) for (const label of countLabels(issue.fields.status)) byStatus[label] = (byStatus[label] ?? 0) + 1;
  const brief = (issue: RawIssue) =>
    dropEmpty({ key: issue.key, url: issueUrl(host, issue.key), summary: issue.fields.summary, status: simplifyValue(issue.fields.status), assignee: simplifyValue(issue.fields.assignee), points: pointsField ? issue.fields[pointsField] : undefined });
  return dropEmpty({
    sprint: dropEmpty({ id: sprint.id, name: sprint.name, state: sprint.state, start: sprint.activatedDate ?? sprint.startDate, end: sprint.endDate, completed: sprint.completeDate, goal: sprint.goal }),
    committed: figures(issues.filter((issue) => !added.includes(issue))),
    added_after_start: { ...figures(added), issues_added: added.map(brief) },
    in_sprint_now: figures(issues),
    completed: figures(done),
    remaining: figures(open),
    completion_rate: issues.length ? `${Math.round((done.length / issues.length) * 100)}%` : undefined,
    by_status: byStatus,
    open_issues: open.slice(0, MAX_LISTED).map(brief),
    story_points_field: pointsField,
    note: [
      'committed = in the sprint at its start (issues in it now minus those added later); issues removed from the sprint are not visible through the Jira API.',
      pointsField ? undefined : 'No story points field was found (set custom_fields.story_points in the agent config).',
    ].filter(Boolean).join(' '),
  });
}

function isDone(issue: RawIssue): boolean {
  const status = issue.fields.status;
  return isRecord(status) && isRecord(status.statusCategory) && status.statusCategory.key === 'done';
}
