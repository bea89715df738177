export * from './delivery.ts';
export * from './webhook/webhook.ts';
export * from './http-service.ts';
