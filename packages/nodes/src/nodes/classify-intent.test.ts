import { describe, expect, it } from 'vitest';
import type { IntentGuess } from '../ai.ts';
import { converse, flow, message, path, sentTexts } from '../interpreter/testing.ts';
import { validateFlow } from '../validation/validate.ts';
import { renameIntentRoutes } from './classify-intent.ts';

function classifier(answers: Record<string, IntentGuess>) {
  const calls: { text: string; threshold: number | undefined }[] = [];
  return {
    calls,
    classifyIntent: async (text: string, options: { threshold?: number }): Promise<IntentGuess> => {
      calls.push({ text, threshold: options.threshold });
      return answers[text] ?? { intent: null, confidence: 0.1, runnersUp: [] };
    },
  };
}

function intentFlow(data: Record<string, unknown> = {}) {
  return flow(
    {
      start: { type: 'start' },
      classify: { type: 'classify-intent', data: { intents: ['order_status', 'returns_refunds'], saveConfidenceAs: 'score', ...data } },
      status: { type: 'send-message', data: { text: 'Let me look up your order ({{intent}}, {{score}})' } },
      refund: { type: 'send-message', data: { text: 'Refunds take 5 days' } },
      unsure: { type: 'send-message', data: { text: 'Could you say that differently? ({{intent}})' } },
      failed: { type: 'send-message', data: { text: 'Sorry: {{lastError}}' } },
    },
    ['start -> classify', 'classify.order_status -> status', 'classify.returns_refunds -> refund', 'classify.not_sure -> unsure', 'classify.error -> failed'],
  );
}

const guess = (intent: string | null, confidence: number): IntentGuess => ({ intent, confidence, runnersUp: [] });

describe('classify intent', () => {
  it('takes the port of the intent found, and saves the intent and its confidence', async () => {
    const ai = classifier({ 'where is my parcel': guess('order_status', 0.87654) });
    const result = await converse(intentFlow(), { ai }).send(message('where is my parcel'));
    expect(path(result)).toEqual(['start.next', 'classify.order_status', 'status.next']);
    expect(sentTexts(result)).toEqual(['Let me look up your order (order_status, 0.877)']);
  });

  it('takes "Not sure" when the classifier is not sure, and for an intent the node has no port for', async () => {
    const ai = classifier({ 'hmm': guess(null, 0.2), 'do you sell gift cards': guess('presale_question', 0.9) });
    const chat = converse(intentFlow(), { ai });
    expect(sentTexts(await chat.send(message('hmm')))).toEqual(['Could you say that differently? ()']);
    expect(sentTexts(await converse(intentFlow(), { ai }).send(message('do you sell gift cards')))).toEqual(['Could you say that differently? ()']);
  });

  it("passes its own threshold on, and none when it uses the classifier's", async () => {
    const ai = classifier({});
    await converse(intentFlow({ threshold: 0.7 }), { ai }).send(message('a'));
    await converse(intentFlow(), { ai }).send(message('b'));
    expect(ai.calls).toEqual([
      { text: 'a', threshold: 0.7 },
      { text: 'b', threshold: undefined },
    ]);
  });

  it('takes the error port when the classifier fails (a model still training, say)', async () => {
    const ai = { classifyIntent: () => Promise.reject(new Error('no intents are trained yet')) };
    const result = await converse(intentFlow(), { ai }).send(message('where is my parcel'));
    expect(sentTexts(result)).toEqual(['Sorry: intent classification failed: no intents are trained yet']);
  });

  it('refuses a list with a duplicate or the reserved "not_sure", naming the field', () => {
    const duplicate = validateFlow(intentFlow({ intents: ['order_status', 'order_status'] }));
    expect(duplicate.errors.map((e) => `${e.nodeId} ${e.field}`)).toContain('classify intents');
    const reserved = validateFlow(intentFlow({ intents: ['not_sure'] }));
    expect(reserved.errors.map((e) => `${e.nodeId} ${e.field}`)).toContain('classify intents.0');
  });
});

describe('renameIntentRoutes', () => {
  const routes = (document: ReturnType<typeof intentFlow>) =>
    document.edges.filter((e) => e.source === 'classify').map((e) => `${e.sourceHandle} -> ${e.target}`);
  const intentsOf = (document: ReturnType<typeof intentFlow>) => document.nodes.find((n) => n.id === 'classify')?.data.intents;

  it('moves the intent and the edge of its output to the new name, and the flow still validates', async () => {
    const { document, changed } = renameIntentRoutes(intentFlow(), 'order_status', 'where_is_my_order');
    expect(changed).toBe(true);
    expect(intentsOf(document)).toEqual(['where_is_my_order', 'returns_refunds']);
    expect(routes(document)).toEqual(['where_is_my_order -> status', 'returns_refunds -> refund', 'not_sure -> unsure', 'error -> failed']);
    expect(validateFlow(document).errors).toEqual([]);
    const ai = classifier({ 'where is it': guess('where_is_my_order', 0.9) });
    const result = await converse(document, { ai }).send(message('where is it'));
    expect(sentTexts(result)).toEqual(['Let me look up your order (where_is_my_order, 0.9)']);
  });

  it('leaves a flow that does not route on the intent as it is', () => {
    const original = intentFlow();
    const result = renameIntentRoutes(original, 'complaint', 'grievance');
    expect(result).toEqual({ document: original, changed: false });
  });

  it('merges into a name the node already routes on, keeping that output\'s own edge', () => {
    const { document } = renameIntentRoutes(intentFlow(), 'order_status', 'returns_refunds');
    expect(intentsOf(document)).toEqual(['returns_refunds']);
    expect(routes(document)).toEqual(['returns_refunds -> refund', 'not_sure -> unsure', 'error -> failed']);
    expect(validateFlow(document).errors).toEqual([]);
  });
});

