import { z } from 'zod';

/**
 * An email channel: mail arrives as raw MIME (posted by a mail-to-webhook service, or fetched over IMAP) and
 * replies leave over SMTP. Email has no HTTP API, so there is no `apiBaseUrl`: the SMTP host is the channel's
 * endpoint. Only zod here, so the web app can build the settings form from it.
 */
export const EmailConfig = z.object({
  smtpHost: z.string().min(1).meta({
    title: 'SMTP host',
    description: 'The server replies are sent through (smtp.example.com). Email has no HTTP API base URL: this host is the channel\'s endpoint.',
  }),
  smtpPort: z.number().int().min(1).max(65_535).default(587).meta({
    title: 'SMTP port',
    description: '587 (submission, STARTTLS) unless your provider says otherwise; 465 with implicit TLS.',
  }),
  smtpSecure: z.boolean().default(false).meta({
    title: 'Implicit TLS',
    description: 'On for port 465 (TLS from the first byte). Off: the connection is upgraded with STARTTLS when the server offers it.',
  }),
  smtpRequireTls: z.boolean().default(true).meta({
    title: 'Require encryption',
    description: 'Refuse to log in or send unless the connection is encrypted (implicit TLS or STARTTLS). Turn off only for a relay on the same host or private network.',
  }),
  fromAddress: z.email().meta({ title: 'From address', description: 'The address customers write to and see replies from (care@shop.example).' }),
  fromName: z.string().max(200).optional().meta({ title: 'From name', description: 'Shown beside the address in the customer\'s mailbox (Acme Support).' }),
  replyTo: z.email().optional().meta({ title: 'Reply-To address', description: 'Where customers\' answers go when it is not the From address.' }),
  imapHost: z.string().min(1).optional().meta({
    title: 'IMAP host',
    description: 'The mailbox to poll for new mail (imap.example.com); leave empty when a mail-to-webhook service posts mail instead.',
  }),
  imapPort: z.number().int().min(1).max(65_535).default(993).meta({ title: 'IMAP port', description: '993 with implicit TLS, 143 with STARTTLS.' }),
  imapSecure: z.boolean().default(true).meta({ title: 'IMAP implicit TLS', description: 'On for port 993.' }),
  imapMailbox: z.string().min(1).default('INBOX').meta({ title: 'IMAP mailbox', description: 'The folder new customer mail lands in.' }),
});
export type EmailConfig = z.infer<typeof EmailConfig>;

export const EmailSecrets = z.object({
  webhookSecret: z.string().min(16).optional().meta({
    title: 'Webhook signing secret',
    description: 'HMAC-SHA256 key for X-Signalbox-Signature: sha256=<hex of the raw body>, for services that sign what they post.',
  }),
  webhookUsername: z.string().min(1).optional().meta({
    title: 'Webhook user name',
    description: 'HTTP Basic auth for mail-to-webhook services that put credentials in the URL (https://user:password@…).',
  }),
  webhookPassword: z.string().min(1).optional().meta({ title: 'Webhook password', description: 'The password of that HTTP Basic auth.' }),
  smtpUser: z.string().min(1).optional().meta({ title: 'SMTP user', description: 'Usually the full mailbox address; leave empty for a relay that needs no login.' }),
  smtpPassword: z.string().min(1).optional().meta({ title: 'SMTP password', description: 'The mailbox password or an app password.' }),
  imapUser: z.string().min(1).optional().meta({ title: 'IMAP user', description: 'The login of the polled mailbox.' }),
  imapPassword: z.string().min(1).optional().meta({ title: 'IMAP password', description: 'The password of the polled mailbox.' }),
});
export type EmailSecrets = z.infer<typeof EmailSecrets>;

export const emailSetup = { config: EmailConfig, secrets: EmailSecrets };
