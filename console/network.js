// The supervisor's view: every centre at a glance (the `network` read), and
// behind each number the list it counts: open cases, overdue tasks, cases
// with a deadline missed, handoffs waiting, dead letters in the outbox.
'use strict';

Object.assign(WORDS, {
  network: ['Network', '網絡概覽'],
  network_h: ['The network at a glance', '網絡概覽'],
  as_of: ['As of', '截至'],
  centre_col: ['Centre', '中心'],
  open_cases: ['Open cases', '進行中個案'],
  open_tasks: ['Open tasks', '待辦工作'],
  overdue_tasks: ['Overdue tasks', '逾期工作'],
  missed: ['Deadlines missed, not yet met', '已逾期未完成的限期'],
  handoffs_waiting: ['Handoffs waiting (oldest since)', '待接受交接（最早）'],
  on_duty_col: ['On duty now', '現正當值'],
  dead_letters: ['Notifications the outbox gave up on', '未能送出的通知'],
  list_cases: ['Open cases', '進行中個案'],
  list_missed: ['Open cases with a deadline missed', '有逾期限期的個案'],
  list_overdue: ['Overdue tasks', '逾期工作'],
  list_tasks: ['Open tasks', '待辦工作'],
  list_handoffs: ['Handoffs waiting', '待接受交接'],
  list_dead: ['Notifications the outbox gave up on', '未能送出的通知'],
  state_col: ['State', '階段'],
  opened_col: ['Opened', '開案時間'],
  missed_col: ['Missed', '已逾期'],
  created: ['Created', '建立時間'],
  kind: ['Kind', '類別'],
  to: ['To', '收件者'],
  last_error: ['Last error', '最後錯誤'],
  all_centres: ['all centres', '所有中心'],
});

// "#/list/overdue?centre=SZ"
function listLink(kind, centre, text) {
  const a = document.createElement('a');
  a.href = '#/list/' + kind + (centre ? '?centre=' + encodeURIComponent(centre) : '');
  a.textContent = text;
  return a;
}

async function showNetwork() {
  if ($('network-view').hidden) show('network');  // a live update leaves focus where it is
  const box = $('network-error');
  box.hidden = true;
  try {
    const net = await api('GET', 'network');
    $('network-at').textContent = t('as_of') + ' ' + hk(net.at);
    const rows = net.centre || [];
    fillTable($('network'), ['centre_col', 'open_cases', 'open_tasks', 'overdue_tasks', 'missed',
      'handoffs_waiting', 'on_duty_col'], rows, (tr, f) => {
      cell(tr, f.centre);
      cell(tr, '').append(listLink('cases', f.centre, String(f.open_cases || 0)));
      cell(tr, '').append(listLink('tasks', f.centre, String(f.open_tasks || 0)));
      const overdue = cell(tr, '', f.overdue_tasks ? 'alert' : '');
      overdue.append(listLink('overdue', f.centre, String(f.overdue_tasks || 0)));
      const missed = cell(tr, '', f.missed_deadlines ? 'alert' : '');
      missed.append(listLink('missed', f.centre, String(f.missed_deadlines || 0)));
      const waiting = cell(tr, '');
      waiting.append(listLink('handoffs', f.centre, String(f.handoffs_waiting || 0)));
      if (f.oldest_handoff_since) waiting.append(' (' + hk(f.oldest_handoff_since) + ')');
      cell(tr, (f.on_duty || []).join(', ') || '-');
    });
    const dead = $('network-dead');
    dead.replaceChildren(t('dead_letters') + ': ', listLink('dead', '', String(net.dead_letters || 0)));
  } catch (e) {
    if (e.status === 401) return signedOut();
    box.textContent = e.message;
    box.hidden = false;
  }
}

// The list behind a number. The server's lists, narrowed here where the
// number counted a part of one (overdue, missed); the year's (report.js)
// by what the report counted.
async function showList(kind, params) {
  show('list');
  const centre = params.get('centre') || '';
  const table = $('list');
  const box = $('list-error');
  box.hidden = true;
  table.replaceChildren();
  const yearly = ['year-cases', 'year-contacts', 'missed-deadline', 'past-deadline', 'handoffs-accepted',
    'paused'].includes(kind);
  const back = $('list-back');
  // The year page the list was opened from: "2026:SZ:1".
  const [inYear, inCentre, inLegal] = (params.get('in') || '').split(':');
  back.href = yearly ? yearHash(inYear || params.get('year'), inCentre && inCentre !== 'network' ? inCentre : '',
    inLegal === '1') : '#/network';
  back.dataset.t = yearly ? 'back_year' : 'network';
  back.textContent = t(back.dataset.t);
  const what = [params.get('year'), params.get('month') ? t('month_w') + ' ' + params.get('month') : '',
    params.get('type'), params.get('category'), params.get('uncounted') ? t('uncounted') : '',
    params.get('legal') ? t('legal_w') : ''].filter(Boolean);
  $('list-h').textContent = t('list_' + kind.replace(/-/g, '_')) + ' · ' + (centre || t('all_centres')) +
    (what.length ? ' · ' + what.join(' · ') : '');
  $('list-count').textContent = '';
  if (yearly) {
    try {
      const more = await showYearList(kind, params, table);
      $('list-count').textContent = '(' + Math.max(0, table.tBodies.length ? table.tBodies[0].rows.length : 0) +
        (more ? '; ' + more : '') + ')';
    } catch (e) {
      if (e.status === 401) return signedOut();
      box.textContent = e.message;
      box.hidden = false;
    }
    return;
  }
  const q = centre ? '&centre=' + encodeURIComponent(centre) : '';
  const now = Date.now();
  try {
    if (kind === 'cases' || kind === 'missed') {
      const list = await api('GET', 'cases?status=open&limit=1000' + q);
      let cases = list.case_state || [];
      // Types and states as people name them: from the versions the cases run on.
      const defs = new Map();
      await Promise.all([...new Set(cases.map((c) => c.definition.content_hash))].map(async (hash) => {
        try { defs.set(hash, await api('GET', 'definitions/' + hash)); } catch (e) { /* codes, then */ }
      }));
      const typeOf = (c) => label((defs.get(c.definition.content_hash) || {}).label) || c.type;
      const stateOf = (c) => {
        const st = ((defs.get(c.definition.content_hash) || {}).state || []).find((x) => x.name === c.state);
        return (st && label(st.label)) || c.state;
      };
      const missedOf = (c) => (c.timer || []).filter((x) => x.breached);
      if (kind === 'missed') cases = cases.filter((c) => missedOf(c).length > 0);
      fillTable(table, ['case_', 'person', 'state_col', 'opened_col', 'missed_col'], cases, (tr, c) => {
        cell(tr, '').append(caseLink(c.number, c.number + ' ' + typeOf(c)));
        cell(tr, [c.person.name_zh, c.person.name_en].filter(Boolean).join(' '));
        cell(tr, stateOf(c));
        cell(tr, hk(c.opened_at));
        cell(tr, missedOf(c).map((x) => x.what + ' (' + hk(x.due_at) + ')').join('; '));
      });
    } else if (kind === 'tasks' || kind === 'overdue') {
      // The `network` read counts tasks by the centre that works them.
      const list = await api('GET', 'tasks');
      let tasks = (list.task || []).filter((v) => !centre || v.task.centre === centre);
      if (kind === 'overdue') {
        tasks = tasks.filter((v) => !v.task.paused && v.task.due_at && new Date(v.task.due_at).getTime() < now);
      }
      taskRows(table, tasks, $('list-count'));
    } else if (kind === 'handoffs') {
      const list = await api('GET', 'handoffs');
      const waiting = (list.handoff || []).filter((h) => h.handoff.status === 'HANDOFF_PENDING' &&
        (!centre || h.handoff.to_centre === centre));
      await knowTypes(waiting.map((h) => h.case_type));
      fillTable(table, ['case_', 'from', 'to', 'leg', 'waiting', 'message'], waiting, (tr, h) => {
        cell(tr, '').append(caseLink(h.case_number, h.case_number + '/H' + h.handoff.id + ' ' + (h.person_name || '')));
        cell(tr, h.handoff.from_centre);
        cell(tr, h.handoff.to_centre);
        cell(tr, legLabel(h.case_type, h.handoff.leg));
        cell(tr, hk(h.handoff.requested_at));
        cell(tr, h.handoff.message || '');
      });
    } else if (kind === 'dead') {
      const list = await api('GET', 'outbox?status=dead&limit=1000');
      fillTable(table, ['created', 'kind', 'case_', 'to', 'last_error'], list.notification || [], (tr, n) => {
        cell(tr, hk(n.created_at));
        cell(tr, n.kind);
        cell(tr, '').append(n.case_number ? caseLink(n.case_number, n.case_number) : '');
        cell(tr, n.channel + ' · ' + (n.centre || ''));
        cell(tr, n.last_error || '');
      });
    }
    if (kind !== 'tasks' && kind !== 'overdue') {
      $('list-count').textContent = '(' + Math.max(0, table.rows.length - 1) + ')';
    }
  } catch (e) {
    if (e.status === 401) return signedOut();
    box.textContent = e.message;
    box.hidden = false;
  }
}
