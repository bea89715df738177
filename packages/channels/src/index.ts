export * from './delivery.ts';
export * from './webhook/webhook.ts';
