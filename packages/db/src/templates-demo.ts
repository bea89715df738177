import type { MessageTemplateInput } from '@signalbox/nodes';
import type { Pool } from './connection.ts';
import { TemplateRepository } from './templates.ts';

/**
 * The demo shop's templates: what a clothing store sends most, in the languages its customers write in. The
 * ones with an id are sent by the seeded "Multilingual shop assistant" flow, which names them by it.
 */
export const DEMO_TEMPLATES: readonly (MessageTemplateInput & { readonly id?: string })[] = [
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
  {
    id: 'demo-welcome',
    name: 'demo_welcome',
    description: 'The multilingual demo flow: what it says when a message is neither a question it can answer nor an order or a complaint.',
    defaultLanguage: 'en',
    variants: [
      { language: 'en', text: "Hi! I'm the demo assistant of Example Shop. Ask me about orders, delivery, returns or payment, in your own language." },
      { language: 'es', text: '¡Hola! Soy el asistente de demostración de Example Shop. Pregúntame por pedidos, envíos, devoluciones o pagos, en tu idioma.' },
      { language: 'de', text: 'Hallo! Ich bin der Demo-Assistent von Example Shop. Frag mich zu Bestellungen, Versand, Rücksendungen oder Zahlungen, in deiner Sprache.' },
      { language: 'fr', text: "Bonjour ! Je suis l'assistant de démonstration d'Example Shop. Posez-moi vos questions sur les commandes, la livraison, les retours ou le paiement, dans votre langue." },
      { language: 'pt', text: 'Olá! Sou o assistente de demonstração da Example Shop. Pergunte-me sobre encomendas, entregas, devoluções ou pagamentos, no seu idioma.' },
      { language: 'zh', text: '您好！我是 Example Shop 的演示助手。您可以用自己的语言询问订单、配送、退货或付款问题。' },
      { language: 'ja', text: 'こんにちは！Example Shop のデモアシスタントです。ご注文、配送、返品、お支払いについて、お好きな言語でお尋ねください。' },
      { language: 'ar', text: 'مرحباً! أنا المساعد التجريبي لمتجر Example Shop. اسألني عن الطلبات أو الشحن أو الإرجاع أو الدفع بلغتك.' },
    ],
  },
  {
    id: 'demo-order-help',
    name: 'demo_order_help',
    description: 'The multilingual demo flow: an order question goes to the orders team, which needs the order number.',
    defaultLanguage: 'en',
    variants: [
      { language: 'en', text: "I'll get a teammate to check your order. Please send your order number (it starts with A-) and they'll answer here." },
      { language: 'es', text: 'Un compañero revisará tu pedido. Envíanos el número de pedido (empieza por A-) y te responderá aquí.' },
      { language: 'de', text: 'Jemand aus dem Team prüft deine Bestellung. Schick uns bitte die Bestellnummer (sie beginnt mit A-), die Antwort kommt hier.' },
      { language: 'fr', text: "Un membre de l'équipe va vérifier votre commande. Envoyez-nous votre numéro de commande (il commence par A-) : la réponse arrivera ici." },
      { language: 'pt', text: 'Um colega vai verificar a sua encomenda. Envie-nos o número da encomenda (começa por A-) e a resposta chega aqui.' },
      { language: 'zh', text: '我会请同事帮您查询订单。请发送您的订单号（以 A- 开头），同事会在这里回复您。' },
      { language: 'ja', text: '担当者がご注文を確認いたします。注文番号（A- で始まります）をお送りください。こちらでご返信します。' },
      { language: 'ar', text: 'سيتحقق أحد زملائنا من طلبك. أرسل لنا رقم الطلب (يبدأ بـ A-) وسيصلك الرد هنا.' },
    ],
  },
  {
    id: 'demo-handoff',
    name: 'demo_handoff',
    description: 'Before a person takes the conversation over.',
    defaultLanguage: 'en',
    variants: [
      { language: 'en', text: "I'm passing you to a member of our team. They will answer here shortly." },
      { language: 'es', text: 'Te paso con una persona de nuestro equipo. Te responderá aquí en breve.' },
      { language: 'de', text: 'Ich verbinde dich mit jemandem aus unserem Team. Die Antwort kommt gleich hier.' },
      { language: 'fr', text: 'Je vous mets en relation avec un membre de notre équipe. Il vous répondra ici très bientôt.' },
      { language: 'pt', text: 'Vou passá-lo a um membro da nossa equipa, que lhe responderá aqui em breve.' },
      { language: 'zh', text: '我将为您转接我们的客服人员，他们很快会在这里回复您。' },
      { language: 'ja', text: '担当スタッフにおつなぎします。まもなくこちらでご返信いたします。' },
      { language: 'ar', text: 'سأحوّلك إلى أحد أعضاء فريقنا، وسيرد عليك هنا قريباً.' },
    ],
  },
];

/** Adds the demo templates a workspace does not have yet (by name); returns how many. */
export async function seedDemoTemplates(pool: Pool, workspaceId: string): Promise<number> {
  const templates = new TemplateRepository(pool);
  const existing = new Set((await templates.list(workspaceId)).map((t) => t.name));
  let added = 0;
  for (const { id, ...template } of DEMO_TEMPLATES) {
    if (existing.has(template.name)) continue;
    const result = await templates.create(workspaceId, template, id ? { id } : {});
    if (!result.ok) throw new Error(`demo template "${template.name}" is invalid: ${JSON.stringify(result)}`);
    added++;
  }
  return added;
}
