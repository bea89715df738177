import { describe, expect, it } from 'vitest';
import { classifyIntent, DEFAULT_INTENT_THRESHOLD, deserializeIntentModel, serializeIntentModel, trainIntents } from './model.ts';
import { intentSetSchema } from './schema.ts';

const intents = [
  { name: 'greet', phrases: ['hello there', 'hi', 'good morning', 'hey, how are you'] },
  { name: 'bye', phrases: ['goodbye', 'see you later', 'bye bye', 'talk to you tomorrow'] },
  { name: 'thanks', phrases: ['thank you', 'thanks a lot', 'many thanks', 'I appreciate it'] },
];

describe('intents', async () => {
  const model = await trainIntents(intents);

  it('names the intent when confident and null ("not sure") below the threshold', async () => {
    const sure = await classifyIntent(model, 'hello, good morning', { threshold: 0.3 });
    expect(sure.intent).toBe('greet');
    const strict = await classifyIntent(model, 'hello, good morning', { threshold: sure.confidence + 0.01 });
    expect(strict.intent).toBeNull();
    expect(strict.confidence).toBe(sure.confidence);
    expect(strict.threshold).toBe(sure.confidence + 0.01);
    expect((await classifyIntent(model, 'hello')).threshold).toBe(DEFAULT_INTENT_THRESHOLD);
  });

  it('lists runners-up most likely first, without the winner', async () => {
    const match = await classifyIntent(model, 'thanks, see you', { threshold: 0, runnersUp: 5 });
    expect(match.runnersUp).toHaveLength(2);
    expect(match.runnersUp.map((r) => r.intent)).not.toContain(match.intent);
    expect(match.runnersUp[0]!.confidence).toBeGreaterThanOrEqual(match.runnersUp[1]!.confidence);
    expect(match.confidence).toBeGreaterThanOrEqual(match.runnersUp[0]!.confidence);
  });

  it('survives serialization with the same answers', async () => {
    const restored = await deserializeIntentModel(JSON.parse(JSON.stringify(serializeIntentModel(model))));
    if (!restored.ok) throw new Error(restored.error);
    expect(await classifyIntent(restored.model, 'bye for now')).toEqual(await classifyIntent(model, 'bye for now'));
  });

  it('rejects an intent set with duplicate names, empty phrases or a single intent', () => {
    const duplicate = intentSetSchema.safeParse([...intents, { name: 'greet', phrases: ['yo'] }]);
    expect(duplicate.success).toBe(false);
    if (!duplicate.success) expect(duplicate.error.issues[0]?.path).toEqual([3, 'name']);
    expect(intentSetSchema.safeParse([{ name: 'a', phrases: ['x'] }, { name: 'b', phrases: ['  '] }]).success).toBe(false);
    expect(intentSetSchema.safeParse([intents[0]]).success).toBe(false);
    expect(intentSetSchema.safeParse(intents).success).toBe(true);
  });
});
