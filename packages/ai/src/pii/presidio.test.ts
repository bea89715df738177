import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePii } from '../../eval/pii.ts';

const datasets = fileURLToPath(new URL('../../../../../shared/datasets', import.meta.url));

describe('PII detection on the presidio-research synthetic dev set', () => {
  it('reaches recall >= 95% and precision >= 90% on emails, phones, cards, IBANs and IPs', async () => {
    const report = await evaluatePii(datasets);
    for (const entity of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'IP_ADDRESS']) {
      const score = report.entities[entity];
      expect(score?.gold, entity).toBeGreaterThan(0);
      expect(score?.recall, entity).toBeGreaterThanOrEqual(0.95);
      expect(score?.precision, entity).toBeGreaterThanOrEqual(0.9);
    }
  });
});
