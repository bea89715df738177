import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFlowDocument } from '@signalbox/nodes';
import { ChannelRepository, FlowRepository, hashPassword, type PrismaClient, type SecretBox } from '@signalbox/db';

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/flows');

export const DEMO = {
  workspaceId: 'demo',
  webchatChannelId: 'demo-webchat',
  /** A web chat answered by the multilingual flow (language detection, knowledge base, intents, templates). */
  multilingualChannelId: 'demo-webchat-multilingual',
  webhookChannelId: 'demo-webhook',
  ownerEmail: 'owner@demo.signalbox.local',
  ownerPassword: 'signalbox-demo',
} as const;

export function readExampleFlow(name: string) {
  const loaded = loadFlowDocument(JSON.parse(readFileSync(join(EXAMPLES_DIR, `${name}.json`), 'utf8')));
  if (!loaded.ok) throw new Error(`examples/flows/${name}.json is invalid: ${JSON.stringify(loaded.issues)}`);
  return loaded.document;
}

/**
 * The demo workspace of the embedded default: a web chat and a generic webhook channel, both answered by the
 * published demo flow, and a second web chat answered by the multilingual flow. Runs once, on an empty database.
 */
export async function seedDemo(prisma: PrismaClient, secrets: SecretBox, callbackUrl: string): Promise<boolean> {
  if ((await prisma.workspace.count()) > 0) return false;
  await prisma.workspace.create({ data: { id: DEMO.workspaceId, name: 'Demo shop' } });
  await prisma.user.create({
    data: { workspaceId: DEMO.workspaceId, email: DEMO.ownerEmail, name: 'Demo owner', role: 'owner', passwordHash: hashPassword(DEMO.ownerPassword) },
  });
  const flows = new FlowRepository(prisma);
  const demoFlowId = await flows.create({ workspaceId: DEMO.workspaceId, name: 'Demo shop assistant', document: readExampleFlow('demo'), id: 'demo-assistant' });
  await flows.publish(demoFlowId, { note: 'Seeded demo flow' });
  // Its templates (demo-welcome, demo-order-help, demo-handoff) and the knowledge base are seeded after this.
  const multilingualFlowId = await flows.create({ workspaceId: DEMO.workspaceId, name: 'Multilingual shop assistant', document: readExampleFlow('multilingual'), id: 'demo-multilingual' });
  await flows.publish(multilingualFlowId, { note: 'Seeded multilingual demo flow' });
  const echoFlowId = await flows.create({ workspaceId: DEMO.workspaceId, name: 'Echo', document: readExampleFlow('echo'), id: 'echo' });
  await flows.publish(echoFlowId, { note: 'Seeded echo flow' });
  const channels = new ChannelRepository(prisma, secrets);
  await channels.create({ id: DEMO.webchatChannelId, workspaceId: DEMO.workspaceId, type: 'webchat', name: 'Demo web chat', flowId: demoFlowId });
  await channels.create({ id: DEMO.multilingualChannelId, workspaceId: DEMO.workspaceId, type: 'webchat', name: 'Demo web chat, any language', flowId: multilingualFlowId });
  await channels.create({ id: DEMO.webhookChannelId, workspaceId: DEMO.workspaceId, type: 'webhook', name: 'Demo webhook', config: { callbackUrl }, flowId: demoFlowId });
  return true;
}
