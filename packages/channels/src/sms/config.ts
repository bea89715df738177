import { z } from 'zod';

/** Settings every SMS channel (Twilio, Bandwidth) has; zod only, so the web app's forms can import them. */

/** The send rate; the sender's limiter reads `messagesPerSecond` of any channel (apps/runner rate-limits). */
export const messagesPerSecond = (description: string) => z.number().positive().max(1000).default(1).meta({ title: 'Messages per second', description });

export const maxSegments = z
  .number()
  .int()
  .min(1)
  .max(10)
  .default(10)
  .meta({ title: 'Segments per SMS', description: 'Longer texts are split into several SMS of at most this many segments (160 plain / 70 Unicode characters each).' });
