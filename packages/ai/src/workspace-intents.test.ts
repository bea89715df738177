import { describe, expect, it } from 'vitest';
import { USE_LITE_ID } from './encoder/index.ts';
import { ENCODER_INTENT_THRESHOLD, serializeIntentModel } from './intents/index.ts';
import { IntentTrainer, trainIntentSet, WorkspaceIntents, type IntentModelStore } from './workspace-intents.ts';

const EXCHANGE = {
  name: 'size_exchange',
  phrases: ['Quiero cambiar la talla', 'Me queda pequeño, ¿puedo cambiarlo?', 'Necesito una talla más grande', 'Cambio de talla por favor'],
};
const GREETING = { name: 'greeting', phrases: ['Hola', 'Buenos días', 'Hola, buenas tardes', 'Qué tal'] };

/** An in-memory store with IntentRepository's revision rule, counting what it is asked. */
function memoryStore(intents: { name: string; phrases: string[] }[] | null) {
  const state = {
    intents,
    revision: 1,
    trainedRevision: null as number | null,
    model: null as unknown,
    status: 'training',
    error: null as string | null,
    reads: { state: 0, model: 0, set: 0 },
  };
  const store: IntentModelStore = {
    modelState: async () => {
      state.reads.state++;
      return state.intents ? { revision: state.revision, trainedRevision: state.trainedRevision } : null;
    },
    storedModel: async () => {
      state.reads.model++;
      return state.trainedRevision === null ? null : { trainedRevision: state.trainedRevision, model: state.model };
    },
    trainingSet: async () => {
      state.reads.set++;
      return state.intents ? { revision: state.revision, intents: structuredClone(state.intents) } : null;
    },
    saveTrained: async (_w, revision, model) => {
      if (revision !== state.revision) return false;
      Object.assign(state, { model: JSON.parse(JSON.stringify(model)), trainedRevision: revision, status: 'ready', error: null });
      return true;
    },
    saveFailed: async (_w, revision, error) => {
      if (revision !== state.revision) return false;
      Object.assign(state, { status: 'failed', error });
      return true;
    },
  };
  const change = (next: { name: string; phrases: string[] }[]) => {
    state.intents = next;
    state.revision++;
    state.status = 'training';
  };
  return { store, state, change };
}

describe('a workspace’s own intents', () => {
  it('says in words why a set cannot be trained', async () => {
    expect(await trainIntentSet([EXCHANGE])).toEqual({ ok: false, error: 'an intent set needs at least two intents' });
    expect(await trainIntentSet([EXCHANGE, { name: 'empty', phrases: [] }])).toEqual({ ok: false, error: 'intent "empty": an intent needs at least one training phrase' });
    const ok = await trainIntentSet([EXCHANGE, GREETING]);
    expect(ok.ok && ok.counts).toEqual({ intents: 2, phrases: 8 });
    // Spanish: the (English) sentence encoder reads none of it, so n-grams alone.
    expect(ok.ok && ok.model.encoder).toBeNull();
  });

  it('trains an English workspace with the sentence encoder, and retrains a stored model whose encoder is not here', async () => {
    const english = [
      { name: 'lost_card', phrases: ['I lost my card', 'my card was stolen', 'I cannot find my bank card', 'someone took my wallet with my card'] },
      { name: 'delivery', phrases: ['where is my order', 'my parcel has not arrived', 'when will my package come', 'track my shipment'] },
    ];
    const training = await trainIntentSet(english);
    if (!training.ok) throw new Error(training.error);
    expect(training.model.encoder?.id).toBe(USE_LITE_ID);
    const serialized = serializeIntentModel(training.model);
    expect(serialized.dense).toMatchObject({ encoder: USE_LITE_ID, dimensions: 512 });

    const { store, state } = memoryStore(english);
    Object.assign(state, { status: 'ready', trainedRevision: 1, model: { ...serialized, dense: { ...serialized.dense, encoder: 'gone-encoder@1' } } });
    const unreadable: string[] = [];
    const source = new WorkspaceIntents(store, { onUnreadable: (_w, error) => unreadable.push(error) }).source('w');
    const match = await source.classify('my wallet got stolen', {});
    expect(match.intent).toBe('lost_card');
    expect(match.threshold).toBe(ENCODER_INTENT_THRESHOLD);
    expect(unreadable).toEqual(['the model was trained with the sentence encoder gone-encoder@1, which this process does not have']);
  });

  it('trains in the background, and a change during a run supersedes it', async () => {
    const { store, state, change } = memoryStore([EXCHANGE, GREETING]);
    const outcomes: string[] = [];
    const trainer = new IntentTrainer(store, { onOutcome: (_w, outcome) => outcomes.push(outcome) });
    trainer.schedule('w');
    expect(trainer.isTraining('w')).toBe(true);
    expect(state.status).toBe('training');
    await trainer.settled('w');
    expect(state).toMatchObject({ status: 'ready', trainedRevision: 1 });

    // Overtaken: the run reads revision 1, the change to 2 lands before it stores; the queued rerun trains 2.
    const slow = memoryStore([EXCHANGE, GREETING]);
    const racing: IntentModelStore = {
      ...slow.store,
      saveTrained: async (w, revision, model, counts) => {
        if (slow.state.revision === 1) slow.change([EXCHANGE, GREETING, { name: 'bye', phrases: ['Adiós', 'Hasta luego'] }]);
        return slow.store.saveTrained(w, revision, model, counts);
      },
    };
    const second = new IntentTrainer(racing, { onOutcome: (_w, outcome) => outcomes.push(outcome) });
    second.schedule('w');
    second.schedule('w');
    await second.settled('w');
    expect(outcomes).toEqual(['ready', 'superseded', 'ready']);
    expect(slow.state).toMatchObject({ status: 'ready', trainedRevision: 2 });

    change([EXCHANGE]);
    trainer.schedule('w');
    await trainer.settled('w');
    expect(state).toMatchObject({ status: 'failed', error: 'an intent set needs at least two intents', trainedRevision: 1 });
  });

  it('classifies with the stored model, refreshes on a new revision, and falls back when it cannot read one', async () => {
    const { store, state, change } = memoryStore([EXCHANGE, GREETING]);
    let now = 0;
    const unreadable: string[] = [];
    const intents = new WorkspaceIntents(store, { ttlMs: 1000, now: () => now, onUnreadable: (_w, error) => unreadable.push(error) });
    const source = intents.source('w');

    // Not trained yet: trained here from the phrases.
    expect((await source.classify('Quiero cambiar la talla de mis zapatos', {})).intent).toBe('size_exchange');
    expect(state.reads).toEqual({ state: 1, model: 0, set: 1 });
    await source.classify('Hola', {});
    expect(state.reads.state).toBe(1);

    await new IntentTrainer(store).trainOnce('w');
    now += 1500;
    await source.classify('Hola', {});
    // Same revision (the trainer read the phrases once more): nothing reloaded.
    expect(state.reads).toEqual({ state: 2, model: 0, set: 2 });

    change([EXCHANGE, { name: 'saludo', phrases: GREETING.phrases }]);
    await new IntentTrainer(store).trainOnce('w');
    now += 1500;
    expect((await source.classify('Hola, buenos días', {})).intent).toBe('saludo');
    expect(state.reads).toEqual({ state: 3, model: 1, set: 3 });

    // A stored model this version cannot read is retrained from the phrases, not a crash.
    change([EXCHANGE, GREETING]);
    state.model = { format: 'from the future' };
    state.trainedRevision = state.revision;
    now += 1500;
    expect((await source.classify('Hola, buenos días', {})).intent).toBe('greeting');
    expect(unreadable).toHaveLength(1);

    // Intents that cannot be trained and no model: never sure.
    const lonely = memoryStore([EXCHANGE]);
    expect(await new WorkspaceIntents(lonely.store).source('w').classify('Quiero cambiar la talla', {})).toEqual({ intent: null, confidence: 0, runnersUp: [] });
  });

  it('uses the shipped default intents for a workspace with none stored', async () => {
    const { store } = memoryStore(null);
    expect((await new WorkspaceIntents(store).source('w').classify('Where is my order? It has not arrived yet', {})).intent).toBe('order_status');
  });
});
