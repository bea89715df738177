import { describe, expect, it } from 'vitest';
import { MqttConfig } from './config.ts';
import { filterProblem, templateProblem, topicProblem, wildcardPart } from './topics.ts';

describe('MQTT subscription filters', () => {
  it.each(['shop/in', 'shop/+/in', 'shop/#', '#', '+', 'shop/+/in/#', '+/+', '$share/runners/shop/+/in'])('accepts %s', (filter) => {
    expect(filterProblem(filter)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['shop/#/in', '"#" must be a whole level and the last one'],
    ['shop/in#', '"#" must be a whole level'],
    ['shop/a+/in', '"+" must be a whole level'],
    ['shop/\u0000/in', 'NUL'],
    ['$share/runners', 'a shared subscription needs a group and a filter'],
    ['x'.repeat(70_000), 'longer than 65535 bytes'],
  ])('refuses %j', (filter, problem) => {
    expect(filterProblem(filter)).toContain(problem);
  });
});

describe('topics replies are published to', () => {
  it('refuses wildcards, NUL, $-topics and empty topics', () => {
    expect(topicProblem('shop/c-1/out')).toBeNull();
    expect(topicProblem('shop/+/out')).toContain('wildcard');
    expect(topicProblem('shop/#')).toContain('wildcard');
    expect(topicProblem('shop/\u0000')).toContain('NUL');
    expect(topicProblem('$SYS/x')).toContain('reserve');
    expect(topicProblem('')).toContain('empty');
  });

  it('takes {conversationId} as the only placeholder of a template', () => {
    expect(templateProblem('shop/{conversationId}/out')).toBeNull();
    expect(templateProblem('replies')).toBeNull();
    expect(templateProblem('shop/{to}/out')).toContain('unknown placeholder {to}');
    expect(templateProblem('shop/+/{conversationId}')).toContain('wildcard');
  });
});

describe('what a filter\'s wildcards matched', () => {
  it.each([
    ['shop/+/in', 'shop/c-42/in', 'c-42'],
    ['shop/+/in/#', 'shop/a/in/b/c', 'a/b/c'],
    ['shop/#', 'shop/a/b', 'a/b'],
    ['shop/#', 'shop', ''],
    ['+/+', 'a/b', 'a/b'],
    ['shop/in', 'shop/in', ''],
    ['$share/runners/shop/+/in', 'shop/c-7/in', 'c-7'],
  ])('%s on %s -> %j', (filter, topic, part) => {
    expect(wildcardPart(filter, topic)).toBe(part);
  });

  it.each([
    ['shop/+/in', 'shop/c-42/out'],
    ['shop/+/in', 'shop/c-42/in/extra'],
    ['shop/+/in', 'shop/in'],
    ['shop/in', 'shop/other'],
    ['#', '$SYS/broker/uptime'],
  ])('%s does not match %s', (filter, topic) => {
    expect(wildcardPart(filter, topic)).toBeNull();
  });
});

describe('MQTT channel settings', () => {
  it('fills in the broker URL and QoS 1', () => {
    const config = MqttConfig.parse({ inboundTopic: 'shop/+/in', outboundTopic: 'shop/{conversationId}/out' });
    expect(config).toEqual({ brokerUrl: 'mqtt://127.0.0.1:1883', inboundTopic: 'shop/+/in', outboundTopic: 'shop/{conversationId}/out', qos: 1 });
  });

  it('names every field at fault', () => {
    const parsed = MqttConfig.safeParse({ brokerUrl: 'http://broker:1883', inboundTopic: 'shop/#/in', outboundTopic: 'shop/+/out', qos: 3, clientId: 'has space' });
    expect(parsed.success).toBe(false);
    const fields = [...new Set(parsed.error?.issues.map((i) => i.path.join('.')))].sort();
    expect(fields).toEqual(['brokerUrl', 'clientId', 'inboundTopic', 'outboundTopic', 'qos']);
  });

  it('keeps logins out of the broker URL, which is stored in the clear', () => {
    const parsed = MqttConfig.safeParse({ brokerUrl: 'mqtt://user:secret@broker:1883', inboundTopic: 'a', outboundTopic: 'b' });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['brokerUrl'], message: expect.stringContaining('credentials') as unknown });
  });

  it('takes mqtts:// brokers', () => {
    expect(MqttConfig.safeParse({ brokerUrl: 'mqtts://broker.example:8883', inboundTopic: 'a', outboundTopic: 'b' }).success).toBe(true);
  });
});
