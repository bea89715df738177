import { describe, expect, it } from 'vitest';
import { loadFlowDocument, type FlowDocument } from '@signalbox/nodes';
import { runHeadless } from './headless.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

// Welcomes a returning customer: the first message sets a contact attribute, later ones read it.
const raw: FlowDocument = {
  schemaVersion: 1,
  variables: [],
  nodes: [
    node('start', 'start'),
    node('known', 'condition', {
      branches: [
        { id: 'back', label: 'back', rules: [{ kind: 'contact-attribute', key: 'seen', op: 'equals', value: 'yes' }] },
      ],
    }),
    node('remember', 'set', { assignments: [{ target: 'contact-attribute', name: 'seen', value: 'yes' }] }),
    node('first', 'send-message', { text: 'Nice to meet you' }),
    node('again', 'send-message', { text: 'Welcome back' }),
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'known' },
    { id: 'e2', source: 'known', sourceHandle: 'else', target: 'remember' },
    { id: 'e3', source: 'remember', sourceHandle: 'next', target: 'first' },
    { id: 'e4', source: 'known', sourceHandle: 'back', target: 'again' },
  ],
};

describe('runHeadless', () => {
  it('keeps contact attributes from one event to the next, as a live conversation does', async () => {
    const loaded = loadFlowDocument(raw);
    if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.path} ${i.message}`).join('; '));
    const offline = () => Promise.reject(new Error('no language services'));
    const ai = { detectLanguage: offline, classifyIntent: offline, detectEmotion: offline, translate: offline, answerFromKnowledge: offline, answerWithLlm: offline };
    const services = { http: () => Promise.reject(new Error('no network')), ai, templates: { get: async () => null }, wordLists: { check: offline }, loadFlow: async () => null };
    const result = await runHeadless(loaded.document, [{ text: 'hi' }, { text: 'hi again' }], services);
    expect(result.transcript.filter((l) => l.from === 'bot').map((l) => l.text)).toEqual(['Nice to meet you', 'Welcome back']);
  });
});
