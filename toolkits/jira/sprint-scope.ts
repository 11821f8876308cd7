import type { JiraApi, RawIssue } from './jira-api.ts';
import { isRecord } from './settings.ts';

/** Field names Jira gives the story points field: company-managed ("Story Points") and team-managed ("Story point estimate"). */
const STORY_POINT_NAMES = ['story points', 'story point estimate'];

/**
 * The story points field: `custom_fields.story_points` when configured, else the field named
 * "Story Points" / "Story point estimate" in the site's field list (GET /rest/api/N/field), else none.
 */
export async function findStoryPointsField(api: JiraApi, configured: string | undefined): Promise<string | undefined> {
  if (configured) return configured;
  const fields = await api.listFields();
  for (const name of STORY_POINT_NAMES) {
    const found = fields.find((field) => field.name?.toLowerCase() === name && (field.schema?.type ?? 'number') === 'number');
    if (found?.id) return found.id;
  }
  return undefined;
}

/**
 * True when the issue entered the sprint after it started: its changelog (expand=changelog) has a
 * Sprint change adding this sprint after `start`, or, without one, the issue was created after
 * `start` (an issue created straight into the sprint has no Sprint change).
 */
export function addedAfterStart(issue: RawIssue & { changelog?: unknown }, sprintId: number, start: number): boolean {
  const added = lastAddedAt(issue.changelog, String(sprintId));
  if (added !== undefined) return added > start;
  const created = Date.parse(String(issue.fields.created ?? ''));
  return Number.isFinite(created) && created > start;
}

function lastAddedAt(changelog: unknown, sprintId: string): number | undefined {
  const histories = isRecord(changelog) && Array.isArray(changelog.histories) ? changelog.histories : [];
  let latest: number | undefined;
  for (const history of histories) {
    if (!isRecord(history) || !Array.isArray(history.items)) continue;
    const at = Date.parse(String(history.created ?? ''));
    const adds = history.items.some((item) => isRecord(item) && String(item.field).toLowerCase() === 'sprint' && ids(item.to).includes(sprintId) && !ids(item.from).includes(sprintId));
    if (adds && Number.isFinite(at) && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/** Sprint ids of a changelog value: "6, 7" -> ['6', '7']. */
function ids(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : [];
}
