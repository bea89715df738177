import Negotiator from 'negotiator';

/**
 * The web chat's own words (the chat page and the widget: buttons, placeholders, states, errors), in the
 * languages the default intents and the demo's templates speak. What the bot says comes from the flow; this is
 * only the frame around it, so a customer who writes in Japanese does not type into "Write a message…".
 */
export const UI_LANGUAGES = ['en', 'es', 'de', 'fr', 'pt', 'zh', 'ja', 'ar'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** Languages written right to left: the chat mirrors its layout for them. */
export const RIGHT_TO_LEFT: ReadonlySet<UiLanguage> = new Set(['ar']);

export interface UiText {
  /** Widget: the greeting above the first message, unless the shop sets data-greeting. */
  greeting: string;
  intro: string;
  chatWithUs: string;
  chat: string;
  openChat: string;
  closeChat: string;
  messages: string;
  attachFile: string;
  attachHint: string;
  placeholder: string;
  message: string;
  send: string;
  dismiss: string;
  statusIdle: string;
  statusConnecting: string;
  statusReconnecting: string;
  statusOnline: string;
  statusUnavailable: string;
  bannerUnavailable: string;
  bannerReconnecting: string;
  newMessage: string;
  sentAttachment: string;
  fileTypes: string;
  /** `{mb}`: the largest file in megabytes. */
  fileTooLarge: string;
  fileEmpty: string;
  uploadFailed: string;
  uploadOffline: string;
  /** `{percent}`: how much is uploaded. */
  uploading: string;
  sending: string;
  sent: string;
  notSent: string;
  retry: string;
  picture: string;
  attachment: string;
  download: string;
  unsupported: string;
  typing: string;
  suggestedReplies: string;
  poweredBy: string;
  /** Chat page: the empty conversation, and its connection state under the title. */
  sayHello: string;
  online: string;
  connecting: string;
  reconnecting: string;
}

export const UI_TEXT: Record<UiLanguage, UiText> = {
  en: {
    greeting: 'Hi there!',
    intro: 'Ask us anything: orders, shipping, returns. We usually answer right away.',
    chatWithUs: 'Chat with us',
    chat: 'Chat',
    openChat: 'Open chat',
    closeChat: 'Close chat',
    messages: 'Messages',
    attachFile: 'Attach a file',
    attachHint: 'Attach a picture or document',
    placeholder: 'Write a message…',
    message: 'Message',
    send: 'Send',
    dismiss: 'Dismiss',
    statusIdle: 'We reply in a few seconds',
    statusConnecting: 'Connecting…',
    statusReconnecting: 'Reconnecting…',
    statusOnline: 'Online · replies in seconds',
    statusUnavailable: 'Unavailable',
    bannerUnavailable: 'This chat is not available right now.',
    bannerReconnecting: 'Connection lost. Reconnecting… Messages you write will be sent when it is back.',
    newMessage: 'New message',
    sentAttachment: 'Sent an attachment',
    fileTypes: 'Only pictures, PDFs and office documents can be sent.',
    fileTooLarge: 'That file is larger than {mb} MB.',
    fileEmpty: 'That file is empty.',
    uploadFailed: 'The upload failed',
    uploadOffline: 'The upload failed. Check your connection.',
    uploading: 'Uploading… {percent}%',
    sending: 'Sending…',
    sent: 'Sent',
    notSent: 'Not sent',
    retry: 'Retry',
    picture: 'Picture',
    attachment: 'Attachment',
    download: 'Download',
    unsupported: 'Unsupported message',
    typing: 'Typing',
    suggestedReplies: 'Suggested replies',
    poweredBy: 'Powered by',
    sayHello: 'Say hello to start the conversation.',
    online: 'online',
    connecting: 'connecting…',
    reconnecting: 'reconnecting…',
  },
  es: {
    greeting: '¡Hola!',
    intro: 'Pregúntanos lo que quieras: pedidos, envíos, devoluciones. Solemos responder al momento.',
    chatWithUs: 'Chatea con nosotros',
    chat: 'Chat',
    openChat: 'Abrir el chat',
    closeChat: 'Cerrar el chat',
    messages: 'Mensajes',
    attachFile: 'Adjuntar un archivo',
    attachHint: 'Adjunta una foto o un documento',
    placeholder: 'Escribe un mensaje…',
    message: 'Mensaje',
    send: 'Enviar',
    dismiss: 'Cerrar',
    statusIdle: 'Respondemos en unos segundos',
    statusConnecting: 'Conectando…',
    statusReconnecting: 'Reconectando…',
    statusOnline: 'En línea · respondemos en segundos',
    statusUnavailable: 'No disponible',
    bannerUnavailable: 'Este chat no está disponible en este momento.',
    bannerReconnecting: 'Se perdió la conexión. Reconectando… Lo que escribas se enviará cuando vuelva.',
    newMessage: 'Mensaje nuevo',
    sentAttachment: 'Envió un archivo adjunto',
    fileTypes: 'Solo se pueden enviar fotos, PDF y documentos de oficina.',
    fileTooLarge: 'Ese archivo supera los {mb} MB.',
    fileEmpty: 'Ese archivo está vacío.',
    uploadFailed: 'No se pudo subir el archivo',
    uploadOffline: 'No se pudo subir el archivo. Comprueba tu conexión.',
    uploading: 'Subiendo… {percent}%',
    sending: 'Enviando…',
    sent: 'Enviado',
    notSent: 'No enviado',
    retry: 'Reintentar',
    picture: 'Foto',
    attachment: 'Archivo adjunto',
    download: 'Descargar',
    unsupported: 'Mensaje no compatible',
    typing: 'Escribiendo',
    suggestedReplies: 'Respuestas sugeridas',
    poweredBy: 'Con la tecnología de',
    sayHello: 'Saluda para empezar la conversación.',
    online: 'en línea',
    connecting: 'conectando…',
    reconnecting: 'reconectando…',
  },
  de: {
    greeting: 'Hallo!',
    intro: 'Frag uns alles zu Bestellungen, Versand und Rücksendungen. Wir antworten meist sofort.',
    chatWithUs: 'Chatte mit uns',
    chat: 'Chat',
    openChat: 'Chat öffnen',
    closeChat: 'Chat schließen',
    messages: 'Nachrichten',
    attachFile: 'Datei anhängen',
    attachHint: 'Ein Bild oder Dokument anhängen',
    placeholder: 'Nachricht schreiben…',
    message: 'Nachricht',
    send: 'Senden',
    dismiss: 'Schließen',
    statusIdle: 'Wir antworten in wenigen Sekunden',
    statusConnecting: 'Verbinde…',
    statusReconnecting: 'Verbinde erneut…',
    statusOnline: 'Online · Antwort in Sekunden',
    statusUnavailable: 'Nicht verfügbar',
    bannerUnavailable: 'Dieser Chat ist gerade nicht verfügbar.',
    bannerReconnecting: 'Verbindung unterbrochen. Verbinde erneut… Was du schreibst, wird gesendet, sobald sie wieder steht.',
    newMessage: 'Neue Nachricht',
    sentAttachment: 'Hat einen Anhang gesendet',
    fileTypes: 'Nur Bilder, PDFs und Office-Dokumente können gesendet werden.',
    fileTooLarge: 'Die Datei ist größer als {mb} MB.',
    fileEmpty: 'Die Datei ist leer.',
    uploadFailed: 'Das Hochladen ist fehlgeschlagen',
    uploadOffline: 'Das Hochladen ist fehlgeschlagen. Prüfe deine Verbindung.',
    uploading: 'Lädt hoch… {percent} %',
    sending: 'Wird gesendet…',
    sent: 'Gesendet',
    notSent: 'Nicht gesendet',
    retry: 'Erneut versuchen',
    picture: 'Bild',
    attachment: 'Anhang',
    download: 'Herunterladen',
    unsupported: 'Nachricht wird nicht unterstützt',
    typing: 'Schreibt',
    suggestedReplies: 'Antwortvorschläge',
    poweredBy: 'Bereitgestellt von',
    sayHello: 'Sag Hallo, um das Gespräch zu beginnen.',
    online: 'online',
    connecting: 'verbinde…',
    reconnecting: 'verbinde erneut…',
  },
  fr: {
    greeting: 'Bonjour !',
    intro: 'Posez-nous vos questions : commandes, livraison, retours. Nous répondons généralement tout de suite.',
    chatWithUs: 'Discutez avec nous',
    chat: 'Chat',
    openChat: 'Ouvrir le chat',
    closeChat: 'Fermer le chat',
    messages: 'Messages',
    attachFile: 'Joindre un fichier',
    attachHint: 'Joindre une photo ou un document',
    placeholder: 'Écrivez un message…',
    message: 'Message',
    send: 'Envoyer',
    dismiss: 'Fermer',
    statusIdle: 'Nous répondons en quelques secondes',
    statusConnecting: 'Connexion…',
    statusReconnecting: 'Reconnexion…',
    statusOnline: 'En ligne · réponse en quelques secondes',
    statusUnavailable: 'Indisponible',
    bannerUnavailable: "Ce chat n'est pas disponible pour le moment.",
    bannerReconnecting: 'Connexion perdue. Reconnexion… Vos messages seront envoyés dès son retour.',
    newMessage: 'Nouveau message',
    sentAttachment: 'A envoyé une pièce jointe',
    fileTypes: 'Seuls les photos, les PDF et les documents bureautiques peuvent être envoyés.',
    fileTooLarge: 'Ce fichier dépasse {mb} Mo.',
    fileEmpty: 'Ce fichier est vide.',
    uploadFailed: "L'envoi du fichier a échoué",
    uploadOffline: "L'envoi du fichier a échoué. Vérifiez votre connexion.",
    uploading: 'Envoi… {percent} %',
    sending: 'Envoi…',
    sent: 'Envoyé',
    notSent: 'Non envoyé',
    retry: 'Réessayer',
    picture: 'Photo',
    attachment: 'Pièce jointe',
    download: 'Télécharger',
    unsupported: 'Message non pris en charge',
    typing: 'Écrit',
    suggestedReplies: 'Réponses suggérées',
    poweredBy: 'Propulsé par',
    sayHello: 'Dites bonjour pour commencer la conversation.',
    online: 'en ligne',
    connecting: 'connexion…',
    reconnecting: 'reconnexion…',
  },
  pt: {
    greeting: 'Olá!',
    intro: 'Pergunte-nos o que quiser: encomendas, envios, devoluções. Normalmente respondemos de imediato.',
    chatWithUs: 'Fale connosco',
    chat: 'Chat',
    openChat: 'Abrir o chat',
    closeChat: 'Fechar o chat',
    messages: 'Mensagens',
    attachFile: 'Anexar um ficheiro',
    attachHint: 'Anexar uma imagem ou um documento',
    placeholder: 'Escreva uma mensagem…',
    message: 'Mensagem',
    send: 'Enviar',
    dismiss: 'Fechar',
    statusIdle: 'Respondemos em poucos segundos',
    statusConnecting: 'A ligar…',
    statusReconnecting: 'A restabelecer a ligação…',
    statusOnline: 'Online · resposta em segundos',
    statusUnavailable: 'Indisponível',
    bannerUnavailable: 'Este chat não está disponível neste momento.',
    bannerReconnecting: 'Ligação perdida. A restabelecer… O que escrever será enviado quando voltar.',
    newMessage: 'Nova mensagem',
    sentAttachment: 'Enviou um anexo',
    fileTypes: 'Só é possível enviar imagens, PDF e documentos de escritório.',
    fileTooLarge: 'Esse ficheiro tem mais de {mb} MB.',
    fileEmpty: 'Esse ficheiro está vazio.',
    uploadFailed: 'O envio do ficheiro falhou',
    uploadOffline: 'O envio do ficheiro falhou. Verifique a sua ligação.',
    uploading: 'A enviar… {percent}%',
    sending: 'A enviar…',
    sent: 'Enviada',
    notSent: 'Não enviada',
    retry: 'Tentar de novo',
    picture: 'Imagem',
    attachment: 'Anexo',
    download: 'Transferir',
    unsupported: 'Mensagem não suportada',
    typing: 'A escrever',
    suggestedReplies: 'Respostas sugeridas',
    poweredBy: 'Com tecnologia',
    sayHello: 'Diga olá para começar a conversa.',
    online: 'online',
    connecting: 'a ligar…',
    reconnecting: 'a restabelecer…',
  },
  zh: {
    greeting: '您好！',
    intro: '订单、配送、退货，有问题尽管问，我们通常会立即回复。',
    chatWithUs: '在线咨询',
    chat: '聊天',
    openChat: '打开聊天',
    closeChat: '关闭聊天',
    messages: '消息',
    attachFile: '添加附件',
    attachHint: '添加图片或文档',
    placeholder: '输入消息…',
    message: '消息',
    send: '发送',
    dismiss: '关闭',
    statusIdle: '我们会在几秒内回复',
    statusConnecting: '正在连接…',
    statusReconnecting: '正在重新连接…',
    statusOnline: '在线 · 秒级回复',
    statusUnavailable: '暂不可用',
    bannerUnavailable: '此聊天暂时不可用。',
    bannerReconnecting: '连接已断开，正在重新连接… 您输入的消息将在恢复后发送。',
    newMessage: '新消息',
    sentAttachment: '发送了一个附件',
    fileTypes: '只能发送图片、PDF 和办公文档。',
    fileTooLarge: '文件超过 {mb} MB。',
    fileEmpty: '文件是空的。',
    uploadFailed: '上传失败',
    uploadOffline: '上传失败，请检查网络连接。',
    uploading: '正在上传… {percent}%',
    sending: '正在发送…',
    sent: '已发送',
    notSent: '未发送',
    retry: '重试',
    picture: '图片',
    attachment: '附件',
    download: '下载',
    unsupported: '不支持的消息',
    typing: '正在输入',
    suggestedReplies: '建议回复',
    poweredBy: '技术支持：',
    sayHello: '打个招呼，开始对话吧。',
    online: '在线',
    connecting: '正在连接…',
    reconnecting: '正在重新连接…',
  },
  ja: {
    greeting: 'こんにちは！',
    intro: 'ご注文、配送、返品など、何でもお気軽にお尋ねください。通常すぐにお答えします。',
    chatWithUs: 'チャットでお問い合わせ',
    chat: 'チャット',
    openChat: 'チャットを開く',
    closeChat: 'チャットを閉じる',
    messages: 'メッセージ',
    attachFile: 'ファイルを添付',
    attachHint: '画像または文書を添付',
    placeholder: 'メッセージを入力…',
    message: 'メッセージ',
    send: '送信',
    dismiss: '閉じる',
    statusIdle: '数秒でお返事します',
    statusConnecting: '接続中…',
    statusReconnecting: '再接続中…',
    statusOnline: 'オンライン · すぐにお返事します',
    statusUnavailable: 'ご利用いただけません',
    bannerUnavailable: 'このチャットは現在ご利用いただけません。',
    bannerReconnecting: '接続が切れました。再接続中… 入力したメッセージは接続が戻ると送信されます。',
    newMessage: '新しいメッセージ',
    sentAttachment: '添付ファイルを送信しました',
    fileTypes: '送信できるのは画像、PDF、Office 文書のみです。',
    fileTooLarge: 'ファイルが {mb} MB を超えています。',
    fileEmpty: 'ファイルが空です。',
    uploadFailed: 'アップロードに失敗しました',
    uploadOffline: 'アップロードに失敗しました。接続を確認してください。',
    uploading: 'アップロード中… {percent}%',
    sending: '送信中…',
    sent: '送信済み',
    notSent: '未送信',
    retry: '再試行',
    picture: '画像',
    attachment: '添付ファイル',
    download: 'ダウンロード',
    unsupported: '対応していないメッセージ',
    typing: '入力中',
    suggestedReplies: '返信の候補',
    poweredBy: 'Powered by',
    sayHello: 'メッセージを送って会話を始めましょう。',
    online: 'オンライン',
    connecting: '接続中…',
    reconnecting: '再接続中…',
  },
  ar: {
    greeting: 'مرحباً!',
    intro: 'اسألنا عن أي شيء: الطلبات والشحن والإرجاع. نرد عادةً على الفور.',
    chatWithUs: 'تحدث معنا',
    chat: 'محادثة',
    openChat: 'فتح المحادثة',
    closeChat: 'إغلاق المحادثة',
    messages: 'الرسائل',
    attachFile: 'إرفاق ملف',
    attachHint: 'إرفاق صورة أو مستند',
    placeholder: 'اكتب رسالة…',
    message: 'الرسالة',
    send: 'إرسال',
    dismiss: 'إغلاق',
    statusIdle: 'نرد خلال ثوانٍ',
    statusConnecting: 'جارٍ الاتصال…',
    statusReconnecting: 'جارٍ إعادة الاتصال…',
    statusOnline: 'متصل · نرد خلال ثوانٍ',
    statusUnavailable: 'غير متاح',
    bannerUnavailable: 'هذه المحادثة غير متاحة حالياً.',
    bannerReconnecting: 'انقطع الاتصال. جارٍ إعادة الاتصال… سيتم إرسال ما تكتبه عند عودته.',
    newMessage: 'رسالة جديدة',
    sentAttachment: 'أرسل مرفقاً',
    fileTypes: 'يمكن إرسال الصور وملفات PDF والمستندات المكتبية فقط.',
    fileTooLarge: 'حجم الملف أكبر من {mb} ميغابايت.',
    fileEmpty: 'الملف فارغ.',
    uploadFailed: 'فشل رفع الملف',
    uploadOffline: 'فشل رفع الملف. تحقق من اتصالك.',
    uploading: 'جارٍ الرفع… {percent}%',
    sending: 'جارٍ الإرسال…',
    sent: 'أُرسلت',
    notSent: 'لم تُرسل',
    retry: 'إعادة المحاولة',
    picture: 'صورة',
    attachment: 'مرفق',
    download: 'تنزيل',
    unsupported: 'رسالة غير مدعومة',
    typing: 'يكتب',
    suggestedReplies: 'ردود مقترحة',
    poweredBy: 'مدعوم من',
    sayHello: 'ألقِ التحية لبدء المحادثة.',
    online: 'متصل',
    connecting: 'جارٍ الاتصال…',
    reconnecting: 'جارٍ إعادة الاتصال…',
  },
};

const isUiLanguage = (code: string): code is UiLanguage => (UI_LANGUAGES as readonly string[]).includes(code);

/**
 * The chat page's language: `?lang=` when it names one of ours (a shop links to its German chat), else the
 * browser's Accept-Language by its q-values (negotiator), else English. Region subtags count for their language.
 */
export function pageLanguage(lang: unknown, acceptLanguage: string | undefined): UiLanguage {
  if (typeof lang === 'string') {
    const primary = lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
    if (isUiLanguage(primary)) return primary;
  }
  const preferred = new Negotiator({ headers: { 'accept-language': acceptLanguage ?? '' } }).languages();
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (isUiLanguage(primary)) return primary;
  }
  return 'en';
}

/**
 * A language tag as the socket accepts it (`de`, `pt-BR`, `zh_Hant_TW`; at most 35 characters). The chat page and
 * the widget test the browser's locale with this same pattern before sending it, so they never send one the
 * runner refuses.
 */
export const LOCALE_TAG = /^(?=.{2,35}$)[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;

/**
 * A customer's locale as a client states it (a BCP 47 tag such as `pt-BR`): the language detector's hint for
 * near ties (Malay against Indonesian). Undefined when absent; an error message naming the field when malformed.
 */
export function parseLocale(value: unknown): { ok: true; locale: string | undefined } | { ok: false; message: string } {
  if (value === undefined || value === '') return { ok: true, locale: undefined };
  if (typeof value !== 'string' || !LOCALE_TAG.test(value)) {
    return { ok: false, message: 'locale: a language tag such as "de" or "pt-BR"' };
  }
  return { ok: true, locale: value.replace(/_/g, '-') };
}
