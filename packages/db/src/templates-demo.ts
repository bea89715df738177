import type { MessageTemplateInput } from '@signalbox/nodes';
import type { Pool } from './connection.ts';
import { TemplateRepository } from './templates.ts';

/** The demo shop's templates: what a clothing store sends most, in the languages its customers write in. */
export const DEMO_TEMPLATES: readonly MessageTemplateInput[] = [
  {
    name: 'order_shipped',
    description: 'After the warehouse hands the parcel to the carrier.',
    defaultLanguage: 'en',
    variants: [
      { language: 'en', text: 'Hi {{contact.name | there}}, your order {{orderId}} is on its way! Track it here: {{trackingUrl}}', buttons: [{ id: 'track', title: 'Track my order' }] },
      { language: 'es', text: 'Hola {{contact.name | de nuevo}}: ¡tu pedido {{orderId}} ya está en camino! Síguelo aquí: {{trackingUrl}}', buttons: [{ id: 'track', title: 'Seguir mi pedido' }] },
      { language: 'de', text: 'Hallo {{contact.name | zusammen}}, deine Bestellung {{orderId}} ist unterwegs! Sendungsverfolgung: {{trackingUrl}}', buttons: [{ id: 'track', title: 'Sendung verfolgen' }] },
      { language: 'fr', text: 'Bonjour {{contact.name | à vous}}, votre commande {{orderId}} est en route ! Suivez-la ici : {{trackingUrl}}', buttons: [{ id: 'track', title: 'Suivre ma commande' }] },
      { language: 'pt', text: 'Olá! O seu pedido {{orderId}} está a caminho! Acompanhe aqui: {{trackingUrl}}', buttons: [{ id: 'track', title: 'Acompanhar pedido' }] },
    ],
    sampleData: { 'contact.name': 'Ada', orderId: 'A-1042', trackingUrl: 'https://track.example-shop.test/A-1042' },
    whatsapp: { category: 'utility' },
  },
  {
    name: 'after_hours',
    description: 'Outside business hours, before a person takes over in the morning.',
    defaultLanguage: 'en',
    variants: [
      { language: 'en', text: 'Thanks for your message! Our team is back at 9:00 ({{shopTimezone}}) and will answer you first thing.' },
      { language: 'es', text: '¡Gracias por tu mensaje! Nuestro equipo vuelve a las 9:00 ({{shopTimezone}}) y te responderá a primera hora.' },
      { language: 'zh', text: '感谢您的留言！我们的团队将于 9:00（{{shopTimezone}}）上班，届时会第一时间回复您。' },
      { language: 'ja', text: 'メッセージありがとうございます。スタッフは9:00（{{shopTimezone}}）に戻り、すぐにご返信いたします。' },
    ],
    sampleData: { shopTimezone: 'CET' },
  },
  {
    name: 'return_label',
    description: 'Sends the prepaid return label once a return is approved.',
    defaultLanguage: 'en',
    variants: [
      { language: 'en', text: 'Your return for order {{orderId}} is approved. Print your free label here: {{labelUrl}}. Refunds arrive within 5 business days of us receiving the item.' },
      { language: 'es', text: 'Tu devolución del pedido {{orderId}} está aprobada. Imprime la etiqueta gratuita aquí: {{labelUrl}}. El reembolso llega en 5 días hábiles desde que recibimos el artículo.' },
    ],
    sampleData: { orderId: 'A-1042', labelUrl: 'https://returns.example-shop.test/A-1042' },
  },
];

/** Adds the demo templates a workspace does not have yet (by name); returns how many. */
export async function seedDemoTemplates(pool: Pool, workspaceId: string): Promise<number> {
  const templates = new TemplateRepository(pool);
  const existing = new Set((await templates.list(workspaceId)).map((t) => t.name));
  let added = 0;
  for (const template of DEMO_TEMPLATES) {
    if (existing.has(template.name)) continue;
    const result = await templates.create(workspaceId, template);
    if (!result.ok) throw new Error(`demo template "${template.name}" is invalid: ${JSON.stringify(result)}`);
    added++;
  }
  return added;
}
