// The year a supervisor reports: the yearly report (contacts and cases, by
// category, centre and month, against the year before) and the service
// figures (deadlines met and missed, handoffs, pauses), with charts. Every
// number is a link to the rows it counts (#/list/...): the same filters the
// report counted by, so a list is as long as its number.
'use strict';

Object.assign(WORDS, {
  year_nav: ['Year', '年度統計'],
  year_h: ['The year', '年度統計'],
  year_sel: ['Year', '年份'],
  centre_sel: ['Centre', '中心'],
  the_network: ['The network', '整個網絡'],
  legal_only: ['Legal-advice service only', '只計法律諮詢服務'],
  contacts_w: ['Contacts (人次)', '來電及到訪（人次）'],
  cases_w: ['Cases', '個案'],
  legal_contacts_w: ['Legal-advice contacts', '法律諮詢人次'],
  legal_cases_w: ['Legal-advice cases', '法律諮詢個案'],
  change_w: ['Change %', '變化 %'],
  share_w: ['Share %', '百分比'],
  category_w: ['Category', '類別'],
  count_w: ['Count', '數目'],
  by_category_contacts: ['Contacts by category', '來電及到訪：按類別'],
  by_category_cases: ['Cases by category', '個案：按類別'],
  by_centre_w: ['By centre', '按中心'],
  by_month_w: ['By month (Hong Kong time)', '按月份（香港時間）'],
  month_w: ['Month', '月份'],
  shares_add: ['Shares are rounded half-up to one decimal, each on its own; they add up to ',
    '百分比各自四捨五入至一位小數，合計為 '],
  service_h: ['How the work went', '服務表現'],
  deadlines_w: ['Deadlines', '限期'],
  type_w: ['Case type', '個案類型'],
  stage_w: ['Stage', '階段'],
  met_w: ['Met', '準時'],
  missed_w: ['Missed', '逾期'],
  whole_case: ['the whole case', '整宗個案'],
  handoff_answer: ['answering a handoff', '回覆交接'],
  handoffs_accepted: ['Handoffs accepted: time to accept', '接受交接所需時間'],
  accepted_w: ['Accepted', '已接受'],
  median_w: ['Median', '中位數'],
  p90_w: ['90th percentile', '第 90 百分位'],
  paused_h: ['Time paused', '暫停時間'],
  reason_w: ['Reason', '原因'],
  pauses_w: ['Pauses', '次數'],
  time_w: ['Time', '時間'],
  past_deadline: ['Cases past their whole-case deadline', '超過整宗個案限期的個案'],
  list_year_cases: ['Cases', '個案'],
  list_year_contacts: ['Contacts', '來電及到訪'],
  list_missed_deadline: ['Cases that missed a deadline', '逾期的個案'],
  list_past_deadline: ['Cases past their whole-case deadline', '超過整宗個案限期的個案'],
  list_handoffs_accepted: ['Cases whose handoffs were accepted', '已接受交接的個案'],
  list_paused: ['Cases paused', '曾暫停的個案'],
  status_w: ['Status', '狀態'],
  when_w: ['When', '時間'],
  how_w: ['How', '方式'],
  note_w: ['Note', '備註'],
  first_shown: ['the first 1000 are shown', '只顯示首 1000 項'],
  uncounted: ['Not yet counted under one', '未分類'],
  back_year: ['The year', '年度統計'],
  cases_n: ['cases', '宗個案'],
  not_read: ['could not be read', '未能讀取'],
  first_200: ['the first 200 are shown', '只顯示首 200 宗'],
  all_work: ['The service figures count all work, the legal-advice service\'s and the rest.',
    '服務表現計算所有工作，不只法律諮詢服務。'],
});

// A figure that counts events (misses, pauses, handoffs) leads to the cases
// behind them, fewer when a case had more than one: "3 (1 cases)".
function countOfCases(count, cases) {
  const n = Number(count || 0);
  const m = (cases || []).length;
  return n === m ? String(n) : n + ' (' + m + ' ' + t('cases_n') + ')';
}

// What a year page shows, so that a list opened from it goes back to it:
// "2026:SZ:1", "2026:network:0".
function pageOf(base) {
  return base.year + ':' + (base.centre || 'network') + ':' + (base.legal ? 1 : 0);
}

// "#/list/year-cases?year=2026&centre=SZ&category=medical"
function rowsLink(kind, params, text) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== false) q.set(k, String(v));
  const a = document.createElement('a');
  a.href = '#/list/' + kind + '?' + q.toString();
  a.textContent = text;
  return a;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

// A bar as long as `value` is of `max`, for a table's row (the number beside
// it is the link; the bar only shows its size).
function bar(value, max, className) {
  const width = max > 0 ? Math.max(value > 0 ? 1 : 0, Math.round((value / max) * 200)) : 0;
  return svg('svg', { class: 'share-bar ' + (className || ''), width: 200, height: 14, 'aria-hidden': 'true' },
    svg('rect', { x: 0, y: 2, width, height: 10, rx: 2 }));
}

// Twelve months, contacts and cases side by side.
function monthChart(months) {
  const max = Math.max(1, ...months.map((m) => Math.max(Number(m.contacts || 0), Number(m.cases || 0))));
  const h = 120;
  const chart = svg('svg', { class: 'months', viewBox: '0 0 480 150', role: 'img',
    'aria-label': t('by_month_w') });
  months.forEach((m, i) => {
    const x = 10 + i * 39;
    for (const [k, dx, cls] of [['contacts', 0, 'contacts'], ['cases', 15, 'cases']]) {
      const v = Number(m[k] || 0);
      const bh = Math.round((v / max) * h);
      chart.append(svg('rect', { class: cls, x: x + dx, y: 10 + h - bh, width: 13, height: bh }));
    }
    const label = svg('text', { x: x + 14, y: 145, 'text-anchor': 'middle' });
    label.textContent = String(m.month);
    chart.append(label);
  });
  return chart;
}

function hours(ms) {
  const h = Number(ms || 0) / 3600000;
  if (h < 48) return (Math.round(h * 10) / 10) + (ui.lang === 'en' ? ' h' : ' 小時');
  return (Math.round((h / 24) * 10) / 10) + (ui.lang === 'en' ? ' days' : ' 日');
}

function yearHash(year, centre, legal) {
  const q = new URLSearchParams();
  if (centre) q.set('centre', centre);
  if (legal) q.set('legal', '1');
  return '#/year/' + year + (q.toString() ? '?' + q : '');
}

const yearPage = { generation: 0 };

async function showYear(year, params) {
  // Redrawn from its own form, the page keeps the focus where it is.
  if ($('year-view').hidden) show('year');
  const generation = ++yearPage.generation;
  const now = Number(hk(new Date().toISOString()).slice(0, 4));
  year = year || now;
  // A duty officer's report is their own centre's (the server says so too).
  const centre = seesEverything() ? params.get('centre') || '' : ui.me.centre;
  const legal = params.get('legal') === '1';
  const box = $('year-error');
  box.hidden = true;
  const ys = $('year-sel');
  ys.replaceChildren(...Array.from({ length: 6 }, (_, i) => now - i)
    .map((y) => el('option', { value: y, text: String(y) })));
  ys.value = String(year);
  const cs = $('year-centre');
  try {
    const centres = await api('GET', 'centres');
    cs.replaceChildren(...(seesEverything() ? [el('option', { value: '', text: t('the_network') })] : []),
      ...(centres.centre || []).filter((c) => seesEverything() || c.code === ui.me.centre)
        .map((c) => el('option', { value: c.code, text: c.code + ' ' + label(c.label) })));
    cs.value = centre;
    $('year-legal').checked = legal;
    const base = { year, centre, legal: legal ? 1 : '' };
    base.in = pageOf(base);  // for the way back from a list, whose own year or centre may differ
    for (const id of ['year-totals', 'year-contacts', 'year-cases', 'year-centres', 'year-months',
      'year-deadlines', 'year-handoffs', 'year-paused', 'year-past', 'year-month-chart']) {
      $(id).replaceChildren();
    }
    $('year-legal-note').hidden = !legal;
    const [r, s] = await Promise.all([
      api('GET', 'reports/year/' + year + '?compare=' + (year - 1) +
        (centre ? '&centre=' + encodeURIComponent(centre) : '') + (legal ? '&legal=1' : '')),
      api('GET', 'reports/service/' + year + (centre ? '?centre=' + encodeURIComponent(centre) : '')),
    ]);
    if (generation !== yearPage.generation) return;  // a newer choice is being drawn
    drawTotals(r, base);
    drawCategories($('year-contacts'), r.contacts || {}, 'year-contacts', base);
    drawCategories($('year-cases'), r.cases || {}, 'year-cases', base);
    drawCentres(r, base);
    drawMonths(r, base);
    drawService(s, base);
  } catch (e) {
    if (e.status === 401) return signedOut();
    if (generation !== yearPage.generation) return;
    box.textContent = e.message;
    box.hidden = false;
  }
}

function earlierOf(list) { return (list || [])[0] || {}; }

function drawTotals(r, base) {
  const rows = [['contacts_w', r.contacts, 'year-contacts', {}], ['cases_w', r.cases, 'year-cases', {}],
    ['legal_contacts_w', r.legal_contacts, 'year-contacts', { legal: 1 }],
    ['legal_cases_w', r.legal_cases, 'year-cases', { legal: 1 }]];
  const table = $('year-totals');
  table.replaceChildren();
  const h = table.createTHead().insertRow();
  for (const text of ['', String(base.year), String(base.year - 1), t('change_w')]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    h.append(th);
  }
  const body = table.createTBody();
  for (const [word, tally, kind, extra] of rows) {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = t(word);
    tr.append(th);
    cell(tr, '').append(rowsLink(kind, { ...base, ...extra }, String(Number((tally || {}).total || 0))));
    const earlier = earlierOf((tally || {}).earlier);
    cell(tr, '').append(rowsLink(kind, { ...base, ...extra, year: base.year - 1 }, String(Number(earlier.count || 0))));
    cell(tr, earlier.change || '-');
  }
}

function drawCategories(table, tally, kind, base) {
  const cats = tally.category || [];
  const max = Math.max(0, ...cats.map((c) => Number(c.count || 0)));
  fillTable(table, ['category_w', '', 'count_w', 'share_w', 'change_w'], cats, (tr, c) => {
    cell(tr, c.category ? label(c.label) || c.category : t('uncounted'));
    cell(tr, '').append(bar(Number(c.count || 0), max, kind));
    const which = c.category ? { category: c.category } : { uncounted: 1 };
    cell(tr, '').append(rowsLink(kind, { ...base, ...which }, String(Number(c.count || 0))));
    cell(tr, c.share || '0.0');
    cell(tr, earlierOf(c.earlier).change || '-');
  });
  const note = table.nextElementSibling;
  note.textContent = cats.length ? t('shares_add') + (tally.shares_sum || '0.0') + '%' : '';
}

function drawCentres(r, base) {
  const wrap = $('year-centres-s');
  wrap.hidden = !!base.centre;
  if (base.centre) return;
  fillTable($('year-centres'), ['centre_col', 'contacts_w', 'cases_w', 'legal_contacts_w', 'legal_cases_w'],
    r.by_centre || [], (tr, c) => {
      const at = { ...base, centre: c.centre };
      cell(tr, c.centre);
      cell(tr, '').append(rowsLink('year-contacts', at, String(Number(c.contacts || 0))));
      cell(tr, '').append(rowsLink('year-cases', at, String(Number(c.cases || 0))));
      cell(tr, '').append(rowsLink('year-contacts', { ...at, legal: 1 }, String(Number(c.legal_contacts || 0))));
      cell(tr, '').append(rowsLink('year-cases', { ...at, legal: 1 }, String(Number(c.legal_cases || 0))));
    });
}

function drawMonths(r, base) {
  const months = r.by_month || [];
  const key = (cls, word) => el('span', { class: 'key' },
    svg('svg', { width: 12, height: 12, 'aria-hidden': 'true', class: 'months' },
      svg('rect', { class: cls, x: 0, y: 0, width: 12, height: 12 })), ' ' + t(word));
  $('year-month-chart').replaceChildren(monthChart(months),
    el('p', { class: 'hint' }, key('contacts', 'contacts_w'), ' ', key('cases', 'cases_w')));
  fillTable($('year-months'), ['month_w', 'contacts_w', 'cases_w'], months, (tr, m) => {
    cell(tr, String(m.month));
    cell(tr, '').append(rowsLink('year-contacts', { ...base, month: m.month }, String(Number(m.contacts || 0))));
    cell(tr, '').append(rowsLink('year-cases', { ...base, month: m.month }, String(Number(m.cases || 0))));
  });
}

function stageName(d) {
  if (d.stage === '') return t('whole_case');
  if (d.stage === 'handoff:answer') return t('handoff_answer');
  return label(d.stage_label) || d.stage;
}

function drawService(s, base) {
  const at = { year: base.year, centre: base.centre, in: base.in };
  fillTable($('year-deadlines'), ['centre_col', 'type_w', 'stage_w', 'met_w', 'missed_w'], s.deadline || [],
    (tr, d) => {
      cell(tr, d.centre);
      cell(tr, d.type);
      cell(tr, stageName(d));
      cell(tr, String(Number(d.met || 0)));
      const missed = cell(tr, '', Number(d.missed || 0) ? 'alert' : '');
      missed.append(rowsLink('missed-deadline', { ...at, centre: d.centre, type: d.type, stage: d.stage || '-' },
        countOfCases(d.missed, d.missed_case)));
    });
  fillTable($('year-handoffs'), ['centre_col', 'accepted_w', 'median_w', 'p90_w'], s.handoff || [], (tr, h) => {
    cell(tr, h.centre);
    cell(tr, '').append(rowsLink('handoffs-accepted', { ...at, centre: h.centre },
      countOfCases(h.accepted, h.case_number)));
    cell(tr, hours(h.median_ms));
    cell(tr, hours(h.p90_ms));
  });
  fillTable($('year-paused'), ['centre_col', 'reason_w', 'pauses_w', 'time_w'], s.paused || [], (tr, p) => {
    cell(tr, p.centre);
    cell(tr, label(p.reason_label) || p.reason);
    cell(tr, '').append(rowsLink('paused', { ...at, centre: p.centre, reason: p.reason },
      countOfCases(p.pauses, p.case_number)));
    cell(tr, hours(p.paused_ms));
  });
  fillTable($('year-past'), ['centre_col', 'cases_w'], s.past_case_deadline || [], (tr, c) => {
    cell(tr, c.centre);
    const n = cell(tr, '', 'alert');
    n.append(rowsLink('past-deadline', { ...at, centre: c.centre }, String(Number(c.cases || 0))));
  });
}

function buildYear() {
  const form = $('year-form');
  if (form.dataset.built) return;
  form.dataset.built = '1';
  const go = () => { location.hash = yearHash($('year-sel').value, $('year-centre').value, $('year-legal').checked); };
  for (const id of ['year-sel', 'year-centre', 'year-legal']) $(id).addEventListener('change', go);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); go(); });
}

// --- The rows behind a number ---------------------------------------------

// The query the report counted by, as the reads take it.
function countedQuery(params) {
  const q = new URLSearchParams();
  for (const k of ['year', 'month', 'centre', 'category', 'uncounted', 'legal']) {
    if (params.get(k)) q.set(k, params.get(k));
  }
  return q.toString();
}

async function categoryLabels() {
  try {
    const list = await api('GET', 'categories');
    return new Map((list.category || []).map((c) => [c.code, label(c.label)]));
  } catch (e) {
    return new Map();
  }
}

// Cases by number (a service figure names them), the first 200, read ten at
// a time; one that cannot be read is listed as such.
async function casesNamed(numbers) {
  const read = [];
  const first = numbers.slice(0, 200);
  for (let i = 0; i < first.length; i += 10) {
    read.push(...await Promise.all(first.slice(i, i + 10).map(async (n) => {
      try {
        return await api('GET', 'cases/' + encodeURIComponent(n));
      } catch (e) {
        if (e.status === 401) throw e;
        return { number: n, unread: true };
      }
    })));
  }
  return read;
}

function caseRows(table, cases, names) {
  fillTable(table, ['case_', 'type_w', 'status_w', 'opened_col', 'category_w'], cases, (tr, c) => {
    cell(tr, '').append(caseLink(c.number, c.number));
    cell(tr, c.type || '');
    if (c.unread) {
      const td = cell(tr, t('not_read'), 'empty');
      td.colSpan = 4;
      return;
    }
    cell(tr, STATUS_WORD[c.status] ? t(STATUS_WORD[c.status]) : c.status || '');
    cell(tr, hk(c.opened_at));
    cell(tr, c.category ? names.get(c.category) || c.category : t('uncounted'));
  });
}

// kind: year-cases, year-contacts, and the service figures' missed-deadline,
// past-deadline, handoffs-accepted and paused.
async function showYearList(kind, params, table) {
  const names = await categoryLabels();
  let more = false;
  if (kind === 'year-cases') {
    const list = await api('GET', 'cases?status=all&limit=1000&' + countedQuery(params));
    more = !!list.next_after;  // the read pages by 1000 at most
    caseRows(table, list.case_state || [], names);
  } else if (kind === 'year-contacts') {
    const list = await api('GET', 'contacts?limit=1000&' + countedQuery(params));
    const contacts = list.contact || [];
    more = contacts.length === 1000;
    fillTable(table, ['when_w', 'centre_col', 'how_w', 'category_w', 'legal_w', 'case_', 'note_w'], contacts, (tr, k) => {
      cell(tr, hk(k.at));
      cell(tr, k.centre);
      cell(tr, t('channel_' + (k.channel || '').replace('CHANNEL_', '').toLowerCase()));
      cell(tr, names.get(k.category) || k.category);
      cell(tr, k.legal_advice ? t('yes') : '');
      cell(tr, '').append(k.case_number ? caseLink(k.case_number, k.case_number) : '');
      cell(tr, k.note || k.source || '');
    });
  } else {
    const s = await api('GET', 'reports/service/' + params.get('year') +
      (params.get('centre') ? '?centre=' + encodeURIComponent(params.get('centre')) : ''));
    let numbers = [];
    const centre = params.get('centre');
    if (kind === 'missed-deadline') {
      const stage = params.get('stage') === '-' ? '' : params.get('stage');
      const d = (s.deadline || []).find((x) => x.centre === centre &&
        x.type === params.get('type') && (x.stage || '') === stage);
      numbers = (d && d.missed_case) || [];
    } else if (kind === 'handoffs-accepted') {
      const h = (s.handoff || []).find((x) => x.centre === centre);
      numbers = (h && h.case_number) || [];
    } else if (kind === 'paused') {
      const p = (s.paused || []).find((x) => x.centre === centre && x.reason === params.get('reason'));
      numbers = (p && p.case_number) || [];
    } else {
      const c = (s.past_case_deadline || []).find((x) => x.centre === centre);
      numbers = (c && c.case_number) || [];
    }
    caseRows(table, await casesNamed(numbers), names);
    if (numbers.length > 200) return t('first_200');
  }
  return more ? t('first_shown') : '';
}
