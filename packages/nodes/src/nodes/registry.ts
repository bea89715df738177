import type { NodeDefinition } from '../define.ts';
import { abSplitNode } from './ab-split.ts';
import { answerFromKnowledgeNode } from './answer-from-knowledge.ts';
import { askQuestionNode } from './ask-question.ts';
import { classifyIntentNode } from './classify-intent.ts';
import { closeNode } from './close.ts';
import { conditionNode } from './condition.ts';
import { delayNode } from './delay.ts';
import { detectLanguageNode } from './detect-language.ts';
import { emotionNode } from './emotion.ts';
import { handoffNode } from './handoff.ts';
import { httpRequestNode } from './http-request.ts';
import { jumpNode } from './jump.ts';
import { llmAnswerNode } from './llm-answer.ts';
import { sendMessageNode } from './send-message.ts';
import { sensitiveWordsNode } from './sensitive-words.ts';
import { setNode } from './set.ts';
import { startNode } from './start.ts';
import { translateNode } from './translate.ts';

export type NodeRegistry = ReadonlyMap<string, NodeDefinition>;

export function createRegistry(definitions: readonly NodeDefinition[]): NodeRegistry {
  const map = new Map<string, NodeDefinition>();
  for (const d of definitions) {
    if (map.has(d.type)) throw new Error(`node type "${d.type}" is declared twice`);
    map.set(d.type, d);
  }
  return map;
}

export const coreNodes: readonly NodeDefinition[] = [
  startNode,
  conditionNode,
  abSplitNode,
  sendMessageNode,
  askQuestionNode,
  setNode,
  httpRequestNode,
  delayNode,
  handoffNode,
  closeNode,
  jumpNode,
  detectLanguageNode,
  classifyIntentNode,
  emotionNode,
  translateNode,
  answerFromKnowledgeNode,
  llmAnswerNode,
  sensitiveWordsNode,
];

export const defaultRegistry: NodeRegistry = createRegistry(coreNodes);
