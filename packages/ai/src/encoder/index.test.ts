import { describe, expect, it } from 'vitest';
import { defaultIntents } from '../intents/default-intents.ts';
import { chooseIntentEncoder, USE_LITE_ID } from './index.ts';

describe('chooseIntentEncoder', () => {
  it('picks the English sentence encoder for mostly English phrases', async () => {
    const english = ['where is my order', 'my parcel has not arrived', 'I want a refund', 'hola, ¿dónde está mi pedido?'];
    expect((await chooseIntentEncoder(english))?.id).toBe(USE_LITE_ID);
  });

  it('keeps the eight-language default intents, other languages and an empty set on n-grams alone', async () => {
    expect(await chooseIntentEncoder(defaultIntents.flatMap((i) => i.phrases))).toBeNull();
    expect(await chooseIntentEncoder(['¿Dónde está mi pedido?', 'Quiero devolver los zapatos', 'where is my order'])).toBeNull();
    expect(await chooseIntentEncoder(['我的快递到哪了', '我要退货'])).toBeNull();
    expect(await chooseIntentEncoder([])).toBeNull();
  });
});
