import type { LoadedAgent } from '../../config/definitions.ts';
import { AgentLLMError } from '../../errors.ts';
import type { ModelObject } from '../../openai/wire-types.ts';
import type { Registry, RegistrySnapshot } from '../../registry/registry.ts';
import type { AppContext } from '../state.ts';

/** GET /v1/models: every loaded agent as a model, sorted by id (stable across reloads). */
export function createListModels(registry: Registry): (ctx: AppContext) => void {
  return (ctx) => {
    const snapshot = registry.current();
    const agents = [...snapshot.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    ctx.body = { object: 'list', data: agents.map((agent) => toModelObject(agent, snapshot)) };
  };
}

/** GET /v1/models/:id: one agent, or a 404 listing the available ones. */
export function createGetModel(registry: Registry): (ctx: AppContext) => void {
  return (ctx) => {
    const snapshot = registry.current();
    const id = String((ctx as AppContext & { params: Record<string, string> }).params.id ?? '');
    ctx.body = toModelObject(findAgent(snapshot, id, null), snapshot);
  };
}

/** The agent named `model`, or a 404 whose message lists the available models. */
export function findAgent(snapshot: RegistrySnapshot, model: string, param: string | null = 'model'): LoadedAgent {
  const agent = snapshot.agents.get(model);
  if (agent) return agent;
  const available = [...snapshot.agents.keys()].sort();
  const list = available.length > 0 ? available.join(', ') : '(none loaded)';
  return throwNotFound(`The model '${model}' does not exist. Available models: ${list}`, param);
}

function throwNotFound(message: string, param: string | null): never {
  throw new AgentLLMError(message, { status: 404, param, code: 'model_not_found' });
}

/** `created` is when an agent of that name was first served (unix seconds), the same across reloads and edits. */
function toModelObject(agent: LoadedAgent, snapshot: RegistrySnapshot): ModelObject {
  return {
    id: agent.name,
    object: 'model',
    created: Math.floor((agent.loadedAt ?? snapshot.loadedAt).getTime() / 1000),
    owned_by: 'agentllm',
    name: agent.name,
    description: agent.description,
  };
}
