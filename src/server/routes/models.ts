import type { LoadedAgent } from '../../config/definitions.ts';
import { AgentLLMError } from '../../errors.ts';
import type { ModelObject } from '../../openai/wire-types.ts';
import type { Registry, RegistrySnapshot } from '../../registry/registry.ts';
import type { AppContext } from '../state.ts';

/** GET /v1/models: every loaded agent as a model. */
export function createListModels(registry: Registry): (ctx: AppContext) => void {
  return (ctx) => {
    const snapshot = registry.current();
    ctx.body = { object: 'list', data: [...snapshot.agents.values()].map((agent) => toModelObject(agent, snapshot)) };
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

/** `created` is the load time of the snapshot that holds the agent (unix seconds). */
function toModelObject(agent: LoadedAgent, snapshot: RegistrySnapshot): ModelObject {
  return {
    id: agent.name,
    object: 'model',
    created: Math.floor(snapshot.loadedAt.getTime() / 1000),
    owned_by: 'agentllm',
    name: agent.name,
    description: agent.description,
  };
}
