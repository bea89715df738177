import { defaultRegistry, FlowNode } from '@signalbox/nodes';
import { describe, expect, it } from 'vitest';
import { drawnPorts } from './node-model.ts';

describe('drawnPorts', () => {
  it('draws a send message’s "Not delivered" port beside Next, even before its text is written', () => {
    const definition = defaultRegistry.get('send-message');
    const ports = [{ id: 'next', label: 'Next' }, { id: 'error', label: 'Not delivered' }];
    expect(drawnPorts(definition, FlowNode.parse({ id: 'say', type: 'send-message', data: { text: 'Your order shipped' } }), [])).toEqual(ports);
    expect(drawnPorts(definition, FlowNode.parse({ id: 'say', type: 'send-message', data: { text: '' } }), [])).toEqual(ports);
  });
});
