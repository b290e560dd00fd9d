// The console: a duty officer's board, spoken to only through the server's
// public API (/v1). No framework and nothing from another host: the binary
// serves this file itself.
'use strict';

const WORDS = {
  app: ['Dispatch', '派遣協調'],
  signin: ['Sign in', '登入'],
  user: ['User name', '用戶名稱'],
  password: ['Password', '密碼'],
  logout: ['Sign out', '登出'],
  handoffs: ['Handoffs waiting for my centre', '待本中心接受的交接'],
  mine: ['My tasks', '我的工作'],
  centre: ["My centre's open tasks", '本中心待辦工作'],
  inbox: ['Unread', '未讀訊息'],
  none: ['Nothing here.', '沒有項目。'],
  overdue: ['overdue', '已逾期'],
  paused: ['paused', '暫停中'],
  mark_read: ['Mark read', '標示為已讀'],
  err_input: ['Not accepted', '資料未被接受'],
  err_denied: ['Not allowed', '你無權進行此事'],
  err_missing: ['Not found', '找不到'],
  err_state: ['Not possible now', '現在未能進行'],
  err_busy: ['Busy; try again shortly', '系統繁忙，請稍後再試'],
  notify_ask: ['Alert me to new work', '有新工作時通知我'],
  notify_on: ['Alerts on', '通知已開啟'],
  notify_blocked: ['Alerts blocked by the browser', '瀏覽器已封鎖通知'],
  new_task: ['A task for you', '你有新工作'],
  new_message: ['New message', '新訊息'],
  live: ['Live', '即時更新'],
  lost: ['Connection lost; reconnecting…', '連線中斷，正在重新連線…'],
  back: ['Connection back', '已重新連線'],
  on_duty: ['On duty · go off', '當值中 · 按此下班'],
  off_duty: ['Off duty · go on', '非當值 · 按此上班'],
  confirm_off: ['Your open tasks go to others on duty: press again to go off', '你的待辦工作將交給其他當值同事：再按一次下班'],
  role_duty_officer: ['duty officer', '當值主任'],
  role_coordinator: ['coordinator', '協調主任'],
  role_supervisor: ['supervisor', '主管'],
  role_network_coordinator: ['network coordinator', '網絡協調主任'],
  role_admin: ['admin', '系統管理員'],
  task: ['Task', '工作'],
  case_: ['Case', '個案'],
  person: ['Person', '當事人'],
  due: ['Due', '限期'],
  assignee: ['Assigned to', '負責人'],
  nobody: ['nobody', '未指派'],
  from: ['From', '來自'],
  leg: ['Leg', '部分'],
  waiting: ['Waiting since', '等候自'],
  message: ['Message', '內容'],
  bad_login: ['The user name or password is not right.', '用戶名稱或密碼不正確。'],
  change_first: ['Your password was given to you: choose your own before you start.',
                 '密碼由管理員設定：請先設定你自己的密碼。'],
  current: ['Current password', '現有密碼'],
  new_password: ['New password (10 characters or more)', '新密碼（最少 10 個字元）'],
  change: ['Change password', '更改密碼'],
  board: ['Board', '工作板'],
  keys: ['Single-key shortcuts: n new case, b board, / find a case by number',
         '單鍵快捷鍵：n 新個案、b 工作板、/ 以編號開啟個案'],
  find: ['Case number', '個案編號'],
};

// Unread messages shown on the board at most; more are counted as "100+".
const INBOX_SHOWN = 100;

const ui = {
  lang: 'zh-Hant',
  me: null,
  stream: null,
  refreshTimer: null,
  dueTimer: null,
  reading: Promise.resolve(),
  retryTimer: null,
  retryMs: 1000,
  generation: 0,  // a refresh older than the newest one draws nothing
  wasLost: false,
};

const $ = (id) => document.getElementById(id);
const t = (key) => (WORDS[key] || [key, key])[ui.lang === 'en' ? 0 : 1];
const label = (l) => (l ? (ui.lang === 'en' ? l.en || l.zh_hant : l.zh_hant || l.en) : '');

// Hong Kong time, as every time the centres write.
function hk(ts) {
  if (!ts) return '-';
  const d = new Date(new Date(ts).getTime() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-Dispatch-CSRF'] = '1';
  }
  const res = await fetch('/v1/' + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch (e) {
    data = { message: res.status + ' ' + res.statusText };  // a proxy's error page
  }
  if (!res.ok) {
    // The server says what is wrong in both languages where it can; when it
    // has English only, the officer's language at least says what kind of
    // refusal it is.
    const kind = { 400: 'err_input', 403: 'err_denied', 404: 'err_missing', 409: 'err_state',
      429: 'err_busy', 503: 'err_busy' }[res.status];
    const said = ui.lang === 'en' ? data.message
      : data.message_zh_hant || (kind ? t(kind) + '：' : '') + (data.message || '');
    const err = new Error(said || res.statusText);
    err.status = res.status;
    err.field = data.field;
    throw err;
  }
  return data;
}

function applyLanguage() {
  document.documentElement.lang = ui.lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  const other = ui.lang === 'en' ? ['中文', 'zh-Hant'] : ['English', 'en'];
  $('lang').textContent = other[0];
  $('lang').lang = other[1];
  showAlertsState();
  if (ui.me) {
    $('who').textContent = ui.me.user + ' · ' + ui.me.centre + ' · ' + t('role_' + ui.me.role);
    if (!$('duty').dataset.confirm) $('duty').textContent = t($('duty').dataset.on ? 'on_duty' : 'off_duty');
  }
}

// The engine's rule (access.h): supervisors and admins see every centre.
function seesEverything() { return !!ui.me && (ui.me.role === 'supervisor' || ui.me.role === 'admin'); }

function langKey() { return 'dispatch.lang.' + (ui.me ? ui.me.user : ''); }

function show(view) {
  $('login-view').hidden = view !== 'login';
  $('password-view').hidden = view !== 'password';
  $('board-view').hidden = view !== 'board';
  $('intake-view').hidden = view !== 'intake';
  $('case-wrap').hidden = view !== 'case';
  $('network-view').hidden = view !== 'network';
  $('list-view').hidden = view !== 'list';
  $('year-view').hidden = view !== 'year';
  $('nav-network').hidden = !seesEverything();
  const signedIn = !['login', 'password'].includes(view);
  for (const id of ['who', 'duty', 'live', 'pages']) $(id).hidden = !signedIn;
  $('logout').hidden = view === 'login';
  if (view === 'login') $('login-user').focus();
  if (view === 'password') $('password-current').focus();
  if (view === 'board') $('mine-h').focus();
  if (view === 'intake') $('intake-h').focus();
  if (view === 'network') $('network-h').focus();
  if (view === 'list') $('list-view').querySelector('h2').focus();
  if (view === 'year') $('year-h').focus();
}

// Where the page is: #/ the board, #/new intake, #/case/NUMBER a case,
// #/network and #/year (supervisors' views), #/list/KIND?... the rows behind a number.
function route() {
  if (!ui.me || ui.me.must_change_password) return;
  const h = location.hash || '#/';
  if (h.startsWith('#/case/')) return showCase(decodeURIComponent(h.slice('#/case/'.length)));
  page.number = null;
  if (h === '#/new') return showIntake();
  if (h === '#/network') return showNetwork();
  if (h.startsWith('#/list/')) {
    const [kind, query] = h.slice('#/list/'.length).split('?');
    return showList(kind, new URLSearchParams(query || ''));
  }
  if (h === '#/year' || h.startsWith('#/year/') || h.startsWith('#/year?')) {
    const [path, query] = h.slice('#/year'.length).split('?');
    buildYear();
    return showYear(Number(path.replace('/', '')) || 0, new URLSearchParams(query || ''));
  }
  show('board');
  refresh();
}

// The case types' definitions (their newest versions), read once, for the
// labels of what lists name by code: a handoff's leg.
const TYPES = new Map();

async function knowTypes(names) {
  await Promise.all([...new Set(names)].filter((n) => n && !TYPES.has(n)).map(async (n) => {
    try { TYPES.set(n, await api('GET', 'workflows/' + encodeURIComponent(n))); } catch (e) { TYPES.set(n, {}); }
  }));
}

function legLabel(type, leg) {
  const l = ((TYPES.get(type) || {}).leg || []).find((x) => x.name === leg);
  return (l && label(l.label)) || leg;
}

// A case number that opens its page.
function caseLink(number, text) {
  const a = document.createElement('a');
  a.href = '#/case/' + encodeURIComponent(number);
  a.textContent = text;
  return a;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillTable(table, head, rows, each) {
  table.replaceChildren();
  if (rows.length === 0) {
    const tr = table.insertRow();
    const td = cell(tr, t('none'), 'empty');
    td.colSpan = head.length;
    return;
  }
  const h = table.createTHead().insertRow();
  for (const key of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(key);
    h.appendChild(th);
  }
  const body = table.createTBody();
  for (const r of rows) each(body.insertRow(), r);
}

// The soonest due time still ahead on the board: the board reads again then,
// so that a task turns overdue without anything else happening.
function nextDue(tasks) {
  const now = Date.now();
  let soonest = Infinity;
  for (const v of tasks) {
    const due = v.task && !v.task.paused && v.task.due_at ? new Date(v.task.due_at).getTime() : Infinity;
    if (due > now && due < soonest) soonest = due;
  }
  return soonest;
}

function taskRows(table, tasks, countEl) {
  const now = Date.now();
  let late = 0;
  let held = 0;
  fillTable(table, ['task', 'person', 'due', 'assignee'], tasks, (tr, v) => {
    const task = v.task || {};
    // A paused task's due time moves on when the pause ends: not overdue.
    const overdue = !task.paused && task.due_at && new Date(task.due_at).getTime() < now;
    if (overdue) { late += 1; tr.className = 'late'; }
    if (task.paused) { held += 1; tr.className = 'paused'; }
    cell(tr, '').append(caseLink(v.case_number, v.case_number + '/' + task.seq + ' ' + label(task.label)));
    cell(tr, v.person_name || '');
    const due = cell(tr, hk(task.due_at));
    if (overdue || task.paused) {
      const tag = document.createElement('span');
      tag.className = 'tag ' + (overdue ? 'late' : 'held');
      tag.textContent = t(overdue ? 'overdue' : 'paused');
      due.append(' ', tag);
    }
    cell(tr, task.assignee || t('nobody'));
  });
  countEl.textContent = '(' + tasks.length + (late ? ', ' + late + ' ' + t('overdue') : '') +
    (held ? ', ' + held + ' ' + t('paused') : '') + ')';
}

// The board's read; `ui.reading` is the one in flight, so that signing out
// can wait for it rather than have it refused halfway.
function refresh() {
  ui.reading = readBoard();
  return ui.reading;
}

async function readBoard() {
  const generation = ++ui.generation;
  try {
    const [mine, centre, handoffs, inbox, duty] = await Promise.all([
      // A supervisor's list would hold every centre's: the board is their centre's.
      api('GET', 'tasks?mine=1'), api('GET', seesEverything() ? 'tasks?centre=' + ui.me.centre : 'tasks'),
      api('GET', 'handoffs'),
      api('GET', 'inbox?unread=1&limit=' + INBOX_SHOWN), api('GET', 'duty'),
    ]);
    if (generation !== ui.generation || !ui.me) return;
    taskRows($('mine'), mine.task || [], $('mine-count'));
    taskRows($('centre'), centre.task || [], $('centre-count'));
    clearTimeout(ui.dueTimer);
    const due = nextDue([...(mine.task || []), ...(centre.task || [])]);
    if (due !== Infinity) ui.dueTimer = setTimeout(soon, Math.min(due - Date.now() + 500, 2 ** 31 - 1));
    const pending = (handoffs.handoff || []).filter(
      (h) => h.handoff.status === 'HANDOFF_PENDING' && h.handoff.to_centre === ui.me.centre);
    await knowTypes(pending.map((h) => h.case_type));
    if (generation !== ui.generation || !ui.me) return;
    fillTable($('handoffs'), ['case_', 'from', 'leg', 'waiting', 'message'], pending, (tr, h) => {
      cell(tr, '').append(caseLink(h.case_number, h.case_number + '/H' + h.handoff.id + ' ' + (h.person_name || '')));
      cell(tr, h.handoff.from_centre);
      cell(tr, legLabel(h.case_type, h.handoff.leg));
      cell(tr, hk(h.handoff.requested_at));
      cell(tr, h.handoff.message || '');
    });
    $('handoffs-count').textContent = '(' + pending.length + ')';
    const items = inbox.item || [];
    $('inbox').replaceChildren(...items.map((i) => {
      const li = document.createElement('li');
      li.append(hk(i.at) + ' ', i.case_number ? caseLink(i.case_number, i.case_number) : '', ' ' + label(i.title) + ' ');
      // Read for this officer only: the centre's others still see it.
      const read = document.createElement('button');
      read.type = 'button';
      read.className = 'mark-read';
      read.textContent = t('mark_read');
      read.addEventListener('click', async () => {
        read.disabled = true;
        try {
          await api('POST', 'commands', { mark_read: { inbox_item: i.id } });
          await refresh();
        } catch (e) {
          read.disabled = false;
          $('board-error').textContent = e.message;
          $('board-error').hidden = false;
        }
      });
      li.append(read);
      return li;
    }));
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t('none');
      $('inbox').append(li);
    }
    $('inbox-count').textContent = '(' + items.length + (items.length >= INBOX_SHOWN ? '+' : '') + ')';
    // The server lists the shifts running now, by its own clock.
    showDuty(duty);
    $('board-error').hidden = true;
  } catch (e) {
    if (e.status === 401) return signedOut();
    $('board-error').textContent = e.message;
    $('board-error').hidden = false;
  }
}

// Reads again what the page shows: the board, or the case.
function reread() {
  if (!$('board-view').hidden) refresh();
  else if (!$('network-view').hidden) showNetwork();
  else if (!$('case-wrap').hidden && page.number) caseChanged(page.number);
}

function soon() {
  clearTimeout(ui.refreshTimer);
  ui.refreshTimer = setTimeout(reread, 150);
}

function setLive(state) {
  const el = $('live');
  el.textContent = t(state);
  el.className = 'live' + (state === 'lost' ? ' lost' : '');
  el.dataset.state = state;
}

// Changes arrive on the event stream; the board reads again when one does
// (no polling). The browser reconnects by itself, from the last event seen.
function listen() {
  if (ui.stream) ui.stream.close();
  const s = new EventSource('/v1/stream');
  ui.stream = s;
  s.addEventListener('ready', () => {
    setLive(ui.wasLost ? 'back' : 'live');
    if (ui.wasLost) setTimeout(() => { if ($('live').dataset.state === 'back') setLive('live'); }, 8000);
    if (ui.wasLost) soon();
    ui.wasLost = false;
  });
  for (const kind of ['case', 'task', 'inbox']) {
    s.addEventListener(kind, (m) => {
      if (kind !== 'case') alertOf(kind, m.data);
      if (!$('board-view').hidden || !$('network-view').hidden) soon();
      try { caseChanged(JSON.parse(m.data).case_number); } catch (e) { /* not a case's */ }
    });
  }
  s.addEventListener('signed_out', signedOut);
  s.onerror = () => {
    ui.wasLost = true;
    setLive('lost');
    // The browser retries by itself after a network error, but not after an
    // answer it cannot use (a session gone, too many streams, too far
    // behind): then start again from now, a little later each time.
    if (s.readyState === EventSource.CLOSED) {
      clearTimeout(ui.retryTimer);
      ui.retryTimer = setTimeout(() => {
        ui.retryMs = Math.min(ui.retryMs * 2, 30000);
        reread();
        if (ui.me) listen();
      }, ui.retryMs);
    }
  };
  s.addEventListener('ready', () => { ui.retryMs = 1000; });
}

// The duty button, from the server's list of shifts running now.
function showDuty(duty) {
  const onDuty = (duty.shift || []).some((s) => s.user === ui.me.user);
  const button = $('duty');
  // A board read while the officer is asked to confirm leaves the question.
  if (button.dataset.confirm && !!button.dataset.on === onDuty) return;
  button.textContent = t(onDuty ? 'on_duty' : 'off_duty');
  button.dataset.on = onDuty ? '1' : '';
  button.dataset.confirm = '';
  button.setAttribute('aria-pressed', onDuty ? 'true' : 'false');
}

async function readDuty() {
  try { showDuty(await api('GET', 'duty')); } catch (e) { /* the board says why */ }
}

// An error of something in the bar (duty), said wherever the officer is.
function barError(message) {
  $('bar-error').textContent = message;
  $('bar-error').hidden = !message;
}

// The browser's own alert for new work (a task given to this officer, a
// message to them or their centre), once they said yes on the board.
function alertOf(kind, data) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  let change = {};
  try { change = JSON.parse(data); } catch (e) { return; }
  const title = kind === 'task' ? t('new_task') : t('new_message');
  const body = kind === 'inbox' && change.inbox ? label(change.inbox.title) + ' · ' + (change.case_number || '')
    : (change.case_number || '') + (change.task ? '/' + change.task : '');
  const n = new Notification(title, { body, tag: kind + ':' + (change.case_number || '') + ':' + (change.seq || '') });
  n.onclick = () => { window.focus(); if (change.case_number) location.hash = '#/case/' + encodeURIComponent(change.case_number); };
}

function showAlertsState() {
  const button = $('alerts');
  if (!('Notification' in window)) { button.hidden = true; return; }
  const p = Notification.permission;
  button.textContent = t(p === 'granted' ? 'notify_on' : p === 'denied' ? 'notify_blocked' : 'notify_ask');
  button.disabled = p !== 'default';
}

// Stops the live parts: the stream and every timer that would read again.
function quiet() {
  if (ui.stream) ui.stream.close();
  ui.stream = null;
  clearTimeout(ui.refreshTimer);
  clearTimeout(ui.retryTimer);
  clearTimeout(ui.dueTimer);
  clearTimeout(page.timer);
}

function signedOut() {
  // Nothing drawn for one person is kept for the next.
  page.c = null;
  page.number = null;
  $('case-view').replaceChildren();
  $('intake-form').reset();
  quiet();
  ui.me = null;
  document.cookie = 'dispatch_signed_in=; Max-Age=0; Path=/; SameSite=Strict';
  show('login');
}

async function start(me) {
  ui.me = me;
  ui.lang = localStorage.getItem(langKey()) || ui.lang;
  applyLanguage();
  // Single keys can be turned off (a screen reader's own keys, a stray press).
  $('keys-on').checked = localStorage.getItem('dispatch.keys.' + me.user) !== 'off';
  // A password an admin gave is changed before anything else can be done.
  if (me.must_change_password) return show('password');
  readDuty();
  listen();
  route();
}

async function login(ev) {
  ev.preventDefault();
  $('login-error').hidden = true;
  try {
    const me = await api('POST', 'login', { user: $('login-user').value, password: $('login-password').value });
    $('login-password').value = '';
    await start(me);
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? t('bad_login') : e.message;
    $('login-error').hidden = false;
    $('login-password').focus();
  }
}

// Keys for an officer with a headset on: n a new case, b the board, / a case
// by its number. Not while typing.
function shortcut(ev) {
  if (!ui.me || !$('keys-on').checked || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const target = ev.target;
  if (target.closest && target.closest('input, textarea, select, [contenteditable]')) return;
  const key = ev.key.toLowerCase();  // caps lock on
  if (key === 'n') { location.hash = '#/new'; ev.preventDefault(); }
  if (key === 'b') { location.hash = '#/'; ev.preventDefault(); }
  if (ev.key === '/') { $('find-case').focus(); ev.preventDefault(); }
}

async function main() {
  $('login-form').addEventListener('submit', login);
  window.addEventListener('hashchange', route);
  $('alerts').addEventListener('click', async () => {
    await Notification.requestPermission();  // the officer's consent, asked on their click only
    showAlertsState();
  });
  $('keys-on').addEventListener('change', () => {
    if (ui.me) localStorage.setItem('dispatch.keys.' + ui.me.user, $('keys-on').checked ? 'on' : 'off');
  });
  $('find-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const number = $('find-case').value.trim().toUpperCase();
    if (number) location.hash = '#/case/' + encodeURIComponent(number);
    $('find-case').value = '';
  });
  document.addEventListener('keydown', shortcut);
  $('lang').addEventListener('click', () => {
    ui.lang = ui.lang === 'en' ? 'zh-Hant' : 'en';
    localStorage.setItem(langKey(), ui.lang);
    applyLanguage();
    if (ui.me) { setLive($('live').dataset.state || 'live'); route(); }
  });
  $('logout').addEventListener('click', async () => {
    // Nothing more is asked once signing out starts; what is being asked ends first.
    quiet();
    await ui.reading;
    try { await api('POST', 'logout', {}); } catch (e) { /* signed out already */ }
    signedOut();
  });
  $('password-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('password-error').hidden = true;
    try {
      await api('POST', 'commands', { set_password: {
        password: $('password-new').value, current_password: $('password-current').value } });
      $('password-new').value = '';
      $('password-current').value = '';
      await start(await api('GET', 'me'));
    } catch (e) {
      $('password-error').textContent = e.message;
      $('password-error').hidden = false;
    }
  });
  $('duty').addEventListener('click', async () => {
    const button = $('duty');
    // Going off duty hands the officer's open tasks on: asked twice.
    if (button.dataset.on && !button.dataset.confirm) {
      button.dataset.confirm = '1';
      button.textContent = t('confirm_off');
      setTimeout(() => { if (button.dataset.confirm) { button.dataset.confirm = ''; readDuty(); } }, 6000);
      return;
    }
    button.disabled = true;
    barError('');
    const off = !!button.dataset.on;
    button.dataset.confirm = '';
    try {
      await api('POST', 'commands', off ? { duty_off: {} } : { duty_on: {} });
      await readDuty();
      reread();
    } catch (e) {
      barError(e.message);
    } finally {
      button.disabled = false;
    }
  });
  ui.lang = localStorage.getItem(langKey()) || ui.lang;
  applyLanguage();
  // A signed-out page asks the server nothing (a refused question is a
  // failed request in the browser's log).
  if (!document.cookie.split('; ').includes('dispatch_signed_in=1')) return show('login');
  try {
    await start(await api('GET', 'me'));
  } catch (e) {
    show('login');
  }
}

// After every script of the page has run (case.js, intake.js, network.js).
document.addEventListener('DOMContentLoaded', main);
