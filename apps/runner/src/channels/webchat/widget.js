/*
 * The Signalbox web chat widget. A shop embeds it with one tag:
 *
 *   <script src="https://runner.example/widget.js" data-channel="<channel id>" async></script>
 *
 * Optional attributes: data-title, data-subtitle, data-greeting, data-color (#hex), data-position (left|right),
 * data-name (the customer's name, when the shop knows it), data-lang (the widget's own words: en, es, de, fr, pt,
 * zh, ja, ar; by default the page's <html lang>, else the browser's languages, else English).
 *
 * Plain browser JavaScript without a build step, served by widget.ts (which fills in LIMITS and TEXT). Everything lives
 * in a shadow root, so the shop's CSS cannot reach it and its CSS cannot reach the shop. Protocol:
 * docs/webchat-and-websocket.md.
 */
/* global window, document, navigator, WebSocket, XMLHttpRequest, URL, crypto, console, setTimeout, clearTimeout, __SIGNALBOX_LIMITS__, __SIGNALBOX_TEXT__ */
(function () {
  'use strict';

  var LIMITS = __SIGNALBOX_LIMITS__;
  /** The widget's words in each language it speaks (ui-text.ts), the ones written right to left, and the locale pattern the socket accepts. */
  var TEXT = __SIGNALBOX_TEXT__;
  var BOT_TYPING_TIMEOUT_MS = 15000;
  var TYPING_REPEAT_MS = 2500;
  var TYPING_IDLE_MS = 4000;
  var MAX_KEPT_LOCAL = 50;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"][data-channel]');
  if (!script) return;
  var channelId = script.getAttribute('data-channel');
  if (!channelId) {
    console.error('[signalbox] the widget script needs data-channel="<channel id>"');
    return;
  }
  window.__signalboxWidgets = window.__signalboxWidgets || {};
  if (window.__signalboxWidgets[channelId]) return;
  window.__signalboxWidgets[channelId] = true;

  // The runner's address is where this script came from (a path prefix behind a proxy included).
  var base = script.src.replace(/widget\.js(?:[?#].*)?$/, '');
  var attr = function (name) {
    var value = script.getAttribute('data-' + name);
    return value && value.trim() ? value.trim() : null;
  };
  var color = attr('color');
  /** The first language of ours among the shop's choice, the page's language and the browser's. */
  var language = (function () {
    var wanted = [attr('lang'), document.documentElement.getAttribute('lang')].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var primary = String(wanted[i] || '').toLowerCase().split(/[-_]/)[0];
      if (Object.prototype.hasOwnProperty.call(TEXT.words, primary)) return primary;
    }
    return 'en';
  })();
  var T = TEXT.words[language];
  /** The customer's own locale, a hint for the bot's language detection (Malay against Indonesian). */
  var locale = new RegExp(TEXT.localeTag).test(navigator.language || '') ? navigator.language : null;
  var options = {
    title: attr('title'),
    subtitle: attr('subtitle'),
    greeting: attr('greeting') || T.greeting,
    color: color && /^#[0-9a-f]{3,8}$/i.test(color) ? color : null,
    position: attr('position') === 'left' ? 'left' : 'right',
    name: attr('name'),
  };

  // ---- storage: localStorage when the page allows it (sandboxed frames and some private modes do not) ----

  var memory = {};
  var storage = {
    get: function (key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      }
    },
    set: function (key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        memory[key] = value;
      }
    },
  };
  var KEY = 'signalbox:webchat:' + channelId;

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  var session = storage.get(KEY);
  if (session && !/^[A-Za-z0-9_-]{8,64}$/.test(session)) session = null;
  function ensureSession() {
    if (!session) {
      session = randomId();
      storage.set(KEY, session);
    }
    return session;
  }

  // ---- the conversation as shown: stored messages (from the server) and this browser's own, in order ----

  /** items: { key, local, id, clientId, direction, content, status, createdAt, payload, progress, error, retry, file } */
  var items = [];
  var serverIds = {};

  function loadLocals() {
    try {
      var saved = JSON.parse(storage.get(KEY + ':local') || '[]');
      return Array.isArray(saved)
        ? saved.filter(function (l) {
            return l && typeof l.clientId === 'string' && l.content && (l.status === 'pending' || l.status === 'sent');
          })
        : [];
    } catch {
      return [];
    }
  }
  /** The customer's messages the server has not shown back in a history yet; pending ones are resent. */
  function saveLocals() {
    var keep = items
      .filter(function (i) {
        return i.local && (i.status === 'pending' || i.status === 'sent');
      })
      .slice(-MAX_KEPT_LOCAL)
      .map(function (i) {
        return { clientId: i.clientId, content: i.persistedContent || i.content, status: i.status, createdAt: i.createdAt, payload: i.payload };
      });
    storage.set(KEY + ':local', JSON.stringify(keep));
  }
  loadLocals().forEach(function (l) {
    items.push(localItem(l.clientId, l.content, l.status, l.payload, l.createdAt));
  });

  function localItem(clientId, content, status, payload, createdAt) {
    return { key: 'l:' + clientId, local: true, clientId: clientId, direction: 'in', content: content, status: status, payload: payload || null, createdAt: createdAt || new Date().toISOString() };
  }
  function serverItem(m) {
    return { key: 's:' + m.id, local: false, id: m.id, clientId: m.clientId || null, direction: m.direction === 'in' ? 'in' : 'out', content: m.content || {}, status: m.status, createdAt: m.createdAt || new Date().toISOString() };
  }
  function findLocal(clientId) {
    for (var i = 0; i < items.length; i++) if (items[i].local && items[i].clientId === clientId) return items[i];
    return null;
  }

  // ---- the socket ----

  var ws = null;
  var ready = false;
  var connection = 0;
  var attempt = 0;
  var reconnectTimer = null;
  var everOnline = false;
  var unavailable = false;
  var channelName = null;

  function connect() {
    if (unavailable) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (ws && (ws.readyState === 0 || ws.readyState === 1)) return;
    setConnection(everOnline ? 'reconnecting' : 'connecting');
    var url = base.replace(/^http/, 'ws') + 'chat/' + encodeURIComponent(channelId) + '/ws?session=' + ensureSession() + (options.name ? '&name=' + encodeURIComponent(options.name) : '') + (locale ? '&locale=' + encodeURIComponent(locale) : '');
    var socket;
    try {
      socket = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    ws = socket;
    ready = false;
    var serial = ++connection;
    socket.onmessage = function (event) {
      if (ws !== socket) return;
      var message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      onServerMessage(message, serial);
    };
    socket.onclose = function (event) {
      if (ws !== socket) return;
      ws = null;
      ready = false;
      if (event.code === 4404) {
        unavailable = true;
        setConnection('unavailable');
        return;
      }
      if (event.code === 4400) {
        session = null;
        storage.set(KEY, '');
      }
      setConnection('reconnecting');
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (reconnectTimer || unavailable) return;
    // Exponential backoff with jitter, so a restarted runner is not hit by every browser at once.
    var ceiling = Math.min(15000, 500 * Math.pow(2, attempt++));
    reconnectTimer = setTimeout(connect, ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  function reconnectNow() {
    if (!ws && reconnectTimer) {
      attempt = 0;
      connect();
    }
  }
  window.addEventListener('online', reconnectNow);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') reconnectNow();
  });

  function sendFrame(frame) {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /** Sends every pending message once per connection, oldest first; the server dedupes on the client id. */
  function flush() {
    if (!ready) return;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.local && item.status === 'pending' && item.payload && item.sentOn !== connection) {
        if (!sendFrame(item.payload)) return;
        item.sentOn = connection;
      }
    }
  }

  function onServerMessage(m, serial) {
    switch (m.type) {
      case 'welcome':
        channelName = m.channel && m.channel.name;
        renderHeader();
        break;
      case 'history': {
        var fromServer = (Array.isArray(m.messages) ? m.messages : []).map(serverItem);
        var known = {};
        serverIds = {};
        fromServer.forEach(function (i) {
          serverIds[i.id] = true;
          if (i.clientId) known[i.clientId] = true;
        });
        // The customer's own messages the server has not stored yet (in flight, or acked but not processed) stay.
        var locals = items.filter(function (i) {
          return i.local && !known[i.clientId];
        });
        items = fromServer.concat(locals);
        saveLocals();
        ready = serial === connection;
        attempt = 0;
        everOnline = true;
        setConnection('online');
        botTyping(false);
        render(true);
        flush();
        break;
      }
      case 'message': {
        if (!m.id || serverIds[m.id]) break;
        serverIds[m.id] = true;
        items.push(serverItem({ id: m.id, direction: m.direction || 'out', content: m.content, createdAt: m.createdAt, status: 'sent' }));
        botTyping(false);
        render();
        if (!isOpen) notifyUnread(m.content || {});
        break;
      }
      case 'ack': {
        var acked = findLocal(m.id);
        if (!acked) break;
        acked.status = 'sent';
        acked.payload = null;
        saveLocals();
        if (!m.duplicate) botTyping(true);
        render();
        break;
      }
      case 'error': {
        var failed = m.id ? findLocal(m.id) : null;
        if (!failed) {
          if (console && console.warn) console.warn('[signalbox]', m.error, m.message || '');
          break;
        }
        if (m.error === 'not_accepted') {
          // The runner could not store it right now: the same id again shortly is safe.
          failed.sentOn = null;
          setTimeout(flush, 2000);
          break;
        }
        failed.status = 'failed';
        failed.error = T.notSent;
        failed.payload = null;
        saveLocals();
        render();
        break;
      }
    }
  }

  // ---- what the customer does ----

  var typingActive = false;
  var typingSentAt = 0;
  var typingIdleTimer = null;

  function customerTyping() {
    if (!ready) return;
    var now = Date.now();
    if (!typingActive || now - typingSentAt > TYPING_REPEAT_MS) {
      if (sendFrame({ type: 'typing', active: true })) {
        typingActive = true;
        typingSentAt = now;
      }
    }
    clearTimeout(typingIdleTimer);
    typingIdleTimer = setTimeout(customerStoppedTyping, TYPING_IDLE_MS);
  }
  function customerStoppedTyping() {
    clearTimeout(typingIdleTimer);
    if (typingActive && ready) sendFrame({ type: 'typing', active: false });
    typingActive = false;
  }

  function started() {
    storage.set(KEY + ':started', '1');
    if (!ws) connect();
  }

  function sendMessage(payload, content) {
    var clientId = randomId();
    payload.id = clientId;
    items.push(localItem(clientId, content, 'pending', payload));
    customerStoppedTyping();
    saveLocals();
    started();
    render(true);
    flush();
  }

  function sendText(text) {
    sendMessage({ type: 'message', text: text }, { type: 'text', text: text });
  }

  function choose(button) {
    sendMessage({ type: 'reply', replyId: button.id, title: button.title, kind: button.kind || 'button' }, { type: 'interactive', id: button.id, title: button.title, kind: button.kind || 'button' });
  }

  function sendFile(file) {
    var mimeType = (file.type || '').toLowerCase();
    if (!LIMITS.types[mimeType]) return toast(T.fileTypes);
    if (file.size > LIMITS.maxBytes) return toast(T.fileTooLarge.replace('{mb}', String(Math.round(LIMITS.maxBytes / 1048576))));
    if (file.size === 0) return toast(T.fileEmpty);
    var clientId = randomId();
    var image = mimeType.indexOf('image/') === 0;
    var item = localItem(clientId, { type: image ? 'image' : 'file', url: image ? URL.createObjectURL(file) : null, name: file.name, mimeType: mimeType, size: file.size }, 'uploading', null);
    item.progress = 0;
    item.file = file;
    items.push(item);
    started();
    render(true);
    upload(item);
  }

  function upload(item) {
    var file = item.file;
    item.status = 'uploading';
    item.progress = 0;
    item.error = null;
    render();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', base + 'chat/' + encodeURIComponent(channelId) + '/upload?session=' + encodeURIComponent(ensureSession()));
    xhr.setRequestHeader('Content-Type', item.content.mimeType);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      item.progress = event.loaded / event.total;
      syncItem(item);
    };
    xhr.onload = function () {
      var body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201 && body && body.url) {
        item.status = 'pending';
        item.file = null;
        item.payload = { type: 'attachment', id: item.clientId, url: body.url, mimeType: body.mimeType, name: body.name };
        // The page keeps showing the local preview; a reload shows the stored file.
        item.persistedContent = { type: body.type, url: body.url, name: body.name, mimeType: body.mimeType, size: body.size };
        saveLocals();
        render();
        flush();
        return;
      }
      uploadFailed(item, (body && body.message) || T.uploadFailed, xhr.status >= 500 || xhr.status === 0);
    };
    xhr.onerror = function () {
      uploadFailed(item, T.uploadOffline, true);
    };
    xhr.send(file);
  }

  function uploadFailed(item, message, retryable) {
    item.status = 'failed';
    item.error = retryable ? T.notSent : message.charAt(0).toUpperCase() + message.slice(1);
    item.retry = retryable ? function () { upload(item); } : null;
    render();
  }

  // ---- the DOM ----

  var host = document.createElement('signalbox-chat');
  var shadow = host.attachShadow({ mode: 'open' });
  var icons = {
    chat: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21 11.5a8.4 8.4 0 0 1-9 8.4 9.6 9.6 0 0 1-3.9-.8L3 20.5l1.5-4.3A8 8 0 0 1 3 11.5 8.6 8.6 0 0 1 12 3a8.6 8.6 0 0 1 9 8.5z"/></svg>',
    close: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><path d="M6 9l6 6 6-6"/></svg>',
    x: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"><path d="M6 6l12 12M18 6L6 18"/></svg>',
    send: '<svg viewBox="0 0 24 24" fill="currentColor"><path d="M3.4 20.4 21 12 3.4 3.6l.1 6.5L15 12 3.5 13.9z"/></svg>',
    clip: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21.4 11.1 12.2 20.3a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5"/></svg>',
    bot: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="12" r="1.6" fill="currentColor" stroke="none"/><path d="M8.5 15.5a5 5 0 0 1 0-7M15.5 8.5a5 5 0 0 1 0 7"/><path d="M5.6 18.4a9 9 0 0 1 0-12.8M18.4 5.6a9 9 0 0 1 0 12.8"/></svg>',
    file: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"><path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/></svg>',
  };

  shadow.innerHTML =
    '<style>' + CSS() + '</style>' +
    '<div class="sb-root" data-position="' + options.position + '">' +
    '  <section class="sb-panel" role="dialog" aria-modal="false" hidden>' +
    '    <header class="sb-header">' +
    '      <span class="sb-avatar" aria-hidden="true">' + icons.bot + '</span>' +
    '      <div class="sb-who"><h2 class="sb-title"></h2><p class="sb-status"><span class="sb-dot"></span><span class="sb-status-text"></span></p></div>' +
    '      <button type="button" class="sb-icon-button sb-close">' + icons.close + '</button>' +
    '    </header>' +
    '    <div class="sb-banner" role="status" hidden></div>' +
    '    <div class="sb-log" role="log" aria-live="polite"></div>' +
    '    <div class="sb-toast" role="alert" hidden></div>' +
    '    <form class="sb-composer" autocomplete="off">' +
    '      <div class="sb-field">' +
    '        <button type="button" class="sb-icon-button sb-attach">' + icons.clip + '</button>' +
    '        <textarea class="sb-input" rows="1" maxlength="4000"></textarea>' +
    '        <button type="submit" class="sb-send" disabled>' + icons.send + '</button>' +
    '      </div>' +
    '      <input type="file" class="sb-file-input" hidden>' +
    '    </form>' +
    '    <p class="sb-powered"><span class="sb-powered-by"></span> <strong>Signalbox</strong></p>' +
    '  </section>' +
    '  <div class="sb-preview" role="status" hidden><button type="button" class="sb-preview-close">' + icons.x + '</button><p class="sb-preview-from"></p><p class="sb-preview-text"></p></div>' +
    '  <button type="button" class="sb-launcher" aria-expanded="false">' +
    '    <span class="sb-launcher-icon sb-launcher-chat">' + icons.chat + '</span><span class="sb-launcher-icon sb-launcher-close">' + icons.close + '</span>' +
    '    <span class="sb-badge" hidden></span>' +
    '  </button>' +
    '</div>';

  var $ = function (selector) {
    return shadow.querySelector(selector);
  };
  var root = $('.sb-root');
  var panel = $('.sb-panel');
  var log = $('.sb-log');
  var input = $('.sb-input');
  var sendButton = $('.sb-send');
  var fileInput = $('.sb-file-input');
  var launcher = $('.sb-launcher');
  var badge = $('.sb-badge');
  var banner = $('.sb-banner');
  var toastEl = $('.sb-toast');
  var preview = $('.sb-preview');
  if (options.color) root.style.setProperty('--sb-accent', options.color);
  // The widget's words go in as text and attributes, never parsed as HTML; Arabic mirrors the layout.
  [
    ['.sb-panel', 'aria-label', T.chat],
    ['.sb-close', 'aria-label', T.closeChat],
    ['.sb-log', 'aria-label', T.messages],
    ['.sb-attach', 'aria-label', T.attachFile],
    ['.sb-attach', 'title', T.attachHint],
    ['.sb-input', 'placeholder', T.placeholder],
    ['.sb-input', 'aria-label', T.message],
    ['.sb-send', 'aria-label', T.send],
    ['.sb-preview-close', 'aria-label', T.dismiss],
    ['.sb-launcher', 'aria-label', T.openChat],
  ].forEach(function (label) {
    $(label[0]).setAttribute(label[1], label[2]);
  });
  $('.sb-powered-by').textContent = T.poweredBy;
  root.setAttribute('lang', language);
  root.setAttribute('dir', TEXT.rightToLeft.indexOf(language) >= 0 ? 'rtl' : 'ltr');
  fileInput.setAttribute(
    'accept',
    Object.keys(LIMITS.types)
      .concat(
        Object.keys(LIMITS.types).map(function (t) {
          return '.' + LIMITS.types[t];
        }),
      )
      .join(','),
  );

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** Only web and blob addresses become links or sources: a message can never carry `javascript:`. */
  function safeUrl(value) {
    if (typeof value !== 'string' || !value) return null;
    try {
      var url = new URL(value, base);
      return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'blob:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function linkified(text) {
    var fragment = document.createDocumentFragment();
    var pattern = /\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)"'\]]/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var a = el('a', null, match[0]);
      a.href = match[0];
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      fragment.appendChild(a);
      last = match.index + match[0].length;
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function textOf(c) {
    switch (c.type) {
      case 'text':
        return c.text || '';
      case 'list':
        return c.text || '';
      case 'template':
        return c.fallbackText || '';
      case 'interactive':
        return c.title || '';
      case 'postback':
        return c.title || c.payload || '';
      case 'location':
        return '📍 ' + (c.name || c.address || c.latitude + ', ' + c.longitude);
      case 'contacts':
        return (c.contacts || []).map(function (x) { return x.name; }).join(', ');
      case 'reaction':
        return c.emoji || '';
      case 'media':
        return c.caption || '';
      case 'image':
      case 'video':
      case 'audio':
      case 'file':
      case 'sticker':
        return c.caption || '';
      default:
        return c.text || '';
    }
  }

  function mediaOf(c) {
    if (c.type === 'media' && c.attachment) return { kind: c.attachment.type, url: c.attachment.url, name: c.attachment.name, mimeType: c.attachment.mimeType };
    if (c.type === 'image' || c.type === 'video' || c.type === 'audio' || c.type === 'file' || c.type === 'sticker') {
      return { kind: c.type === 'sticker' ? 'image' : c.type, url: c.url, name: c.name, mimeType: c.mimeType, size: c.size };
    }
    return null;
  }

  /** Buttons that stay with their message; quick replies are shown only under the last message. */
  function buttonsOf(c) {
    if (c.type === 'list') {
      var rows = [];
      (c.sections || []).forEach(function (s) {
        (s.rows || []).forEach(function (r) {
          rows.push({ id: r.id, title: r.title, description: r.description, kind: 'list' });
        });
      });
      return rows;
    }
    if ((c.type === 'text' && !c.quickReplies) || c.type === 'media') return c.buttons || [];
    return [];
  }
  function quickRepliesOf(c) {
    return c.type === 'text' && c.quickReplies ? c.buttons || [] : [];
  }

  function fileSize(bytes) {
    if (!bytes && bytes !== 0) return '';
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1048576) return Math.round(bytes / 1024) + ' KB';
    return (bytes / 1048576).toFixed(1) + ' MB';
  }

  function mediaNode(media) {
    var url = safeUrl(media.url);
    if (media.kind === 'image' && url) {
      var link = el('a', 'sb-image');
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      var img = el('img');
      img.src = url;
      img.alt = media.name || T.picture;
      img.addEventListener('load', keepAtBottom);
      link.appendChild(img);
      link.appendChild(el('span', 'sb-progress'));
      return link;
    }
    if (media.kind === 'video' && url) {
      var video = el('video', 'sb-video');
      video.src = url;
      video.controls = true;
      video.preload = 'metadata';
      return video;
    }
    if (media.kind === 'audio' && url) {
      var audio = el('audio', 'sb-audio');
      audio.src = url;
      audio.controls = true;
      audio.preload = 'metadata';
      return audio;
    }
    var card = el(url ? 'a' : 'div', 'sb-file');
    if (url) {
      card.href = url;
      card.target = '_blank';
      card.rel = 'noopener noreferrer';
    }
    var icon = el('span', 'sb-file-icon');
    icon.innerHTML = icons.file;
    var extension = ((media.name || '').split('.').pop() || '').slice(0, 4).toUpperCase();
    var label = el('span', 'sb-file-text');
    label.appendChild(el('span', 'sb-file-name', media.name || T.attachment));
    label.appendChild(el('span', 'sb-file-info', [extension, fileSize(media.size)].filter(Boolean).join(' · ') || T.download));
    card.appendChild(icon);
    card.appendChild(label);
    card.appendChild(el('span', 'sb-progress'));
    return card;
  }

  function buildRow(item) {
    var c = item.content || {};
    var row = el('div', 'sb-row ' + item.direction);
    row.setAttribute('data-direction', item.direction);
    var media = mediaOf(c);
    var text = textOf(c);
    var bubble = el('div', 'sb-bubble');
    if (media) {
      bubble.classList.add('sb-has-media');
      bubble.appendChild(mediaNode(media));
    }
    if (text) bubble.appendChild(el('p', 'sb-text')).appendChild(linkified(text));
    if (!media && !text) bubble.appendChild(el('p', 'sb-text sb-muted', T.unsupported));
    if (media && !text && media.kind === 'image') bubble.classList.add('sb-media-only');
    row.appendChild(bubble);
    var buttons = item.direction === 'out' ? buttonsOf(c) : [];
    if (buttons.length) {
      var actions = el('div', 'sb-actions');
      buttons.forEach(function (b) {
        var button = el('button', 'sb-action', b.title);
        button.type = 'button';
        if (b.description) button.title = b.description;
        button.addEventListener('click', function () {
          choose(b);
        });
        actions.appendChild(button);
      });
      row.appendChild(actions);
    }
    var meta = el('div', 'sb-meta');
    meta.appendChild(el('span', 'sb-time'));
    meta.appendChild(el('span', 'sb-state'));
    row.appendChild(meta);
    return row;
  }

  function timeOf(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  /** The parts of a row that change after it is shown: delivery state and upload progress. */
  function syncItem(item) {
    var row = rows[item.key];
    if (!row) return;
    row.setAttribute('data-status', item.status || '');
    row.querySelector('.sb-time').textContent = timeOf(item.createdAt);
    var state = row.querySelector('.sb-state');
    state.textContent = '';
    if (item.local) {
      var label = { uploading: T.uploading.replace('{percent}', String(Math.round((item.progress || 0) * 100))), pending: T.sending, sent: T.sent, failed: item.error || T.notSent }[item.status] || '';
      state.textContent = label;
      if (item.status === 'failed' && item.retry) {
        var retry = el('button', 'sb-retry', T.retry);
        retry.type = 'button';
        retry.addEventListener('click', item.retry);
        state.appendChild(retry);
      }
    }
    var progress = row.querySelector('.sb-progress');
    if (progress) progress.style.setProperty('--sb-progress', String(item.status === 'uploading' ? item.progress || 0 : 1));
  }

  var rows = {};
  var intro = (function () {
    var node = el('div', 'sb-intro');
    var avatar = el('span', 'sb-intro-avatar');
    avatar.innerHTML = icons.bot;
    node.appendChild(avatar);
    node.appendChild(el('p', 'sb-intro-title', options.greeting));
    node.appendChild(el('p', 'sb-intro-text', T.intro));
    return node;
  })();
  var typing = (function () {
    var node = el('div', 'sb-row out sb-typing');
    node.setAttribute('aria-label', T.typing);
    var bubble = el('div', 'sb-bubble');
    bubble.appendChild(el('span', 'sb-dot-1'));
    bubble.appendChild(el('span', 'sb-dot-2'));
    bubble.appendChild(el('span', 'sb-dot-3'));
    node.appendChild(bubble);
    return node;
  })();

  var typingVisible = false;
  var typingTimer = null;
  /** The bot "types" from the ack of a customer's message until its answer, or for 15 s at most. */
  function botTyping(on) {
    clearTimeout(typingTimer);
    typingVisible = on;
    if (on) {
      typingTimer = setTimeout(function () {
        botTyping(false);
        render();
      }, BOT_TYPING_TIMEOUT_MS);
    }
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }
  function keepAtBottom() {
    if (stickToBottom) log.scrollTop = log.scrollHeight;
  }
  var stickToBottom = true;
  log.addEventListener('scroll', function () {
    stickToBottom = nearBottom();
  });

  /** Brings the log in line with `items`, reusing the rows already shown (images are not reloaded). */
  function render(scroll) {
    var wanted = [];
    var next = {};
    if (!items.length) wanted.push(intro);
    items.forEach(function (item) {
      var row = rows[item.key] || buildRow(item);
      next[item.key] = row;
      wanted.push(row);
    });
    rows = next;
    var last = items[items.length - 1];
    var quick = last && last.direction === 'out' ? quickRepliesOf(last.content || {}) : [];
    if (quick.length) {
      var chips = el('div', 'sb-chips');
      chips.setAttribute('role', 'group');
      chips.setAttribute('aria-label', T.suggestedReplies);
      quick.forEach(function (b) {
        var chip = el('button', 'sb-chip', b.title);
        chip.type = 'button';
        chip.addEventListener('click', function () {
          choose(b);
        });
        chips.appendChild(chip);
      });
      wanted.push(chips);
    }
    if (typingVisible) wanted.push(typing);
    var cursor = log.firstChild;
    wanted.forEach(function (node) {
      if (node === cursor) {
        cursor = cursor.nextSibling;
        return;
      }
      log.insertBefore(node, cursor);
    });
    while (cursor) {
      var after = cursor.nextSibling;
      log.removeChild(cursor);
      cursor = after;
    }
    items.forEach(syncItem);
    if (scroll) stickToBottom = true;
    keepAtBottom();
  }

  var connectionState = 'idle';
  var bannerTimer = null;
  function setConnection(state) {
    connectionState = state;
    renderHeader();
    clearTimeout(bannerTimer);
    if (state === 'reconnecting' || state === 'unavailable') {
      // A blip that heals within a second is not worth a banner.
      bannerTimer = setTimeout(function () {
        banner.textContent = state === 'unavailable' ? T.bannerUnavailable : T.bannerReconnecting;
        banner.hidden = false;
        keepAtBottom();
      }, state === 'unavailable' ? 0 : 1000);
    } else if (!banner.hidden) {
      banner.hidden = true;
      keepAtBottom();
    }
  }

  function renderHeader() {
    $('.sb-title').textContent = options.title || channelName || T.chatWithUs;
    var labels = {
      idle: options.subtitle || T.statusIdle,
      connecting: T.statusConnecting,
      reconnecting: T.statusReconnecting,
      online: options.subtitle || T.statusOnline,
      unavailable: T.statusUnavailable,
    };
    $('.sb-status-text').textContent = labels[connectionState] || '';
    root.setAttribute('data-connection', connectionState);
  }

  var toastTimer = null;
  function toast(message) {
    toastEl.textContent = message;
    toastEl.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      toastEl.hidden = true;
    }, 5000);
  }

  var isOpen = false;
  var unread = 0;
  function setOpen(open) {
    isOpen = open;
    panel.hidden = !open;
    root.classList.toggle('sb-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? T.closeChat : T.openChat);
    storage.set(KEY + ':open', open ? '1' : '0');
    if (!open) return;
    unread = 0;
    badge.hidden = true;
    preview.hidden = true;
    if (!ws) connect();
    render(true);
    // A phone's keyboard would cover the conversation the moment it opens.
    if (!(window.matchMedia && window.matchMedia('(pointer: coarse)').matches)) input.focus();
  }

  function notifyUnread(content) {
    unread += 1;
    badge.textContent = unread > 9 ? '9+' : String(unread);
    badge.hidden = false;
    var text = textOf(content) || (mediaOf(content) ? T.sentAttachment : '');
    if (!text) return;
    $('.sb-preview-from').textContent = options.title || channelName || T.newMessage;
    $('.sb-preview-text').textContent = text;
    preview.hidden = false;
  }

  launcher.addEventListener('click', function () {
    setOpen(!isOpen);
  });
  $('.sb-close').addEventListener('click', function () {
    setOpen(false);
    launcher.focus();
  });
  preview.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('.sb-preview-close')) {
      preview.hidden = true;
      return;
    }
    setOpen(true);
  });
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      setOpen(false);
      launcher.focus();
    }
  });

  function autoGrow() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
    sendButton.disabled = !input.value.trim();
  }
  input.addEventListener('input', function () {
    autoGrow();
    if (input.value.trim()) customerTyping();
    else customerStoppedTyping();
  });
  input.addEventListener('keydown', function (event) {
    // Enter sends, Shift+Enter breaks the line; never while an input method is composing (Chinese, Japanese…).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('blur', customerStoppedTyping);
  input.addEventListener('paste', function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (files && files.length) {
      event.preventDefault();
      sendFile(files[0]);
    }
  });
  function submit() {
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    autoGrow();
    sendText(text);
  }
  $('.sb-composer').addEventListener('submit', function (event) {
    event.preventDefault();
    submit();
    input.focus();
  });
  $('.sb-attach').addEventListener('click', function () {
    fileInput.click();
  });
  fileInput.addEventListener('change', function () {
    if (fileInput.files && fileInput.files[0]) sendFile(fileInput.files[0]);
    fileInput.value = '';
  });
  panel.addEventListener('dragover', function (event) {
    event.preventDefault();
  });
  panel.addEventListener('drop', function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) sendFile(files[0]);
  });

  function mount() {
    document.body.appendChild(host);
    renderHeader();
    render(true);
    // Visitors who never chat cost the runner nothing but this script: the socket opens with the chat, or
    // at once for a visitor who already has a conversation (to show replies that came meanwhile).
    if (storage.get(KEY + ':open') === '1') setOpen(true);
    else if (session && storage.get(KEY + ':started') === '1') connect();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  function CSS() {
    return [
      // `all: initial` cuts every inherited property (font, color, line-height…) of the shop's page.
      ':host { all: initial !important; }',
      '.sb-root { --sb-accent: #4f46e5; --sb-ink: #111827; --sb-muted: #6b7280; --sb-line: #e7e8ee; --sb-bubble: #f1f2f6; --sb-bg: #ffffff;',
      '  font: 14.5px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: var(--sb-ink);',
      '  -webkit-font-smoothing: antialiased; }',
      '.sb-root *, .sb-root *::before, .sb-root *::after { box-sizing: border-box; }',
      '.sb-root button, .sb-root textarea { font: inherit; color: inherit; }',
      '.sb-root p, .sb-root h2 { margin: 0; }',
      '[hidden] { display: none !important; }',

      '.sb-launcher { position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; width: 60px; height: 60px; border: 0; border-radius: 50%; cursor: pointer;',
      '  background: var(--sb-accent); color: #fff; display: grid; place-items: center; padding: 0;',
      '  box-shadow: 0 10px 28px -6px rgba(17, 24, 39, .45), 0 2px 6px rgba(17, 24, 39, .12); transition: transform .18s ease, box-shadow .18s ease; }',
      '.sb-launcher:hover { transform: translateY(-2px) scale(1.03); }',
      '.sb-launcher:focus-visible, .sb-root button:focus-visible { outline: 3px solid color-mix(in srgb, var(--sb-accent) 45%, transparent); outline-offset: 2px; }',
      '.sb-launcher-icon { grid-area: 1 / 1; display: grid; place-items: center; transition: transform .22s ease, opacity .22s ease; }',
      '.sb-launcher-icon svg { width: 28px; height: 28px; }',
      '.sb-launcher-close { opacity: 0; transform: rotate(-90deg) scale(.6); }',
      '.sb-open .sb-launcher-chat { opacity: 0; transform: rotate(90deg) scale(.6); }',
      '.sb-open .sb-launcher-close { opacity: 1; transform: none; }',
      '.sb-badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px; background: #ef4444; color: #fff;',
      '  font-size: 11.5px; font-weight: 700; line-height: 20px; text-align: center; box-shadow: 0 0 0 2px #fff; }',

      '.sb-panel { position: fixed; bottom: 92px; right: 20px; z-index: 2147483000; width: 384px; height: min(640px, calc(100vh - 120px));',
      '  display: flex; flex-direction: column; background: var(--sb-bg); border-radius: 18px; overflow: hidden;',
      '  box-shadow: 0 24px 64px -16px rgba(17, 24, 39, .38), 0 0 0 1px rgba(17, 24, 39, .06);',
      '  transform-origin: bottom right; animation: sb-pop .22s cubic-bezier(.2, .9, .3, 1.2); }',
      '@keyframes sb-pop { from { opacity: 0; transform: translateY(12px) scale(.96); } to { opacity: 1; transform: none; } }',
      '[data-position="left"] .sb-launcher, [data-position="left"] .sb-panel, [data-position="left"] .sb-preview { right: auto; left: 20px; }',
      '[data-position="left"] .sb-panel { transform-origin: bottom left; }',

      '.sb-header { display: flex; align-items: center; gap: 12px; padding: 16px 14px 16px 18px; color: #fff;',
      '  background: var(--sb-accent); background: linear-gradient(135deg, var(--sb-accent), color-mix(in srgb, var(--sb-accent) 72%, #000)); }',
      '.sb-avatar { width: 40px; height: 40px; flex: none; border-radius: 50%; display: grid; place-items: center; background: rgba(255, 255, 255, .18); box-shadow: inset 0 0 0 1px rgba(255, 255, 255, .25); }',
      '.sb-avatar svg { width: 22px; height: 22px; }',
      '.sb-who { flex: 1; min-width: 0; }',
      '.sb-title { font-size: 16px; font-weight: 650; letter-spacing: -.01em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }',
      '.sb-status { display: flex; align-items: center; gap: 6px; font-size: 12.5px; opacity: .88; margin-top: 1px; }',
      '.sb-dot { width: 8px; height: 8px; border-radius: 50%; background: #cbd5e1; flex: none; }',
      '[data-connection="online"] .sb-dot { background: #34d399; box-shadow: 0 0 0 3px rgba(52, 211, 153, .25); }',
      '[data-connection="reconnecting"] .sb-dot, [data-connection="connecting"] .sb-dot { background: #fbbf24; }',
      '.sb-icon-button { border: 0; background: transparent; cursor: pointer; display: grid; place-items: center; border-radius: 10px; padding: 0; }',
      '.sb-close { width: 36px; height: 36px; color: #fff; }',
      '.sb-close:hover { background: rgba(255, 255, 255, .16); }',
      '.sb-close svg { width: 22px; height: 22px; }',
      '.sb-banner { padding: 8px 16px; font-size: 12.5px; color: #92400e; background: #fffbeb; border-bottom: 1px solid #fde68a; }',

      '.sb-log { flex: 1; overflow-y: auto; padding: 18px 16px 8px; display: flex; flex-direction: column; gap: 3px; background: var(--sb-bg); overscroll-behavior: contain; }',
      '.sb-intro { margin: auto 12px; text-align: center; color: var(--sb-muted); display: flex; flex-direction: column; align-items: center; gap: 6px; }',
      '.sb-intro-avatar { width: 56px; height: 56px; border-radius: 50%; display: grid; place-items: center; color: #fff; background: var(--sb-accent); margin-bottom: 6px; }',
      '.sb-intro-avatar svg { width: 28px; height: 28px; }',
      '.sb-intro-title { color: var(--sb-ink); font-size: 18px; font-weight: 650; }',
      '.sb-intro-text { font-size: 13.5px; max-width: 260px; }',

      '.sb-row { display: flex; flex-direction: column; max-width: 80%; }',
      '.sb-row.in { align-self: flex-end; align-items: flex-end; }',
      '.sb-row.out { align-self: flex-start; align-items: flex-start; }',
      '.sb-row.in + .sb-row.out, .sb-row.out + .sb-row.in, .sb-chips + .sb-row { margin-top: 10px; }',
      '.sb-bubble { padding: 9px 13px; border-radius: 18px; overflow-wrap: anywhere; white-space: pre-wrap; }',
      '.in .sb-bubble { background: var(--sb-accent); color: #fff; }',
      '.out .sb-bubble { background: var(--sb-bubble); }',
      // Consecutive messages of one side read as one group: tighter corners where they touch.
      '.sb-row.in:has(+ .sb-row.in) .sb-bubble { border-bottom-right-radius: 6px; }',
      '.sb-row.in + .sb-row.in .sb-bubble { border-top-right-radius: 6px; }',
      '.sb-row.out:has(+ .sb-row.out) .sb-bubble { border-bottom-left-radius: 6px; }',
      '.sb-row.out + .sb-row.out .sb-bubble { border-top-left-radius: 6px; }',
      '.sb-text a { color: inherit; text-decoration: underline; text-underline-offset: 2px; }',
      '.sb-muted { opacity: .7; font-style: italic; }',
      '.sb-meta { display: flex; gap: 6px; align-items: center; font-size: 11.5px; color: var(--sb-muted); margin: 3px 6px 4px; }',
      // Time and state under the last message of a group only (a message still sending or failed keeps its own).
      '.sb-row.out:has(+ .sb-row.out) .sb-meta { display: none; }',
      '.sb-row.in:has(+ .sb-row.in):not([data-status="pending"]):not([data-status="failed"]):not([data-status="uploading"]) .sb-meta { display: none; }',
      '.sb-state:empty { display: none; }',
      '.sb-time:not(:empty) + .sb-state:not(:empty)::before { content: "·"; margin-right: 6px; }',
      '[data-status="failed"] .sb-state { color: #dc2626; font-weight: 600; }',
      '[data-status="failed"] .sb-bubble { opacity: .75; }',
      '.sb-retry { border: 0; background: none; color: var(--sb-accent); font-weight: 600; cursor: pointer; padding: 0 0 0 6px; text-decoration: underline; }',

      '.sb-has-media { padding: 4px; }',
      '.sb-has-media .sb-text { padding: 5px 9px 4px; }',
      '.sb-media-only { padding: 0; background: transparent !important; }',
      '.sb-image { position: relative; display: block; border-radius: 14px; overflow: hidden; line-height: 0; }',
      '.sb-image img { display: block; max-width: 240px; max-height: 260px; min-width: 80px; min-height: 60px; object-fit: cover; background: var(--sb-bubble); }',
      '.sb-media-only .sb-image { box-shadow: 0 0 0 1px rgba(17, 24, 39, .08); }',
      '.sb-video { display: block; max-width: 260px; border-radius: 14px; }',
      '.sb-audio { display: block; width: 240px; }',
      '.sb-file { position: relative; display: flex; align-items: center; gap: 10px; padding: 9px 12px 9px 9px; min-width: 200px; border-radius: 14px; text-decoration: none; color: inherit;',
      '  background: rgba(255, 255, 255, .14); overflow: hidden; }',
      '.out .sb-file { background: #fff; box-shadow: 0 0 0 1px var(--sb-line); }',
      '.sb-file-icon { width: 38px; height: 38px; flex: none; border-radius: 10px; display: grid; place-items: center; background: rgba(255, 255, 255, .2); }',
      '.out .sb-file-icon { background: color-mix(in srgb, var(--sb-accent) 12%, #fff); color: var(--sb-accent); }',
      '.sb-file-icon svg { width: 20px; height: 20px; }',
      '.sb-file-text { display: flex; flex-direction: column; min-width: 0; }',
      '.sb-file-name { font-weight: 600; font-size: 13.5px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 190px; }',
      '.sb-file-info { font-size: 12px; opacity: .75; }',
      // Upload progress: a bar along the bottom of the picture or file card.
      '.sb-progress { position: absolute; left: 0; bottom: 0; height: 3px; width: 100%; transform-origin: left; transform: scaleX(var(--sb-progress, 1));',
      '  background: rgba(255, 255, 255, .9); transition: transform .2s; }',
      '[data-status="uploading"] .sb-image img { filter: saturate(.6) brightness(.85); }',
      ':not([data-status="uploading"]) > .sb-bubble .sb-progress { display: none; }',

      '.sb-actions { display: flex; flex-direction: column; gap: 6px; margin-top: 6px; min-width: 200px; }',
      '.sb-action { border: 1px solid var(--sb-line); background: #fff; color: var(--sb-accent); font-weight: 600; font-size: 13.5px; padding: 8px 14px; border-radius: 12px; cursor: pointer; text-align: center; transition: background .15s, border-color .15s; }',
      '.sb-action:hover { background: color-mix(in srgb, var(--sb-accent) 7%, #fff); border-color: color-mix(in srgb, var(--sb-accent) 35%, #fff); }',
      '.sb-chips { display: flex; flex-wrap: wrap; gap: 8px; justify-content: flex-end; margin: 8px 0 2px auto; max-width: 92%; animation: sb-rise .25s ease; }',
      '.sb-chip { border: 1.5px solid var(--sb-accent); color: var(--sb-accent); background: #fff; border-radius: 999px; padding: 7px 15px; font-size: 13.5px; font-weight: 600; cursor: pointer; transition: background .15s, color .15s; }',
      '.sb-chip:hover { background: var(--sb-accent); color: #fff; }',
      '@keyframes sb-rise { from { opacity: 0; transform: translateY(6px); } to { opacity: 1; transform: none; } }',

      '.sb-typing { margin-top: 10px; }',
      '.sb-typing .sb-bubble { display: flex; gap: 4px; padding: 13px 15px; }',
      '.sb-typing span { width: 7px; height: 7px; border-radius: 50%; background: #9ca3af; animation: sb-bounce 1.2s infinite ease-in-out; }',
      '.sb-typing .sb-dot-2 { animation-delay: .15s; } .sb-typing .sb-dot-3 { animation-delay: .3s; }',
      '@keyframes sb-bounce { 0%, 60%, 100% { transform: translateY(0); opacity: .55; } 30% { transform: translateY(-4px); opacity: 1; } }',

      '.sb-toast { margin: 0 14px 8px; padding: 8px 12px; border-radius: 10px; font-size: 13px; color: #991b1b; background: #fef2f2; box-shadow: inset 0 0 0 1px #fecaca; }',
      '.sb-composer { padding: 8px 12px 4px; border-top: 1px solid var(--sb-line); background: var(--sb-bg); }',
      '.sb-field { display: flex; align-items: flex-end; gap: 4px; padding: 5px; border-radius: 22px; background: #f4f5f8; box-shadow: inset 0 0 0 1px transparent; transition: box-shadow .15s, background .15s; }',
      '.sb-field:focus-within { background: #fff; box-shadow: inset 0 0 0 1.5px var(--sb-accent); }',
      '.sb-attach { width: 34px; height: 34px; color: var(--sb-muted); border-radius: 50%; flex: none; }',
      '.sb-attach:hover { color: var(--sb-accent); background: color-mix(in srgb, var(--sb-accent) 8%, transparent); }',
      '.sb-attach svg { width: 19px; height: 19px; }',
      '.sb-input { flex: 1; min-width: 0; border: 0; outline: 0; resize: none; background: transparent; padding: 7px 4px; max-height: 120px; line-height: 20px; font-size: 14.5px; }',
      '.sb-input::placeholder { color: #9ca3af; }',
      '.sb-send { width: 34px; height: 34px; flex: none; border: 0; border-radius: 50%; background: var(--sb-accent); color: #fff; cursor: pointer; display: grid; place-items: center; padding: 0; transition: opacity .15s, transform .15s; }',
      '.sb-send svg { width: 17px; height: 17px; margin-left: 2px; }',
      // Right to left, the arrow points the way the text goes.
      '.sb-root[dir="rtl"] .sb-send svg { transform: scaleX(-1); margin-left: 0; margin-right: 2px; }',
      '.sb-send:disabled { opacity: .35; cursor: default; }',
      '.sb-send:not(:disabled):hover { transform: scale(1.06); }',
      '.sb-powered { text-align: center; font-size: 11px; color: #9ca3af; padding: 4px 0 8px; background: var(--sb-bg); }',
      '.sb-powered strong { font-weight: 600; color: #6b7280; }',

      '.sb-preview { position: fixed; bottom: 92px; right: 20px; z-index: 2147483000; width: 272px; padding: 12px 34px 12px 14px; border-radius: 14px; background: #fff; cursor: pointer;',
      '  box-shadow: 0 16px 40px -12px rgba(17, 24, 39, .35), 0 0 0 1px rgba(17, 24, 39, .06); animation: sb-rise .25s ease; }',
      '.sb-preview-from { font-size: 12px; font-weight: 650; color: var(--sb-accent); margin-bottom: 2px; }',
      '.sb-preview-text { font-size: 13.5px; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }',
      '.sb-preview-close { position: absolute; top: 6px; right: 6px; width: 24px; height: 24px; border: 0; background: none; color: var(--sb-muted); cursor: pointer; padding: 3px; border-radius: 6px; }',
      '.sb-preview-close svg { width: 18px; height: 18px; }',
      '.sb-open .sb-preview { display: none; }',

      // A phone gets the whole screen.
      '@media (max-width: 480px) {',
      '  .sb-panel { inset: 0; width: auto; height: auto; border-radius: 0; animation: none; }',
      '  .sb-open .sb-launcher { display: none; }',
      '}',
      '@media (prefers-reduced-motion: reduce) { .sb-root * { animation: none !important; transition: none !important; } }',
    ].join('\n');
  }
})();
