import type { Tool } from '../../src/toolkit/plugin.ts';
import { countLabels, dropEmpty, issueUrl, simplifyValue } from './issue-format.ts';
import { callJira } from './jira-api.ts';
import type { JiraApi, RawIssue } from './jira-api.ts';
import { isRecord } from './settings.ts';
import type { JiraToolDeps } from './tool-deps.ts';
import { readString } from './tool-deps.ts';

interface Sprint {
  id: number;
  name: string;
  state?: string;
  startDate?: string;
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
      'Figures of a Jira sprint (the active one by default, or one by name or id): issues and story points in the sprint vs completed, counts by status, and the open issues.',
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
      const issues = await callJira(api, () => sprintIssues(api, sprint.id, deps));
      return summarizeSprint(sprint, issues, api.host, deps.settings.customFields.story_points);
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

async function sprintIssues(api: JiraApi, sprintId: number, deps: JiraToolDeps): Promise<RawIssue[]> {
  const pointsField = deps.settings.customFields.story_points;
  const fields = ['summary', 'status', 'assignee', 'issuetype', ...(pointsField ? [pointsField] : [])];
  const issues: RawIssue[] = [];
  for (let startAt = 0; ; startAt += PAGE) {
    const page = await api.agile.sprint.getIssuesForSprint({ sprintId, fields, startAt, maxResults: PAGE, jql: deps.settings.baseJql });
    const batch = (page.issues ?? []) as RawIssue[];
    issues.push(...batch);
    if (batch.length === 0 || issues.length >= (page.total ?? 0)) return issues;
  }
}

function summarizeSprint(sprint: Sprint, issues: RawIssue[], host: string, pointsField: string | undefined): Record<string, unknown> {
  const done = issues.filter(isDone);
  const points = (list: RawIssue[]) => (pointsField ? list.reduce((sum, issue) => sum + (Number(issue.fields[pointsField]) || 0), 0) : undefined);
  const byStatus: Record<string, number> = {};
  for (const issue of issues) for (const label of countLabels(issue.fields.status)) byStatus[label] = (byStatus[label] ?? 0) + 1;
  const open = issues.filter((issue) => !isDone(issue));
  return dropEmpty({
    sprint: dropEmpty({ id: sprint.id, name: sprint.name, state: sprint.state, start: sprint.startDate, end: sprint.endDate, completed: sprint.completeDate, goal: sprint.goal }),
    committed: dropEmpty({ issues: issues.length, points: points(issues) }),
    completed: dropEmpty({ issues: done.length, points: points(done) }),
    remaining: dropEmpty({ issues: open.length, points: points(open) }),
    by_status: byStatus,
    open_issues: open.slice(0, MAX_LISTED).map((issue) =>
      dropEmpty({ key: issue.key, url: issueUrl(host, issue.key), summary: issue.fields.summary, status: simplifyValue(issue.fields.status), assignee: simplifyValue(issue.fields.assignee) }),
    ),
    note: pointsField ? 'committed = issues currently in the sprint' : 'committed = issues currently in the sprint; no story_points custom field is configured',
  });
}

function isDone(issue: RawIssue): boolean {
  const status = issue.fields.status;
  return isRecord(status) && isRecord(status.statusCategory) && status.statusCategory.key === 'done';
}
