import { describe, expect, it } from 'vitest';
import { cleanFileName, contentDisposition, matchesSignature, newStoredName, storedType, uploadType } from './media.ts';
import { parseFrame } from './messages.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe('web chat uploads', () => {
  it('allows pictures and documents by their type, never SVG or executables', () => {
    expect(uploadType('image/png')).toEqual({ mimeType: 'image/png', extension: 'png' });
    expect(uploadType('Application/PDF; name=x')).toEqual({ mimeType: 'application/pdf', extension: 'pdf' });
    expect(uploadType('image/svg+xml')).toBeNull();
    expect(uploadType('text/html')).toBeNull();
    expect(uploadType('application/x-msdownload')).toBeNull();
    expect(uploadType(undefined)).toBeNull();
  });

  it('refuses bytes that are not the declared type', () => {
    expect(matchesSignature('image/png', PNG)).toBe(true);
    expect(matchesSignature('image/png', Buffer.from('<html><script>alert(1)</script>'))).toBe(false);
    expect(matchesSignature('application/pdf', Buffer.from('%PDF-1.7\n'))).toBe(true);
    expect(matchesSignature('image/jpeg', PNG)).toBe(false);
    expect(matchesSignature('image/webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe(true);
    expect(matchesSignature('text/plain', Buffer.from('order A-1001'))).toBe(true);
    expect(matchesSignature('text/plain', Buffer.from([0x4d, 0x5a, 0x00, 0x90]))).toBe(false);
  });

  it('serves only names it made, with the type their extension stands for', () => {
    const name = newStoredName('pdf');
    expect(name).toMatch(/^[a-f0-9]{32}\.pdf$/);
    expect(storedType(name)).toBe('application/pdf');
    expect(storedType('../../secret.key')).toBeNull();
    expect(storedType(`${'a'.repeat(32)}.html`)).toBeNull();
    expect(storedType(`${'a'.repeat(32)}.png.part`)).toBeNull();
  });

  it("keeps a customer's file name readable but harmless", () => {
    expect(cleanFileName('C:\\Users\\ana\\label "1".png', 'png')).toBe('label 1.png');
    expect(cleanFileName('../../etc/passwd', 'txt')).toBe('passwd');
    expect(cleanFileName('\u0000\u0007', 'pdf')).toBe('file.pdf');
    expect(cleanFileName(undefined, 'pdf')).toBe('file.pdf');
  });

  it('shows pictures inline and downloads documents under their name', () => {
    expect(contentDisposition('image/png', 'a.png')).toBe('inline');
    expect(contentDisposition('application/pdf', 'Factura nº 7.pdf')).toBe(`attachment; filename="Factura n_ 7.pdf"; filename*=UTF-8''Factura%20n%C2%BA%207.pdf`);
    expect(contentDisposition('application/pdf', undefined)).toBe('attachment');
  });
});

describe('web chat socket frames', () => {
  it('reads every client message type, and names the fields of a bad one with its id', () => {
    expect(parseFrame(JSON.stringify({ type: 'message', id: 'a', text: ' hi ' }))).toEqual({ ok: true, message: { type: 'message', id: 'a', text: 'hi' } });
    expect(parseFrame(JSON.stringify({ type: 'reply', id: 'b', replyId: 'order', title: 'Order status' }))).toMatchObject({ ok: true, message: { kind: 'button' } });
    expect(parseFrame(JSON.stringify({ type: 'typing', active: true }))).toEqual({ ok: true, message: { type: 'typing', active: true } });
    expect(parseFrame(JSON.stringify({ type: 'attachment', id: 'c', url: '/media/x/y.png' }))).toMatchObject({ ok: true });
    expect(parseFrame(JSON.stringify({ type: 'message', id: 'd', text: '   ' }))).toMatchObject({ ok: false, error: 'invalid_message', id: 'd', issues: [{ path: 'text' }] });
    expect(parseFrame('not json')).toMatchObject({ ok: false, error: 'malformed_json' });
  });
});
