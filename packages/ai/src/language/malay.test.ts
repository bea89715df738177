import { describe, expect, it } from 'vitest';
import { malayVarietyEvidence } from './malay.ts';

const evidence = (text: string) => malayVarietyEvidence(text.toLowerCase().split(/\s+/).filter(Boolean));

describe('malayVarietyEvidence', () => {
  it('counts the spellings each variety keeps', () => {
    expect(evidence('kerana sahaja bahawa')).toEqual({ id: 0, ms: 3 });
    expect(evidence('karena saja bahwa')).toEqual({ id: 3, ms: 0 });
  });

  it('counts the words only one variety uses', () => {
    expect(evidence('wang kerajaan')).toEqual({ id: 0, ms: 2 });
    expect(evidence('uang pemerintah')).toEqual({ id: 2, ms: 0 });
  });

  it('reads -iti as Malay and -itas as Indonesian, but not native words ending so', () => {
    expect(evidence('universiti kualiti')).toEqual({ id: 0, ms: 2 });
    expect(evidence('universitas kualitas')).toEqual({ id: 2, ms: 0 });
    expect(evidence('teliti meneliti')).toEqual({ id: 0, ms: 0 });
  });

  it('sees through the clitics both attach', () => {
    expect(evidence('kualitinya')).toEqual({ id: 0, ms: 1 });
    expect(evidence('karenanya')).toEqual({ id: 1, ms: 0 });
  });

  it('counts nothing for words the two write alike', () => {
    expect(evidence('terima kasih dengan saya yang ini')).toEqual({ id: 0, ms: 0 });
  });
});
