import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPii, maskPiiDeep, type PiiMaskOptions } from '@signalbox/ai';

/**
 * Customers' personal data never reaches the logs: emails, phone numbers, card numbers, IBANs and SSNs in a
 * log line's fields and message are masked (`[EMAIL]`, `[PHONE]` …). IP addresses and URLs are kept: the
 * runner logs its own listen and database addresses, and operators need them.
 */
export const LOG_MASK: PiiMaskOptions = { types: ['email', 'phone', 'credit_card', 'iban', 'us_ssn'] };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    formatters: { log: (fields: Record<string, unknown>) => maskPiiDeep(fields, LOG_MASK) },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger['info']>, method: (...a: Parameters<Logger['info']>) => void) {
        method.apply(this, args.map((arg: unknown) => (typeof arg === 'string' ? maskPii(arg, LOG_MASK) : arg)) as Parameters<Logger['info']>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
