// The case page: who the case is about, where it stands on a drawing of its
// workflow, its tasks, what can be done now and what still keeps each event
// back (the engine's own answer, from cases/N/next), pauses, notes, handoffs
// and the timeline. Printed, it is the case file. Every change is a command
// to /v1/commands; nothing is done behind the API's back.
'use strict';

Object.assign(WORDS, {
  back_board: ['← Board', '← 工作板'],
  print: ['Print case file', '列印個案檔案'],
  no_case: ['No such case, or not one you may see.', '沒有此個案，或你無權查看。'],
  state: ['State', '階段'],
  status: ['Status', '狀況'],
  owner: ['Opened by centre', '開案中心'],
  works: ['Worked by', '負責中心'],
  opened: ['Opened', '開案時間'],
  summary: ['Summary', '摘要'],
  caller: ['Caller', '來電者'],
  kin: ['Next of kin', '香港親屬'],
  fields: ['Facts', '個案資料'],
  tasks: ['Tasks', '工作'],
  next: ['What can be done now', '現在可做的事'],
  ready: ['ready', '可進行'],
  not_yet: ['not yet', '未可進行'],
  system_day: ['the system does this on the day', '到期時由系統自動進行'],
  fire: ['Do it', '進行'],
  note: ['Note', '備註'],
  why_change: ['Note (why, when a value changes)', '備註（更改資料時請說明原因）'],
  take: ['Take', '接手'],
  assign: ['Give to', '指派給'],
  done: ['Done', '完成'],
  pauses: ['Paused', '暫停'],
  pause: ['Pause', '暫停'],
  resume: ['Resume', '恢復'],
  reason: ['Reason', '原因'],
  notes: ['Add a note', '加入備註'],
  add: ['Add', '加入'],
  handoffs_case: ['Handoffs', '交接'],
  to_centre: ['To centre', '交予中心'],
  request: ['Request handoff', '要求交接'],
  accept: ['Accept', '接受'],
  decline: ['Decline', '拒絕'],
  timeline: ['Timeline', '時間線'],
  time: ['Time (HK)', '時間（香港）'],
  by: ['By', '經辦'],
  what: ['What', '事項'],
  workflow: ['Workflow', '流程'],
  here_now: ['now', '現在'],
  passed: ['passed', '已經過'],
  status_open: ['open', '進行中'],
  status_closed: ['closed', '已結案'],
  status_cancelled: ['cancelled', '已取消'],
  task_open: ['open', '待辦'],
  task_done: ['done', '已完成'],
  task_cancelled: ['cancelled', '已取消'],
  task_na: ['not applicable', '不適用'],
  handoff_pending: ['waiting for an answer', '待回覆'],
  handoff_accepted: ['accepted', '已接受'],
  handoff_declined: ['declined', '已拒絕'],
  handoff_withdrawn: ['withdrawn', '已撤回'],
  printed: ['Printed', '列印時間'],
  yes: ['yes', '是'],
  no: ['no', '否'],
  choose: ['Choose…', '請選擇…'],
  give: ['Give', '指派'],
  on_duty_short: ['on duty', '當值'],
  not_applicable: ['Not applicable', '不適用'],
  end_h: ['Close or cancel the case', '結案或取消個案'],
  close: ['Close (work finished)', '結案（工作已完成）'],
  cancel: ['Cancel (work stopped)', '取消個案（停止工作）'],
  fact_h: ['Record or correct a fact', '記錄或更正資料'],
  field: ['Fact', '資料項目'],
  value: ['Value', '內容'],
  reason_change: ['Why (when a value changes)', '原因（更改資料時）'],
  save: ['Save', '儲存'],
  gone_after: ['Done. The case is no longer shared with your centre.', '已完成。此個案已不再與本中心共用。'],
  hkid: ['HKID', '香港身份證號碼'],
  permit: ['Home Return Permit', '回鄉證號碼'],
  dob: ['Date of birth', '出生日期'],
  phone: ['Phone', '電話'],
  location: ['Where now', '現時所在'],
  earlier_record: ['Earlier record (counted, not worked here)', '過往紀錄（只作統計，未經本系統處理）'],
  entered_by: ['entered by', '輸入者'],
});

const STATUS_WORD = {
  CASE_OPEN: 'status_open', CASE_CLOSED: 'status_closed', CASE_CANCELLED: 'status_cancelled',
  TASK_OPEN: 'task_open', TASK_DONE: 'task_done', TASK_CANCELLED: 'task_cancelled',
  TASK_NOT_APPLICABLE: 'task_na', HANDOFF_PENDING: 'handoff_pending',
  HANDOFF_ACCEPTED: 'handoff_accepted', HANDOFF_DECLINED: 'handoff_declined',
  HANDOFF_WITHDRAWN: 'handoff_withdrawn',
};

const page = { number: null, c: null, def: null, centres: [], users: [], generation: 0, busy: 0, done: '',
  timer: null, lang: '', onDuty: new Set(), focusId: '' };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function defField(name) { return (page.def.field || []).find((f) => f.name === name); }
function defState(name) { return (page.def.state || []).find((s) => s.name === name); }
function fieldLabel(name) { const f = defField(name); return f ? label(f.label) || name : name; }
function stateLabel(name) { const s = defState(name); return s ? label(s.label) || name : name; }

// How a kept value reads: a choice's label, yes or no in words.
function valueText(name, value) {
  const f = defField(name);
  if (!f) return value;
  const choice = (f.choice || []).find((c) => c.value === value);
  if (choice) return label(choice.label) || value;
  if (f.type === 'YES_NO') return t(value === 'yes' ? 'yes' : value === 'no' ? 'no' : value);
  return value;
}

// An input for field `name`, typed as the definition says.
function fieldInput(name, id) {
  const f = defField(name) || { type: 'TEXT' };
  const choices = (f.choice || []).map((c) => [c.value, label(c.label) || c.value])
    .concat((f.one_of || []).map((v) => [v, v]));
  if (f.type === 'YES_NO') choices.push(['yes', t('yes')], ['no', t('no')]);
  if (choices.length > 0) {
    const s = el('select', { id, name });
    s.append(el('option', { value: '', text: t('choose') }));
    for (const [v, l] of choices) s.append(el('option', { value: v, text: l }));
    return s;
  }
  const type = { DATE: 'date', TIME: 'time', DATE_TIME: 'datetime-local', NUMBER: 'text', PHONE: 'tel' }[f.type];
  return el('input', { id, name, type: type || 'text', autocomplete: 'off' });
}

// "2026-03-03T09:00" from a datetime-local input is "2026-03-03 09:00" to the engine.
function fieldValue(input) { return input.value.replace('T', ' ').trim(); }

function errorBox(id) { return el('p', { id, class: 'error', role: 'alert', hidden: true }); }
function showError(box, e) { box.textContent = e.message; box.hidden = false; }

// A fresh idempotency key: a command sent twice (a double click, a retry
// after a lost answer) is done once.
function commandKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'console-' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Runs `body` as a command, with the buttons of `form` (or the one button)
// held while it runs; the page reads again when it is done, and an error is
// said in `box` (nothing changed). What was typed into `form` is done with
// then; what was typed elsewhere on the page stays.
async function command(body, box, form) {
  if (box) box.hidden = true;
  const buttons = form ? (form.tagName === 'BUTTON' ? [form] : [...form.querySelectorAll('button')]) : [];
  // Disabling the focused button drops focus: remember where the officer was.
  page.focusId = document.activeElement ? document.activeElement.id : '';
  for (const b of buttons) b.disabled = true;
  page.busy += 1;
  let failed = null;
  try {
    await api('POST', 'commands', { idempotency_key: commandKey(), ...body });
    page.done = form && form.tagName === 'FORM' ? form.id : '';
    return true;
  } catch (e) {
    if (e.status === 401) { signedOut(); return false; }
    failed = e;
    if (box) showError(box, e);
    return false;
  } finally {
    for (const b of buttons) b.disabled = false;
    page.busy -= 1;
    // Others' changes that came meanwhile are read now; a refusal stays said.
    const number = page.number;
    if (page.busy === 0 && number) await loadCase(number, !failed, !failed);
    if (failed) {
      const shown = box && $(box.id);
      if (shown) showError(shown, failed);
      // Back to where the officer was, or to what says why not.
      const back = page.focusId && $(page.focusId);
      page.focusId = '';
      if (back && !back.disabled) back.focus();
      else if (shown) { shown.tabIndex = -1; shown.focus(); }
    }
  }
}

function section(id, titleKey, ...children) {
  return el('section', { class: 'card', 'aria-labelledby': id + '-h', id },
    el('h2', { id: id + '-h', text: t(titleKey), tabindex: '-1' }), ...children);
}

// Forms are for the screen: the case file on paper leaves them out.
function noPrint(e) { e.classList.add('no-print'); return e; }

function dl(rows) {
  const d = el('dl', { class: 'facts' });
  for (const [k, v] of rows) {
    if (!v) continue;
    d.append(el('dt', { text: k }), el('dd', { text: v }));
  }
  return d;
}

// The states the case has been in and the transitions it took ("a>b"),
// from its timeline.
function travelled(timeline) {
  const states = new Set([page.def.initial_state]);
  const steps = new Set();
  for (const e of timeline.event || []) {
    const tr = e.transitioned;
    if (tr) { states.add(tr.from_state); states.add(tr.to_state); steps.add(tr.from_state + '>' + tr.to_state); }
  }
  return { states, steps };
}

// The workflow as a drawing: states in columns by their distance from the
// first, arrows for transitions; the current state filled, the states the
// case has been through outlined thick.
function drawing(c, timeline) {
  const states = page.def.state || [];
  const depth = new Map([[page.def.initial_state, 0]]);
  const queue = [page.def.initial_state];
  while (queue.length) {
    const s = defState(queue.shift());
    for (const tr of (s && s.transition) || []) {
      if (!depth.has(tr.to)) { depth.set(tr.to, depth.get(s.name) + 1); queue.push(tr.to); }
    }
  }
  for (const s of states) if (!depth.has(s.name)) depth.set(s.name, 0);
  const columns = [];
  for (const s of states) (columns[depth.get(s.name)] ||= []).push(s.name);
  const W = 150, H = 54, GX = 46, GY = 26, PAD = 12;
  const pos = new Map();
  columns.forEach((col, x) => col.forEach((name, y) => {
    pos.set(name, { x: PAD + x * (W + GX), y: PAD + y * (H + GY) });
  }));
  const width = PAD * 2 + columns.length * (W + GX) - GX;
  const height = PAD * 2 + Math.max(...columns.map((col) => col.length)) * (H + GY) - GY + 30;
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  const path = travelled(timeline);
  const been = path.states;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'workflow');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('workflow') + ': ' + states.map((s) => stateLabel(s.name) +
    (s.name === c.state ? ' (' + t('here_now') + ')' : been.has(s.name) ? ' (' + t('passed') + ')' : '')).join(', '));
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  const defs = document.createElementNS(NS, 'defs');
  defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" ' +
    'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a4a4a"/></marker>';
  svg.append(defs);
  for (const s of states) {
    for (const tr of s.transition || []) {
      const a = pos.get(s.name), b = pos.get(tr.to);
      if (!a || !b) continue;
      const taken = path.steps.has(s.name + '>' + tr.to);
      const cls = 'edge' + (taken ? ' taken' : '');
      if (b.x > a.x) {
        add('path', { d: `M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}`,
          class: cls, 'marker-end': 'url(#arrow)' });
      } else {  // back to an earlier column (postponed): under the boxes
        const yb = Math.max(a.y, b.y) + H;
        add('path', { d: `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${yb + 28} ${b.x + W / 2},${yb + 28} ${b.x + W / 2},${b.y + H}`,
          class: cls + ' back', 'marker-end': 'url(#arrow)' });
      }
    }
  }
  for (const s of states) {
    const p = pos.get(s.name);
    const now = s.name === c.state;
    const words = stateLabel(s.name);
    const box = add('rect', { x: p.x, y: p.y, width: W, height: H, rx: 6,
      class: 'node' + (now ? ' now' : been.has(s.name) ? ' been' : ''), 'data-state': s.name });
    const title = document.createElementNS(NS, 'title');
    title.textContent = words;  // the whole label, where the box cuts it
    box.append(title);
    const cut = boxLines(words);
    cut.forEach((line, i) => add('text', { x: p.x + W / 2, y: p.y + H / 2 + (i - (cut.length - 1) / 2) * 17 + 5,
      class: 'label' + (now ? ' now' : '') }, line));
    if (now) add('text', { x: p.x + W / 2, y: p.y - 3, class: 'here' }, '▼ ' + t('here_now'));
  }
  return el('figure', { class: 'drawing' }, svg);
}

// A state's label in two lines at most, broken between words where it has
// spaces (English), else after ten characters (Chinese); the rest is in the
// box's title and the drawing's description.
function boxLines(words) {
  const spaced = words.includes(' ');
  const max = spaced ? 21 : 10;
  const lines = [''];
  for (const part of spaced ? words.split(' ') : [...words]) {
    const line = lines[lines.length - 1];
    const next = line ? line + (spaced ? ' ' : '') + part : part;
    if (next.length <= max || !line) lines[lines.length - 1] = next;
    else lines.push(part);
  }
  if (lines.length > 2) lines[1] = lines[1].slice(0, max - 1) + '…';
  return lines.slice(0, 2).map((l) => (l.length > max ? l.slice(0, max - 1) + '…' : l));
}

function personRows(p) {
  if (!p) return [];
  return [
    [t('person'), [p.name_zh, p.name_en].filter(Boolean).join(' ')],
    [t('hkid'), p.hkid], [t('permit'), p.home_return_permit], [t('dob'), p.date_of_birth],
    [t('phone'), p.phone], [t('location'), p.current_location],
    [t('kin'), p.next_of_kin && [p.next_of_kin.name, p.next_of_kin.relationship, p.next_of_kin.phone]
      .filter(Boolean).join(', ')],
  ];
}

function callerLine(k) {
  if (!k) return '';
  return [k.name && (k.name + (k.relationship ? ' (' + k.relationship + ')' : '')), k.organisation, k.phone]
    .filter(Boolean).join(', ') + (k.note ? ' — ' + k.note : '');
}

function taskTable(c) {
  const table = el('table', { class: 'list', id: 'case-tasks' });
  const box = errorBox('tasks-error');
  const tasks = (c.task || []).slice().sort((a, b) => (a.status === 'TASK_OPEN' ? 0 : 1) - (b.status === 'TASK_OPEN' ? 0 : 1) || a.seq - b.seq);
  fillTable(table, ['task', 'due', 'assignee', 'status', ''], tasks, (tr, task) => {
    const open = task.status === 'TASK_OPEN';
    const late = open && !task.paused && task.due_at && new Date(task.due_at).getTime() < Date.now();
    tr.dataset.seq = task.seq;
    if (late) tr.className = 'late';
    if (open && task.paused) tr.className = 'paused';
    cell(tr, '#' + task.seq + ' ' + label(task.label) + ' · ' + task.centre).id = 'task-' + task.seq;
    const due = cell(tr, hk(task.due_at));
    if (late) due.append(' ', el('span', { class: 'tag late', text: t('overdue') }));
    if (open && task.paused) due.append(' ', el('span', { class: 'tag held', text: t('paused') }));
    cell(tr, task.assignee || t('nobody'));
    cell(tr, t(STATUS_WORD[task.status]) + (task.done_by ? ' · ' + task.done_by : ''));
    const act = tr.insertCell();
    act.className = 'acts no-print';
    // Offered to those the engine lets do it: the centre that works the task
    // (supervisors anywhere); the server still decides.
    if (!open) return;
    const ref = { case_number: c.number, task: { seq: task.seq } };
    const described = 'task-' + task.seq;
    // Doing it: the centre working the case, in the task's role (supervisors
    // any); taking it: the same, at the task's centre; giving it: supervisors
    // anywhere, else the centre working the case.
    const does = worksHere(c) && task.centre === ui.me.centre &&
      (task.role === ui.me.role || ui.me.role === 'supervisor');
    const gives = ui.me.role === 'supervisor' || worksHere(c);
    if (does && task.assignee !== ui.me.user) {
      act.append(el('button', { type: 'button', class: 'take', id: 'take-' + task.seq, text: t('take'),
        'aria-describedby': described,
        onclick: (e) => command({ assign_task: { ...ref, assignee: ui.me.user } }, box, e.currentTarget) }));
    }
    if (does) {
      act.append(el('button', { type: 'button', class: 'done', id: 'done-' + task.seq, text: t('done'),
        'aria-describedby': described, onclick: (e) => command({ complete_task: ref }, box, e.currentTarget) }));
    }
    const who = el('select', { id: 'assign-' + task.seq, 'aria-label': t('assign') + ' #' + task.seq });
    who.append(el('option', { value: '', text: t('assign') + '…' }));
    for (const u of page.users) {
      if (u.centre === task.centre && u.name !== task.assignee &&
          (u.role === task.role || u.role === 'supervisor')) {
        who.append(el('option', { value: u.name, text: u.name + (page.onDuty.has(u.name) ? ' · ' + t('on_duty_short') : '') }));
      }
    }
    // Given on the button, not on the list's change: arrow keys move through it freely.
    if (gives && who.options.length > 1) {
      act.append(who, el('button', { type: 'button', class: 'give', id: 'give-' + task.seq, text: t('give'),
        'aria-describedby': described,
        onclick: (e) => who.value && command({ assign_task: { ...ref, assignee: who.value } }, box, e.currentTarget) }));
    }
    // Work the case type lets be skipped: marked so, with why.
    const tmpl = ((defState(task.state) || {}).task || []).find((x) => x.name === task.name);
    if (does && tmpl && (tmpl.may_not_apply || tmpl.not_applicable_when)) {
      const why = el('input', { id: 'na-' + task.seq, autocomplete: 'off', placeholder: t('reason'),
        'aria-label': t('not_applicable') + ' #' + task.seq + ': ' + t('reason') });
      act.append(why, el('button', { type: 'button', class: 'na', id: 'na-go-' + task.seq, text: t('not_applicable'),
        'aria-describedby': described,
        onclick: (e) => (why.value.trim() ? command({ mark_not_applicable: { ...ref, reason: why.value } }, box, e.currentTarget)
          : why.focus()) }));
    }
  });
  return [table, box];
}

function nextEvents(c, next) {
  const list = el('div', { class: 'events' });
  for (const ev of next.event || []) {
    const id = 'ev-' + ev.event;
    const box = errorBox(id + '-error');
    const head = el('h3', { id: id + '-h' },
      label(ev.label) || ev.event, el('span', { class: 'to', text: ' → ' + (label(ev.to_label) || ev.to_state) }),
      ' ', el('span', { class: 'tag ' + (ev.ready ? 'ok' : 'late'), text: ev.on_the_day ? t('system_day') : t(ev.ready ? 'ready' : 'not_yet') }));
    const item = el('div', { class: 'event', id, 'data-ready': ev.ready ? '1' : '' }, head);
    if ((ev.missing || []).length) {
      item.append(el('ul', { class: 'missing' }, ...ev.missing.map((m) => el('li', { text: label(m) }))));
    }
    if (!ev.on_the_day) {
      const form = el('form', { class: 'fire no-print', id: id + '-form' });
      for (const name of ev.ask || []) {
        const input = fieldInput(name, id + '-' + name);
        input.dataset.field = name;
        form.append(el('label', { for: input.id, text: fieldLabel(name) }), input);
      }
      const note = el('textarea', { id: id + '-note', rows: 2 });
      form.append(el('label', { for: note.id, text: t('why_change') }), note, box,
        el('button', { type: 'submit', text: t('fire'), 'aria-describedby': id + '-h' }));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const fields = {};
        for (const input of form.querySelectorAll('[data-field]')) {
          if (fieldValue(input)) fields[input.dataset.field] = fieldValue(input);
        }
        command({ fire_event: { case_number: c.number, event: ev.event, fields, note: note.value } }, box, form);
      });
      item.append(form);
    }
    list.append(item);
  }
  if (!list.children.length) list.append(el('p', { class: 'empty', text: t('none') }));
  return list;
}

function pauseSection(c) {
  const out = [];
  const box = errorBox('pause-error');
  const reasonLabel = (name) => {
    const r = (page.def.pause_reason || []).find((p) => p.name === name);
    return r ? label(r.label) || name : name;
  };
  for (const p of c.pauses || []) {
    out.push(el('p', { class: 'paused' }, el('span', { class: 'tag late', text: t('pauses') }), ' ',
      reasonLabel(p.reason) + (p.task ? ' · #' + p.task : '') + ' · ' + hk(p.since) + ' ',
      el('button', { type: 'button', class: 'no-print', text: t('resume'),
        onclick: (e) => command({ resume_case: { case_number: c.number, reason: p.reason } }, box, e.currentTarget) })));
  }
  const allowed = (defState(c.state) || {}).pause_reasons || [];
  if (c.status === 'CASE_OPEN' && allowed.length) {
    const select = el('select', { id: 'pause-reason' });
    for (const r of allowed) select.append(el('option', { value: r, text: reasonLabel(r) }));
    const form = el('form', { class: 'inline no-print', id: 'pause-form' }, el('label', { for: 'pause-reason', text: t('reason') }),
      select, el('button', { type: 'submit', text: t('pause') }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      command({ pause_case: { case_number: c.number, reason: select.value } }, box, form);
    });
    out.push(form);
  }
  out.push(box);
  return out;
}

function noteForm(c) {
  const box = errorBox('note-error');
  const text = el('textarea', { id: 'note-text', rows: 3 });
  const form = el('form', { class: 'no-print', id: 'note-form' }, el('label', { for: 'note-text', text: t('notes') }), text, box,
    el('button', { type: 'submit', text: t('add') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    command({ add_note: { case_number: c.number, text: text.value } }, box, form);
  });
  return form;
}

function handoffSection(c) {
  const table = el('table', { class: 'list', id: 'case-handoffs' });
  const box = errorBox('handoff-error');
  fillTable(table, ['leg', 'from', 'to_centre', 'status', 'message', ''], c.handoff || [], (tr, h) => {
    tr.dataset.id = h.id;
    const leg = (page.def.leg || []).find((l) => l.name === h.leg);
    cell(tr, 'H' + h.id + ' ' + (leg ? label(leg.label) : h.leg));
    cell(tr, h.from_centre + ' · ' + (h.requested_by || '') + ' · ' + hk(h.requested_at));
    cell(tr, h.to_centre);
    cell(tr, t(STATUS_WORD[h.status]) + (h.decided_by ? ' · ' + h.decided_by + ' · ' + hk(h.decided_at) : '') +
      (h.reason ? ' — ' + h.reason : ''));
    cell(tr, h.message || '');
    const act = tr.insertCell();
    act.className = 'acts no-print';
    // The engine's rule: a coordinator or supervisor of the centre asked.
    const decides = ui.me.role === 'coordinator' || ui.me.role === 'supervisor';
    if (h.status === 'HANDOFF_PENDING' && h.to_centre === ui.me.centre && decides) {
      const ref = { case_number: c.number, handoff: h.id };
      act.append(el('button', { type: 'button', class: 'accept', text: t('accept'),
        onclick: (e) => command({ accept_handoff: ref }, box, e.currentTarget) }));
      const why = el('input', { class: 'decline-reason', id: 'decline-' + h.id,
        'aria-label': t('decline') + ' H' + h.id + ': ' + t('reason'), placeholder: t('reason'), autocomplete: 'off' });
      act.append(why, el('button', { type: 'button', class: 'decline', text: t('decline'),
        onclick: (e) => command({ decline_handoff: { ...ref, reason: why.value } }, box, e.currentTarget) }));
    }
  });
  const out = [table];
  const decides = ui.me.role === 'coordinator' || ui.me.role === 'supervisor';
  // Asked by a coordinator or supervisor of the centre holding a leg.
  const holds = (page.def.leg || []).some((l) => ((c.leg_holder || {})[l.name] || c.centre) === ui.me.centre);
  if (c.status === 'CASE_OPEN' && (page.def.leg || []).length && decides && holds) {
    const to = el('select', { id: 'handoff-to', required: true });
    to.append(el('option', { value: '', text: t('choose') }));
    for (const centre of page.centres) {
      if (centre.code !== ui.me.centre) to.append(el('option', { value: centre.code, text: centre.code + ' ' + label(centre.label) }));
    }
    const leg = el('select', { id: 'handoff-leg' });
    for (const l of page.def.leg) leg.append(el('option', { value: l.name, text: label(l.label) || l.name }));
    const message = el('input', { id: 'handoff-message', autocomplete: 'off' });
    const form = el('form', { class: 'no-print', id: 'handoff-form' },
      el('label', { for: 'handoff-to', text: t('to_centre') }), to,
      el('label', { for: 'handoff-leg', text: t('leg') }), leg,
      el('label', { for: 'handoff-message', text: t('message') }), message,
      el('button', { type: 'submit', text: t('request') }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      command({ request_handoff: { case_number: c.number, to_centre: to.value, leg: leg.value, message: message.value } }, box, form);
    });
    out.push(form);
  }
  out.push(box);
  return out;
}

function timelineTable(timeline) {
  const table = el('table', { class: 'list', id: 'case-timeline' });
  fillTable(table, ['time', 'by', 'what'], timeline.line || [], (tr, line) => {
    cell(tr, hk(line.at), 'nowrap');
    cell(tr, line.actor);
    cell(tr, label(line.what));
  });
  return table;
}

// Whether the officer's centre works the case now (supervisors: any); the
// server decides, this only leaves out forms it would refuse.
function worksHere(c) {
  return ui.me.role !== 'admin' && ui.me.centre === (c.responsible_centre || c.centre);
}

// A fact known before the case moves (a booking number), or one corrected.
function factForm(c) {
  const box = errorBox('fact-error');
  const name = el('select', { id: 'fact-field' });
  name.append(el('option', { value: '', text: t('choose') }));
  for (const f of page.def.field || []) name.append(el('option', { value: f.name, text: label(f.label) || f.name }));
  const slot = el('span', { class: 'fact-slot' }, el('input', { id: 'fact-value', disabled: true, 'aria-label': t('value') }));
  name.addEventListener('change', () => {
    const input = name.value ? fieldInput(name.value, 'fact-value') : el('input', { id: 'fact-value', disabled: true });
    input.setAttribute('aria-label', t('value'));
    slot.replaceChildren(input);
  });
  const why = el('input', { id: 'fact-reason', autocomplete: 'off' });
  const form = el('form', { id: 'fact-form' },
    el('label', { for: 'fact-field', text: t('field') }), name, slot,
    el('label', { for: 'fact-reason', text: t('reason_change') }), why, box,
    el('button', { type: 'submit', text: t('save') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = fieldValue($('fact-value'));
    if (!name.value || !value) return;
    command({ set_fields: { case_number: c.number, fields: { [name.value]: value }, reason: why.value } }, box, form);
  });
  // Folded away until wanted: most visits to a case do not change its facts.
  return el('details', { class: 'no-print', id: 'fact-details' }, el('summary', { text: t('fact_h') }), form);
}

// Closing a case whose work is done, or cancelling one, says why.
function endForm(c) {
  const box = errorBox('end-error');
  const why = el('textarea', { id: 'end-reason', rows: 2 });
  const form = el('form', { class: 'no-print', id: 'end-form' },
    el('label', { for: 'end-reason', text: t('reason') }), why, box,
    el('p', { class: 'inline' },
      // Closed when its work is finished (a last state); cancelled otherwise.
      (defState(c.state) || {}).terminal ? el('button', { type: 'button', id: 'close-case', text: t('close'),
        onclick: () => command({ close_case: { case_number: c.number, reason: why.value } }, box, form) }) : null,
      el('button', { type: 'button', id: 'cancel-case', text: t('cancel'),
        onclick: () => command({ cancel_case: { case_number: c.number, reason: why.value } }, box, form) })));
  form.addEventListener('submit', (e) => e.preventDefault());
  return form;
}

// What the officer has typed or picked on the page and where they are, by
// element id, so that drawing the case anew loses none of it.
function keptInput() {
  const values = new Map();
  for (const i of document.querySelectorAll('#case-view input, #case-view textarea, #case-view select')) {
    const form = i.closest('form');
    if (i.id && !(form && form.id && form.id === page.done)) values.set(i.id, i.value);
  }
  const a = document.activeElement;
  const inView = a && a.closest && a.closest('#case-view');
  const remembered = page.focusId;
  page.focusId = '';
  if (!inView && remembered) return { values, focus: remembered, inView: true, caret: null };
  return { values, focus: inView ? a.id : null, inView,
    caret: inView && 'selectionStart' in a ? [a.selectionStart, a.selectionEnd] : null };
}

function restoreInput(kept) {
  for (const [id, value] of kept.values) {
    const i = document.getElementById(id);
    if (!i || !value) continue;
    i.value = value;
    // The fact form's value input follows the fact chosen: draw it, then fill it.
    if (id === 'fact-field') {
      $('fact-details').open = true;
      i.dispatchEvent(new Event('change'));
      const v = kept.values.get('fact-value');
      if (v && $('fact-value')) $('fact-value').value = v;
    }
  }
  if (!kept.inView) return;
  const back = kept.focus && document.getElementById(kept.focus);
  // A task's button gone with the work it did: back to the tasks.
  const near = kept.focus && /^(done|take|give|na-go)-/.test(kept.focus) ? $('case-tasks-s-h') : null;
  const target = back || near || $('case-title');
  target.focus();
  if (back && kept.caret) {
    try { back.setSelectionRange(kept.caret[0], kept.caret[1]); } catch (e) { /* not a text input */ }
  }
}

function drawCase(c, next, timeline) {
  const view = $('case-view');
  const kept = keptInput();
  page.done = '';
  const fields = Object.keys(c.fields || {}).sort().map((k) => [fieldLabel(k), valueText(k, c.fields[k])]);
  const head = el('section', { class: 'card case-head' },
    el('p', { class: 'no-print' }, el('a', { href: '#/', text: t('back_board') }), ' ',
      el('button', { type: 'button', id: 'print', text: t('print'), onclick: () => window.print() })),
    el('h2', { id: 'case-title', tabindex: '-1' }, c.number + ' · ' + (label(page.def.label) || c.type) + ' · ' +
      [(c.person || {}).name_zh, (c.person || {}).name_en].filter(Boolean).join(' ')),
    dl([[t('state'), stateLabel(c.state)], [t('status'), t(STATUS_WORD[c.status])],
      // An earlier record was opened before this system; a supervisor entered it.
      [t('owner'), c.centre + (c.recorded ? '' : ' · ' + c.opened_by)],
      [t('works'), c.responsible_centre || c.centre],
      [t('opened'), hk(c.opened_at)],
      c.recorded ? [t('earlier_record'), [c.earlier_reference, c.recorded_from && '(' + c.recorded_from + ')',
        t('entered_by') + ' ' + c.opened_by + ' · ' + hk(c.recorded_at)].filter(Boolean).join(' ')] : null,
      [t('summary'), c.summary],
      [t('printed'), hk(new Date().toISOString())]].filter(Boolean)),
    ...pauseSection(c));
  head.querySelector('dl').lastChild.previousSibling.classList.add('print-only');
  head.querySelector('dl').lastChild.classList.add('print-only');
  const [tasks, tasksBox] = taskTable(c);
  view.replaceChildren(...[
    head,
    section('case-flow', 'workflow', drawing(c, timeline)),
    section('case-person', 'person', dl(personRows(c.person).concat([[t('caller'), callerLine(c.caller)]]))),
    section('case-fields', 'fields', fields.length ? dl(fields) : el('p', { class: 'empty', text: t('none') }),
      c.status === 'CASE_OPEN' && worksHere(c) ? factForm(c) : null),
    section('case-tasks-s', 'tasks', tasks, tasksBox),
    c.status === 'CASE_OPEN' ? noPrint(section('case-next', 'next', nextEvents(c, next))) : null,
    section('case-handoffs-s', 'handoffs_case', ...handoffSection(c)),
    c.status === 'CASE_OPEN' ? noPrint(section('case-notes', 'notes', noteForm(c))) : null,
    c.status === 'CASE_OPEN' && worksHere(c) ? noPrint(section('case-end', 'end_h', endForm(c))) : null,
    section('case-timeline-s', 'timeline', timelineTable(timeline))].filter(Boolean));
  view.dataset.version = c.version;
  restoreInput(kept);
}

// Reads the case and draws it, unless nothing changed since it was drawn
// (`force`: after the officer's own command, whose form is then done).
// `afterCommand`: the officer's own command just succeeded (if the case is
// gone then, their command took it away).
async function loadCase(number, force, afterCommand) {
  const generation = ++page.generation;
  try {
    const c = await api('GET', 'cases/' + encodeURIComponent(number));
    if (!force && page.c && page.c.number === c.number && page.c.version === c.version &&
        page.lang === ui.lang && view().childElementCount) return;
    const [next, timeline, def, duty] = await Promise.all([
      api('GET', 'cases/' + encodeURIComponent(number) + '/next'),
      api('GET', 'cases/' + encodeURIComponent(number) + '/timeline'),
      page.def && page.def.hash === c.definition.content_hash ? page.def
        : api('GET', 'definitions/' + c.definition.content_hash),
      api('GET', 'duty').catch(() => ({ shift: [] })),
    ]);
    page.onDuty = new Set((duty.shift || []).map((x) => x.user));
    if (!page.centres.length) page.centres = (await api('GET', 'centres')).centre || [];
    if (!page.users.length) page.users = (await api('GET', 'users')).user || [];
    if (generation !== page.generation || page.number !== number) return;
    def.hash = c.definition.content_hash;
    page.def = def;
    page.c = c;
    page.lang = ui.lang;
    drawCase(c, next, timeline);
    $('case-error').hidden = true;
  } catch (e) {
    if (e.status === 401) return signedOut();
    if (generation !== page.generation) return;
    // A case not there (or not yours) shows nothing of it; a read that failed
    // keeps what is shown, and says why.
    if (e.status === 404) { view().replaceChildren(); page.c = null; }
    // Declined, or handed on: the officer's own command took the case away.
    $('case-error').textContent = e.status === 404 ? t(afterCommand ? 'gone_after' : 'no_case') : e.message;
    $('case-error').hidden = false;
  }
}

function view() { return $('case-view'); }

async function showCase(number) {
  if (page.number !== number) {
    page.c = null;
    view().replaceChildren();
  }
  page.number = number;
  show('case');
  await loadCase(number);
  const title = $('case-title');
  if (title && !(document.activeElement && document.activeElement.closest('#case-view'))) title.focus();
}

// Something happened on the case shown: read it again (a burst of changes
// once). While the officer's own command runs, its reading at the end sees it.
function caseChanged(number) {
  if (page.number !== number || $('case-wrap').hidden || page.busy) return;
  clearTimeout(page.timer);
  page.timer = setTimeout(() => loadCase(number), 150);
}
