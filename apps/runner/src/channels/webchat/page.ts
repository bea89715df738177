const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small, dependency-free chat page for trying a bot: history, live replies, buttons, reconnects. */
export function chatPage(channelId: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Signalbox chat</title>
<style>
  :root { --bg:#f4f5f7; --panel:#fff; --ink:#1c2230; --muted:#687086; --brand:#2f5bea; --line:#e3e6ec; }
  * { box-sizing: border-box; }
  body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--ink); display:flex; justify-content:center; }
  .chat { width:100%; max-width:440px; height:100vh; display:flex; flex-direction:column; background:var(--panel); border-left:1px solid var(--line); border-right:1px solid var(--line); }
  header { padding:14px 18px; border-bottom:1px solid var(--line); display:flex; align-items:center; gap:10px; }
  header .dot { width:9px; height:9px; border-radius:50%; background:#c2c7d3; }
  header .dot.on { background:#1fa463; }
  header h1 { font-size:16px; margin:0; font-weight:600; }
  header small { color:var(--muted); margin-left:auto; }
  #log { flex:1; overflow-y:auto; padding:16px; display:flex; flex-direction:column; gap:8px; }
  .msg { max-width:80%; padding:8px 12px; border-radius:14px; white-space:pre-wrap; word-wrap:break-word; }
  .in { align-self:flex-end; background:var(--brand); color:#fff; border-bottom-right-radius:4px; }
  .out { align-self:flex-start; background:#eef0f4; border-bottom-left-radius:4px; }
  .buttons { display:flex; flex-wrap:wrap; gap:6px; align-self:flex-start; }
  .buttons button { border:1px solid var(--brand); color:var(--brand); background:#fff; border-radius:16px; padding:5px 12px; font:inherit; cursor:pointer; }
  .buttons button:hover, .buttons button:focus-visible { background:var(--brand); color:#fff; outline:none; }
  .empty { color:var(--muted); text-align:center; margin:auto; }
  form { display:flex; gap:8px; padding:12px; border-top:1px solid var(--line); }
  input { flex:1; padding:10px 12px; border:1px solid var(--line); border-radius:20px; font:inherit; }
  input:focus { outline:2px solid var(--brand); outline-offset:-1px; }
  form button { background:var(--brand); color:#fff; border:0; border-radius:20px; padding:0 18px; font:inherit; cursor:pointer; }
  form button:disabled { opacity:.5; cursor:default; }
</style>
</head>
<body>
<main class="chat" aria-label="Chat">
  <header><span class="dot" id="status" aria-hidden="true"></span><h1>${escapeHtml(title)}</h1><small id="state">connecting…</small></header>
  <div id="log" role="log" aria-live="polite"><p class="empty" id="empty">Say hello to start the conversation.</p></div>
  <form id="form" autocomplete="off">
    <label for="text" hidden>Message</label>
    <input id="text" name="text" placeholder="Write a message…" maxlength="4000" required>
    <button id="send" type="submit">Send</button>
  </form>
</main>
<script>
(() => {
  const channelId = ${JSON.stringify(channelId)};
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
    ws = new WebSocket(proto + '//' + location.host + '/chat/' + encodeURIComponent(channelId) + '/ws?session=' + session);
    ws.onopen = () => { retry = 0; stateEl.textContent = 'online'; dot.classList.add('on'); };
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
      dot.classList.remove('on'); stateEl.textContent = 'reconnecting…';
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
