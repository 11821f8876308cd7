import type { LoadedAgent } from '../config/definitions.ts';
import type { GenerationSettings } from '../model/model-client.ts';

/** The agent's YAML model settings, overridden field by field by the request's. */
export function resolveSettings(agent: LoadedAgent, overrides: GenerationSettings): GenerationSettings {
  const model = agent.definition.model ?? {};
  const fromAgent: GenerationSettings = {
    temperature: model.temperature,
    maxTokens: model.max_tokens,
    topP: model.top_p,
    topK: model.top_k,
    stop: model.stop,
    seed: model.seed,
    presencePenalty: model.presence_penalty,
    frequencyPenalty: model.frequency_penalty,
    thinking: model.thinking && { budget: model.thinking.budget, includeThoughts: model.thinking.include_thoughts },
  };
  const merged: GenerationSettings = { ...fromAgent };
  for (const [key, value] of Object.entries(overrides) as [keyof GenerationSettings, unknown][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
