import { describe, expect, it } from 'vitest';
import type { Emotion, EmotionGuess } from '../ai.ts';
import { converse, flow, message, sentTexts } from '../interpreter/testing.ts';

function emotionFlow(data: Record<string, unknown> = {}) {
  return flow(
    {
      start: { type: 'start' },
      feel: { type: 'emotion', data: { saveAs: 'mood', ...data } },
      angry: { type: 'handoff', data: { team: 'care', priority: 'high', note: 'angry customer ({{mood}})' } },
      calm: { type: 'send-message', data: { text: 'How can I help? ({{mood}})' } },
    },
    ['start -> feel', 'feel.anger -> angry', 'feel.other -> calm'],
  );
}

const feeling = (emotion: Emotion, confidence: number) => ({ detectEmotion: async (): Promise<EmotionGuess> => ({ emotion, confidence }) });

describe('detect emotion', () => {
  it('hands an angry customer to people, by the anger port', async () => {
    const result = await converse(emotionFlow(), { ai: feeling('anger', 0.8) }).send(message('This is the third time my order is late!!'));
    expect(result.effects).toContainEqual({ type: 'handoff', team: 'care', priority: 'high', note: 'angry customer (anger)' });
  });

  it('takes "Other" for an emotion without its own output, and for one below the confidence', async () => {
    expect(sentTexts(await converse(emotionFlow(), { ai: feeling('joy', 0.9) }).send(message('love it')))).toEqual(['How can I help? (joy)']);
    expect(sentTexts(await converse(emotionFlow({ minConfidence: 0.6 }), { ai: feeling('anger', 0.55) }).send(message('hmm')))).toEqual(['How can I help? (anger)']);
  });
});
