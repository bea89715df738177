/** A file a test customer attaches to a mail. */
export interface MailFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/**
 * A customer's multipart mail to the shop: a text part, then each file base64 as an attachment; CRLF line ends,
 * as a mail server stores it and a mail-to-webhook service posts it.
 */
export function mailWithFiles(fields: { id: string; subject: string; text: string; files: readonly MailFile[] }): string {
  return [
    'From: Ana Lima <ana.lima@example.com>',
    'To: care@shop.example',
    `Subject: ${fields.subject}`,
    `Message-ID: <${fields.id}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    fields.text,
    ...fields.files.flatMap((f) => ['--b', `Content-Type: ${f.type}; name="${f.name}"`, `Content-Disposition: attachment; filename="${f.name}"`, 'Content-Transfer-Encoding: base64', '', f.bytes.toString('base64')]),
    '--b--',
    '',
  ].join('\r\n');
}
