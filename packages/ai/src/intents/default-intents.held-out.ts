import type { DefaultIntentLanguage, DefaultIntentName } from './default-intents.ts';

// Phrasings written for default-intents.test.ts and absent from the training file (that test checks it), so they
// measure how the shipped model generalizes, not whether it remembers; the intent experiments
// (eval/experiments/) score small workspaces on them too. Test data: the product never imports this file.
export const heldOutPhrasings: Record<DefaultIntentLanguage, Record<DefaultIntentName, readonly string[]>> = {
  en: {
    presale_question: ['Does the laptop bag have a padded compartment?', 'Is this coat available in size large?'],
    order_status: ["I still haven't received my parcel, where is it?", 'When is my order going to be delivered?'],
    returns_refunds: ["How can I return the shirt I bought, it's too small", 'I sent the item back, when do I get my refund?'],
    payment_billing: ['My payment keeps getting declined', 'Can I pay by credit card or only PayPal?'],
    tech_support: ["The bluetooth speaker won't connect to my laptop", 'The app shows an error when I try to log in'],
    complaint: ['Your service is awful and I am very upset', 'I am disappointed, nobody replied to my complaint'],
    small_talk: ['hey, good afternoon', 'thanks a lot, bye for now'],
  },
  zh: {
    presale_question: ['这双鞋有38码吗？', '这个包是真皮的吗？'],
    order_status: ['我的快递怎么还没到？', '订单发货了吗？'],
    returns_refunds: ['衣服太小了，我要退货退款', '退货寄回去以后多久退款？'],
    payment_billing: ['付款一直失败怎么办？', '能用信用卡支付吗？'],
    tech_support: ['蓝牙音箱连不上电脑', '手机应用登录一直报错'],
    complaint: ['你们的服务太差了，我非常生气', '太让人失望了，投诉了也没人理'],
    small_talk: ['下午好', '多谢，拜拜'],
  },
  es: {
    presale_question: ['¿Esta mochila tiene bolsillo para portátil?', '¿El abrigo está disponible en talla L?'],
    order_status: ['Todavía no me llega el paquete, ¿dónde está?', '¿Cuándo me entregan el pedido?'],
    returns_refunds: ['La camisa me queda pequeña, ¿cómo la devuelvo?', 'Ya devolví el artículo, ¿cuándo me hacen el reembolso?'],
    payment_billing: ['Mi pago sigue siendo rechazado', '¿Puedo pagar con tarjeta de crédito?'],
    tech_support: ['El altavoz bluetooth no se conecta al portátil', 'La app me da error al iniciar sesión'],
    complaint: ['Su servicio es pésimo y estoy muy molesto', 'Qué decepción, nadie respondió a mi queja'],
    small_talk: ['buenas, ¿qué tal?', 'mil gracias, chao'],
  },
  de: {
    presale_question: ['Hat die Laptoptasche ein gepolstertes Fach?', 'Gibt es den Mantel auch in Größe L?'],
    order_status: ['Mein Paket ist noch nicht da, wo bleibt es?', 'Wann wird meine Bestellung geliefert?'],
    returns_refunds: ['Das Hemd ist zu klein, wie schicke ich es zurück?', 'Ich habe den Artikel zurückgesendet, wann bekomme ich mein Geld?'],
    payment_billing: ['Meine Zahlung wird immer wieder abgelehnt', 'Kann ich mit Kreditkarte bezahlen?'],
    tech_support: ['Der Bluetooth-Lautsprecher verbindet sich nicht mit dem Laptop', 'Die App zeigt beim Login einen Fehler'],
    complaint: ['Ihr Service ist miserabel und ich bin sehr verärgert', 'Sehr enttäuschend, niemand hat auf meine Beschwerde reagiert'],
    small_talk: ['hallo zusammen', 'danke schön, bis bald'],
  },
  fr: {
    presale_question: ['Le sac a-t-il une poche pour ordinateur ?', 'Le manteau existe-t-il en taille L ?'],
    order_status: ["Je n'ai toujours pas reçu mon colis, où est-il ?", 'Quand ma commande sera-t-elle livrée ?'],
    returns_refunds: ['La chemise est trop petite, comment la retourner ?', "J'ai renvoyé l'article, quand serai-je remboursé ?"],
    payment_billing: ['Mon paiement est refusé à chaque fois', 'Puis-je payer par carte de crédit ?'],
    tech_support: ["L'enceinte bluetooth ne se connecte pas à mon ordinateur", "L'application affiche une erreur quand je me connecte"],
    complaint: ['Votre service est nul et je suis très fâché', 'Très déçu, personne n’a répondu à ma réclamation'],
    small_talk: ['bonjour à tous', 'merci bien, à bientôt'],
  },
  ja: {
    presale_question: ['このバッグにパソコンを入れるポケットはありますか？', 'このコートのLサイズはありますか？'],
    order_status: ['荷物がまだ来ないのですが、今どこですか？', '注文した商品はいつ届きますか？'],
    returns_refunds: ['シャツが小さいので返品したいです', '商品を返送しましたが、返金はいつになりますか？'],
    payment_billing: ['支払いが何度やっても拒否されます', 'クレジットカードで支払えますか？'],
    tech_support: ['Bluetoothスピーカーがパソコンにつながりません', 'アプリでログインするとエラーが出ます'],
    complaint: ['サービスがひどすぎて本当に怒っています', 'がっかりです、苦情を出しても誰も返事をくれません'],
    small_talk: ['こんにちは、よろしくお願いします', 'どうもありがとう、またね'],
  },
  pt: {
    presale_question: ['A mochila tem compartimento para notebook?', 'O casaco tem no tamanho G?'],
    order_status: ['Ainda não recebi meu pacote, onde ele está?', 'Quando meu pedido vai ser entregue?'],
    returns_refunds: ['A camisa ficou pequena, como faço a devolução?', 'Já devolvi o produto, quando recebo o reembolso?'],
    payment_billing: ['Meu pagamento continua sendo recusado', 'Posso pagar com cartão de crédito?'],
    tech_support: ['A caixa de som bluetooth não conecta no notebook', 'O aplicativo dá erro quando tento entrar'],
    complaint: ['O atendimento de vocês é péssimo e estou muito chateado', 'Que decepção, ninguém respondeu minha reclamação'],
    small_talk: ['olá, tudo bem?', 'valeu, até mais'],
  },
  ar: {
    presale_question: ['هل الحقيبة فيها جيب للابتوب؟', 'هل المعطف متوفر بمقاس L؟'],
    order_status: ['لم يصلني الطرد بعد، أين هو؟', 'متى سيتم توصيل طلبي؟'],
    returns_refunds: ['القميص صغير، كيف أرجعه؟', 'أرجعت المنتج، متى أسترد المبلغ؟'],
    payment_billing: ['الدفع يُرفض كل مرة', 'هل أستطيع الدفع ببطاقة الائتمان؟'],
    tech_support: ['سماعة البلوتوث لا تتصل باللابتوب', 'التطبيق يعطيني خطأ عند تسجيل الدخول'],
    complaint: ['خدمتكم سيئة جدًا وأنا منزعج للغاية', 'خيبة أمل، لا أحد رد على شكواي'],
    small_talk: ['أهلاً وسهلاً', 'شكراً لك، إلى اللقاء'],
  },
};
