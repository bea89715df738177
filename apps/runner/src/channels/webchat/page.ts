import { LOCALE_TAG, RIGHT_TO_LEFT, UI_TEXT, type UiLanguage } from './ui-text.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A value as JavaScript source inside a <script>: JSON with `<` escaped, so "</script>" in a string cannot end it. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * A small, dependency-free chat page for trying a bot: history, live replies, buttons, reconnects; its own words
 * in `language` (right to left for Arabic).
 */
export function chatPage(channelId: string, title: string, language: UiLanguage = 'en'): string {
  const t = UI_TEXT[language];
  return `<!doctype html>
<html lang="${language}" dir="${RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Signalbox chat</title>
<style>
  :root { --bg:#eef0f5; --panel:#fff; --ink:#1c2230; --muted:#687086; --brand:#4338ca; --brand-soft:#eef0ff; --line:#e3e6ec; --bot:#f1f3f7; }
  * { box-sizing: border-box; }
  html, body { height:100%; }
  body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--ink); display:flex; flex-direction:column; align-items:center; justify-content:center; }
  .chat { width:100%; height:100%; display:flex; flex-direction:column; background:var(--panel); }
  header { padding:14px 18px; border-bottom:1px solid var(--line); display:flex; align-items:center; gap:12px; }
  .avatar { width:38px; height:38px; border-radius:50%; background:var(--brand); color:#fff; display:grid; place-items:center; flex:none; }
  .avatar svg { width:20px; height:20px; }
  .who { display:flex; flex-direction:column; min-width:0; }
  header h1 { font-size:16px; margin:0; font-weight:600; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
  .presence { display:flex; align-items:center; gap:6px; color:var(--muted); font-size:13px; }
  .presence .dot { width:8px; height:8px; border-radius:50%; background:#c2c7d3; }
  .presence .dot.on { background:#1fa463; }
  #log { flex:1; overflow-y:auto; padding:18px 16px; display:flex; flex-direction:column; gap:8px; scroll-behavior:smooth; }
  .msg { max-width:80%; padding:9px 13px; border-radius:16px; white-space:pre-wrap; overflow-wrap:anywhere; }
  .in { align-self:flex-end; background:var(--brand); color:#fff; border-end-end-radius:5px; }
  .out { align-self:flex-start; background:var(--bot); border-end-start-radius:5px; }
  .in + .out, .out + .in, .buttons + .in, .buttons + .out { margin-top:6px; }
  .buttons { display:flex; flex-wrap:wrap; gap:6px; align-self:flex-start; max-width:90%; }
  .buttons button { border:1px solid #c7cbf5; color:var(--brand); background:var(--brand-soft); border-radius:999px; padding:6px 14px; font:inherit; font-size:14px; cursor:pointer; transition:background .15s, color .15s; }
  .buttons button:hover, .buttons button:focus-visible { background:var(--brand); border-color:var(--brand); color:#fff; outline:none; }
  .empty { color:var(--muted); text-align:center; margin:auto; padding:0 24px; }
  form { display:flex; gap:8px; padding:12px; border-top:1px solid var(--line); }
  input { flex:1; min-width:0; padding:10px 14px; border:1px solid var(--line); border-radius:999px; font:inherit; background:#fafbfc; }
  input:focus { outline:2px solid var(--brand); outline-offset:-1px; background:#fff; }
  form button { background:var(--brand); color:#fff; border:0; border-radius:999px; padding:0 20px; font:inherit; font-weight:500; cursor:pointer; }
  form button:hover { filter:brightness(1.1); }
  form button:disabled { opacity:.5; cursor:default; }
  .powered { margin:10px 0 0; font-size:12px; color:var(--muted); display:none; }
  /* A phone fills the screen; a laptop gets the chat as a card, the size of a support widget. */
  @media (min-width: 560px) {
    body { padding:24px; }
    .chat { max-width:440px; height:min(720px, calc(100vh - 72px)); border:1px solid var(--line); border-radius:18px; overflow:hidden; box-shadow:0 1px 2px rgba(16,24,40,.06), 0 12px 32px rgba(16,24,40,.10); }
    .powered { display:block; }
  }
</style>
</head>
<body>
<main class="chat" aria-label="${escapeHtml(t.chat)}">
  <header>
    <span class="avatar" aria-hidden="true"><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="12" r="1.5" fill="currentColor" stroke="none"/><path d="M8.5 15.5a5 5 0 0 1 0-7M15.5 8.5a5 5 0 0 1 0 7"/><path d="M5.6 18.4a9 9 0 0 1 0-12.8M18.4 5.6a9 9 0 0 1 0 12.8"/></svg></span>
    <div class="who"><h1>${escapeHtml(title)}</h1><span class="presence"><span class="dot" id="status" aria-hidden="true"></span><span id="state">${escapeHtml(t.connecting)}</span></span></div>
  </header>
  <div id="log" role="log" aria-live="polite"><p class="empty" id="empty">${escapeHtml(t.sayHello)}</p></div>
  <form id="form" autocomplete="off">
    <label for="text" hidden>${escapeHtml(t.message)}</label>
    <input id="text" name="text" placeholder="${escapeHtml(t.placeholder)}" maxlength="4000" required>
    <button id="send" type="submit">${escapeHtml(t.send)}</button>
  </form>
</main>
<p class="powered">${escapeHtml(t.poweredBy)} Signalbox</p>
<script>
(() => {
  const channelId = ${JSON.stringify(channelId)};
  const words = ${scriptJson({ online: t.online, reconnecting: t.reconnecting })};
  // The browser's locale helps the bot tell close languages apart (Malay from Indonesian).
  const locale = new RegExp(${scriptJson(LOCALE_TAG.source)}).test(navigator.language || '') ? '&locale=' + encodeURIComponent(navigator.language) : '';
  const storeKey = 'signalbox:webchat:' + channelId;
  let session = localStorage.getItem(storeKey);
  if (!session || !/^[A-Za-z0-9_-]{8,64}$/.test(session)) {
    session = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now()).replace(/[^A-Za-z0-9_-]/g, '');
    localStorage.setItem(storeKey, session);
  }
  const log = document.getElementById('log'), form = document.getElementById('form'), input = document.getElementById('text');
  const stateEl = document.getElementById('state'), dot = document.getElementById('status');
  const seen = new Set();
  let ws, retry = 0, outbox = [];
  const textOf = (c) => c.text ?? c.title ?? c.caption ?? c.fallbackText ?? (c.attachment ? c.attachment.url : '') ?? '';
  function add(m) {
    if (m.id && seen.has(m.id)) return;
    if (m.id) seen.add(m.id);
    document.getElementById('empty')?.remove();
    const div = document.createElement('div');
    div.className = 'msg ' + (m.direction === 'in' ? 'in' : 'out');
    div.textContent = textOf(m.content || {});
    div.dataset.direction = m.direction;
    log.appendChild(div);
    const buttons = (m.content && m.content.buttons) || [];
    if (m.direction === 'out' && buttons.length) {
      const row = document.createElement('div');
      row.className = 'buttons';
      for (const b of buttons) {
        const btn = document.createElement('button');
        btn.type = 'button'; btn.textContent = b.title;
        btn.onclick = () => send({ type: 'reply', replyId: b.id, title: b.title }, b.title);
        row.appendChild(btn);
      }
      log.appendChild(row);
    }
    log.scrollTop = log.scrollHeight;
  }
  function send(payload, shown) {
    const id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
    const msg = { ...payload, id };
    add({ id: 'local-' + id, direction: 'in', content: { type: 'text', text: shown } });
    outbox.push(msg);
    flush();
  }
  function flush() {
    while (ws && ws.readyState === 1 && outbox.length) ws.send(JSON.stringify(outbox.shift()));
  }
  function connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(proto + '//' + location.host + '/chat/' + encodeURIComponent(channelId) + '/ws?session=' + session + locale);
    ws.onopen = () => { retry = 0; stateEl.textContent = words.online; dot.classList.add('on'); };
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === 'history') {
        log.querySelectorAll('.msg, .buttons').forEach((n) => n.remove()); seen.clear();
        if (!m.messages.length && !document.getElementById('empty')) {}
        m.messages.forEach(add);
        flush();
      } else if (m.type === 'message') add(m);
      else if (m.type === 'error') { stateEl.textContent = m.message || m.error; }
    };
    ws.onclose = () => {
      dot.classList.remove('on'); stateEl.textContent = words.reconnecting;
      setTimeout(connect, Math.min(10000, 500 * 2 ** retry++));
    };
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    send({ type: 'message', text }, text);
    input.value = '';
  });
  connect();
})();
</script>
</body>
</html>`;
}
