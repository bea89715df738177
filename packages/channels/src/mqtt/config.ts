import { z } from 'zod';
import { filterProblem, templateProblem } from './topics.ts';

/**
 * An MQTT channel: customer messages arrive as publications on a broker (devices, kiosks, a shop's own app)
 * and replies are published back. The payloads are the generic webhook's JSON bodies (DESIGN.md section 5).
 * Only zod and pure topic rules here, so the web app can build the settings form from it.
 */
export const MqttConfig = z.object({
  brokerUrl: z
    .string()
    .url()
    .refine((url) => /^mqtts?:\/\/[^/]/i.test(url), { message: 'must be an mqtt:// or mqtts:// URL (mqtt://broker.example:1883)' })
    // Settings are stored in the clear and shown in logs; a login belongs in the sealed credentials.
    .refine((url) => !/^mqtts?:\/\/[^/]*@/i.test(url), { message: 'must not contain a user name or password: put them in the credentials' })
    .default('mqtt://127.0.0.1:1883')
    .meta({
      title: 'Broker URL',
      description: 'mqtt://host:1883, or mqtts://host:8883 for TLS. The broker must speak MQTT 5 (Mosquitto 1.6+, EMQX, HiveMQ, VerneMQ).',
    }),
  inboundTopic: z
    .string()
    .min(1)
    .superRefine((filter, ctx) => {
      const problem = filterProblem(filter);
      if (problem) ctx.addIssue({ code: 'custom', message: `the subscription filter ${problem}` });
    })
    .meta({
      title: 'Inbound topic',
      description:
        'The subscription filter customer messages arrive on; wildcards allowed (shop/+/in). A message without conversationId belongs to the conversation its wildcard matched (shop/c-42/in -> c-42), or to its whole topic when the filter has none.',
    }),
  outboundTopic: z
    .string()
    .min(1)
    .superRefine((template, ctx) => {
      const problem = templateProblem(template);
      if (problem) ctx.addIssue({ code: 'custom', message: `the topic template ${problem}` });
    })
    .meta({
      title: 'Outbound topic',
      description: 'Where replies are published; {conversationId} is replaced by the conversation (shop/{conversationId}/out). No wildcards.',
    }),
  qos: z
    .number()
    .int()
    .min(0)
    .max(2)
    .default(1)
    .meta({
      title: 'QoS',
      description:
        '1 (at least once, the default): nothing is lost and repeats are dropped by message id. 2 (exactly once) costs a round trip more; 0 (at most once) loses messages while the runner or the broker is down.',
    }),
  clientId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, { message: 'printable ASCII without spaces' })
    .optional()
    .meta({
      title: 'Client ID',
      description:
        'The MQTT client id of the subscription (signalbox-<channel id> when empty). It names the broker session that keeps messages while the runner is down: keep it stable, and unique on the broker.',
    }),
});
export type MqttConfig = z.infer<typeof MqttConfig>;

export const MqttSecrets = z.object({
  username: z.string().min(1).optional().meta({ title: 'User name', description: 'Leave empty for a broker that takes anonymous clients.' }),
  password: z.string().min(1).optional().meta({ title: 'Password', description: 'The password of that user.' }),
});
export type MqttSecrets = z.infer<typeof MqttSecrets>;

export const mqttSetup = { config: MqttConfig, secrets: MqttSecrets };

export type MqttQos = 0 | 1 | 2;

/** Where and as whom a channel connects. */
export interface BrokerLogin {
  brokerUrl: string;
  /** The subscription's client id; publishers derive their own from it. */
  clientId: string;
  username?: string;
  password?: string;
}

export type MqttSettings = { ok: true; config: MqttConfig; login: BrokerLogin } | { ok: false; error: string };

/**
 * A stored channel's settings, validated and with defaults filled in; the client id defaults to
 * `signalbox-<channel id>`, stable across restarts as the persistent session needs.
 */
export function mqttSettingsOf(channel: { id: string; config: unknown; credentials: Readonly<Record<string, string | undefined>> }): MqttSettings {
  const config = MqttConfig.safeParse(channel.config);
  if (!config.success) {
    return { ok: false, error: `invalid MQTT settings: ${config.error.issues.map((i) => `${i.path.join('.') || '(settings)'} ${i.message}`).join('; ')}` };
  }
  const secrets = MqttSecrets.safeParse({ username: channel.credentials.username || undefined, password: channel.credentials.password || undefined });
  if (!secrets.success) return { ok: false, error: 'invalid MQTT credentials' };
  const login: BrokerLogin = { brokerUrl: config.data.brokerUrl, clientId: config.data.clientId ?? `signalbox-${channel.id}` };
  if (secrets.data.username) login.username = secrets.data.username;
  if (secrets.data.password) login.password = secrets.data.password;
  return { ok: true, config: config.data, login };
}

/** The config's QoS in the type MQTT libraries take (the schema keeps it a plain number for the form). */
export function qosOf(config: MqttConfig): MqttQos {
  return config.qos === 0 ? 0 : config.qos === 2 ? 2 : 1;
}
