/**
 * LLM-as-judge calls go through the same model runner as generation: per-endpoint limits shared by all
 * workers, Retry-After, error classification, cost. The judge's endpoint is `config.endpoint_id` of the
 * guardrail (a project endpoint, e.g. a stronger model), else the run's own endpoint.
 */
import { z } from 'zod';
import { EvalRun, LlmEndpoint } from '../../db/entities/index.js';
import type { ChatCaller } from '../../judges/llm/chat-caller.js';
import { JudgeConfigError } from '../../judges/settings.js';
import type { ActivityDeps } from '../deps.js';
import { createModelRunner, type ModelRunnerOptions } from '../generation/model-runner.js';
import type { JudgeChatCallerFactory } from './run-judge-batch.js';

const endpointRef = z.object({ endpoint_id: z.uuid().optional() });

export function makeJudgeChatCaller(
  deps: ActivityDeps,
  options: ModelRunnerOptions = {},
): JudgeChatCallerFactory {
  return async ({ projectId, runId, config }) => {
    const parsed = endpointRef.safeParse(config);
    if (!parsed.success)
      throw new JudgeConfigError('llm_judge config.endpoint_id must be an endpoint id (uuid)');
    const endpointId =
      parsed.data.endpoint_id ??
      (await deps.dataSource.getRepository(EvalRun).findOneByOrFail({ id: runId })).endpoint_id;
    const endpoint = await deps.dataSource.getRepository(LlmEndpoint).findOneBy({ id: endpointId });
    if (!endpoint || endpoint.project_id !== projectId) {
      throw new JudgeConfigError(`llm_judge endpoint ${endpointId} is not an endpoint of this project`);
    }
    const runner = createModelRunner(deps, endpoint, options);
    const caller: ChatCaller = {
      model: endpoint.model_name,
      // Sampling parameters come from the judge endpoint's config (set temperature 0 there). The verdict's
      // response format and the logprobs request go through: OpenAI-protocol endpoints send them (so scores
      // are probability-weighted, G-Eval), Anthropic ones ignore them.
      async call(messages, callOptions = {}) {
        const prompt = {
          system: messages.find((m) => m.role === 'system')?.content ?? null,
          input: messages
            .filter((m) => m.role !== 'system')
            .map((m) => m.content)
            .join('\n\n'),
        };
        const outcome = await runner.call(prompt, callOptions.signal, {
          responseFormat: callOptions.responseFormat,
          logprobs: callOptions.logprobs,
        });
        if (outcome.status !== 'succeeded') throw new Error(outcome.error ?? 'judge call cancelled');
        return {
          text: outcome.output,
          inputTokens: outcome.inputTokens,
          outputTokens: outcome.outputTokens,
          finishReason: outcome.finishReason,
          costUsd: runner.costOf(outcome, prompt),
          logprobs: outcome.logprobs ?? null,
        };
      },
    };
    return caller;
  };
}
