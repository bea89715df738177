import { describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import { composeSmsText, countSegments, numberedOptions, splitText } from './render.ts';

describe('composeSmsText', () => {
  it('appends buttons as numbered options after a blank line', () => {
    const message = OutboundMessage.parse({ type: 'text', text: 'Did that help?', buttons: [{ id: 'y', title: 'Yes' }, { id: 'n', title: 'No' }] });
    expect(composeSmsText(message)).toEqual({ text: 'Did that help?\n\n1. Yes\n2. No', attachment: null, degraded: ['2 buttons sent as numbered options'] });
  });

  it('says quick replies when they were quick replies', () => {
    const message = OutboundMessage.parse({ type: 'text', text: 'Size?', quickReplies: true, buttons: [{ id: 's', title: 'S' }] });
    expect(composeSmsText(message).degraded).toEqual(['1 quick replies sent as numbered options']);
  });

  it('keeps a plain text as it is, with nothing degraded', () => {
    expect(composeSmsText(OutboundMessage.parse({ type: 'text', text: ' spaced ' }))).toEqual({ text: ' spaced ', attachment: null, degraded: [] });
  });

  it('numbers list rows across sections, heading them with section titles', () => {
    const message = OutboundMessage.parse({
      type: 'list',
      text: 'Pick a store',
      buttonTitle: 'Stores',
      sections: [
        { title: 'North', rows: [{ id: 'a', title: 'Oslo', description: 'open till 8' }, { id: 'b', title: 'Bergen' }] },
        { title: 'South', rows: [{ id: 'c', title: 'Kristiansand' }] },
      ],
    });
    expect(composeSmsText(message)).toEqual({
      text: 'Pick a store\n\nNorth\n1. Oslo - open till 8\n2. Bergen\n\nSouth\n3. Kristiansand',
      attachment: null,
      degraded: ['list "Stores" sent as 3 numbered options'],
    });
  });

  it('a single section needs no heading', () => {
    const message = OutboundMessage.parse({ type: 'list', text: 'Pick', buttonTitle: 'Open', sections: [{ title: 'Only', rows: [{ id: 'a', title: 'A' }] }] });
    expect(composeSmsText(message).text).toBe('Pick\n\n1. A');
  });

  it('media keeps its attachment; the caption carries the options', () => {
    const attachment = { type: 'image', url: 'https://cdn.example.com/a.png' } as const;
    const message = OutboundMessage.parse({ type: 'media', attachment, caption: 'New in', buttons: [{ id: 'buy', title: 'Buy' }] });
    expect(composeSmsText(message)).toEqual({ text: 'New in\n\n1. Buy', attachment, degraded: ['1 buttons sent as numbered options'] });
  });

  it('a template falls back to its text', () => {
    const message = OutboundMessage.parse({ type: 'template', name: 'order_update', language: 'en', parameters: ['42'], fallbackText: 'Order 42 shipped' });
    expect(composeSmsText(message)).toEqual({ text: 'Order 42 shipped', attachment: null, degraded: ['template "order_update" sent as its fallback text'] });
  });

  it('numberedOptions starts where it is told', () => {
    expect(numberedOptions(['x', 'y'], 4)).toBe('4. x\n5. y');
  });
});

describe('countSegments', () => {
  it('GSM-7: 160 characters in one segment, 153 per segment beyond', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('extension characters (€, braces) cost two septets', () => {
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('{'.repeat(81)).segments).toBe(2);
  });

  it('one character outside GSM-7 makes the whole text UCS-2: 70, then 67 per segment', () => {
    expect(countSegments(`${'a'.repeat(69)}’`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments(`${'a'.repeat(70)}’`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    // An emoji is two UTF-16 code units.
    expect(countSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
  });

  it('an empty text takes no segment', () => {
    expect(countSegments('').segments).toBe(0);
  });
});

describe('splitText', () => {
  it('leaves a fitting text whole', () => {
    expect(splitText('short', { maxChars: 1600, maxSegments: 10 })).toEqual(['short']);
    expect(splitText('', { maxChars: 1600 })).toEqual([]);
  });

  it('cuts at a space into parts within the character limit, dropping the space at the cut', () => {
    const text = 'word '.repeat(400).trimEnd();
    const parts = splitText(text, { maxChars: 1600 });
    expect(parts.length).toBe(2);
    expect(parts.every((part) => part.length <= 1600 && !part.startsWith(' ') && !part.endsWith(' '))).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it('prefers a paragraph break when there is one in the second half', () => {
    const first = 'a'.repeat(1000);
    const second = 'b '.repeat(400).trimEnd();
    expect(splitText(`${first}\n\n${second}`, { maxChars: 1600 })).toEqual([first, second]);
  });

  it('respects the segment budget: Unicode text gets shorter parts than plain text', () => {
    const chinese = '你好世界'.repeat(300);
    const parts = splitText(chinese, { maxChars: 1600, maxSegments: 10 });
    expect(parts.every((part) => countSegments(part).segments <= 10)).toBe(true);
    expect(parts[0]?.length).toBe(670);
    expect(parts.join('')).toBe(chinese);
  });

  it('never cuts an emoji in half', () => {
    const emoji = '😀'.repeat(100);
    const parts = splitText(emoji, { maxChars: 67 });
    expect(parts.join('')).toBe(emoji);
    expect(parts.every((part) => [...part].every((char) => char === '😀'))).toBe(true);
  });
});
