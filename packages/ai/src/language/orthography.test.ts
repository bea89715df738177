import { describe, expect, it } from 'vitest';
import { orthographyFactor } from './orthography.ts';

const letters = (text: string) => new Set(text);

describe('orthographyFactor', () => {
  it('leaves a language alone for the letters it writes', () => {
    expect(orthographyFactor('uk', 'Cyrillic', letters('дякуюєї'))).toBe(1);
    expect(orthographyFactor('es', 'Latin', letters('mañana'))).toBe(1);
    expect(orthographyFactor('en', 'Latin', letters('order'))).toBe(1);
  });

  it('counts each letter a language never writes against it', () => {
    expect(orthographyFactor('ru', 'Cyrillic', letters('її'))).toBeLessThan(1);
    expect(orthographyFactor('ru', 'Cyrillic', letters('єї'))).toBeLessThan(orthographyFactor('ru', 'Cyrillic', letters('ї')));
    expect(orthographyFactor('uk', 'Cyrillic', letters('это'))).toBeLessThan(1);
    expect(orthographyFactor('pt', 'Latin', letters('ñ'))).toBeLessThan(1);
    expect(orthographyFactor('es', 'Latin', letters('não'))).toBeLessThan(1);
    expect(orthographyFactor('ar', 'Arabic', letters('گ'))).toBeLessThan(1);
  });

  it('keeps Persian written with Arabic yeh and kaf, as Arabic keyboards type it', () => {
    expect(orthographyFactor('fa', 'Arabic', letters('يك'))).toBe(1);
  });
});
