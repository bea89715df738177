import { z } from 'zod';
import { FlowDocument } from '../flow/document.ts';
import { InboundEvent } from './events.ts';
import { OutboundMessage } from './outbound.ts';

const ID_BASE = 'https://signalbox.dev/schemas';

function toFile(schema: z.ZodType, name: string, title: string, io: 'input' | 'output'): string {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return `${JSON.stringify({ $id: `${ID_BASE}/${name}`, title, ...json }, null, 2)}\n`;
}

/** The JSON Schema files published under schemas/, by file name. A test fails when the committed ones are stale. */
export function schemaFiles(): Record<string, string> {
  return {
    'inbound-event.json': toFile(InboundEvent, 'inbound-event.json', 'Signalbox normalized inbound event', 'output'),
    'outbound-message.json': toFile(OutboundMessage, 'outbound-message.json', 'Signalbox outbound message', 'input'),
    'flow-document.json': toFile(FlowDocument, 'flow-document.json', 'Signalbox flow document', 'input'),
  };
}
