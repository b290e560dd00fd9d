// Intake: a case opened while the caller is still on the line. The identity
// card's check digit is checked as it is typed (the server checks it again);
// an error is said beside the field it concerns, and nothing typed is lost.
'use strict';

Object.assign(WORDS, {
  new_case: ['New case', '新個案'],
  type: ['Case type', '個案類別'],
  centre_of: ['Centre', '中心'],
  person_h: ['The person', '當事人'],
  name_zh: ['Name in Chinese', '中文姓名'],
  name_en: ['Name in English', '英文姓名'],
  kin_name: ['Next of kin: name', '香港親屬：姓名'],
  kin_rel: ['Next of kin: relationship', '香港親屬：關係'],
  kin_phone: ['Next of kin: phone', '香港親屬：電話'],
  caller_h: ['Who is calling', '來電者'],
  caller_name: ['Name', '姓名'],
  caller_rel: ['Relationship to the person', '與當事人關係'],
  caller_org: ['Organisation', '機構'],
  caller_phone: ['Phone to call back', '回覆電話'],
  caller_note: ['How and when to reach them', '聯絡方法及時間'],
  case_h: ['The case', '個案'],
  open: ['Open the case', '開案'],
  required: ['needed', '必填'],
  hkid_ok: ['Check digit correct', '核對號碼正確'],
  hkid_format: ['One or two letters, six digits and a check digit, like A123456(3)',
                '一至兩個英文字母、六位數字及核對號碼，例如 A123456(3)'],
  hkid_check: ['The check digit does not match: read the number from the card again',
               '核對號碼不符：請再次核對身份證'],
  not_opened: ['The case was not opened: see the field marked.', '未能開案：請查看標示的欄位。'],
  caller_h_needed: ['Who is calling (needed)', '來電者（必填）'],
  name_needed: ['A name in Chinese or in English is needed', '須填寫中文或英文姓名'],
  type_needed: ['Choose the case type', '請選擇個案類別'],
  category: ['Counted under', '統計類別'],
  by_type: ['As its type is counted', '按個案類型'],
  legal: ['Taken by the legal-advice service', '由法律諮詢服務跟進'],
  contact_h: ['A call or visit that is not a case (人次)', '來電及到訪（不開案）'],
  channel: ['How they reached us', '聯絡方式'],
  contact_note: ['Note (no identity numbers needed)', '備註（毋須填寫身份證號碼）'],
  led_to: ['Case it led to (if one)', '相關個案（如有）'],
  log_contact: ['Log it', '記錄'],
  logged: ['Logged: contact', '已記錄人次，編號'],
  category_needed: ['Choose what it was about', '請選擇類別'],
  legal_w: ['Legal advice', '法律諮詢'],
  channel_phone: ['phone', '電話'],
  channel_visit: ['visit', '到訪'],
  channel_chat: ['chat', '網上對話'],
  channel_email: ['email', '電郵'],
});

// The categories, grouped, for a picker; retired ones are not offered.
// `first` is the option that says none was chosen.
async function fillCategories(select, first) {
  const list = await api('GET', 'categories');
  const kept = select.value;
  const groups = (list.group || []).map((g) => {
    const og = el('optgroup', { label: label(g.label) || g.code });
    for (const c of (list.category || []).filter((x) => x.group === g.code && !x.retired)) {
      og.append(el('option', { value: c.code, text: label(c.label) || c.code }));
    }
    return og;
  }).filter((og) => og.children.length > 0);
  select.replaceChildren(el('option', { value: '', text: first }), ...groups);
  select.value = kept;
}

// The same check as model/hkid.cc: '' when valid, else what is wrong.
function hkidProblem(raw) {
  const s = raw.toUpperCase().replace(/[ ()]/g, '');
  if (!s) return '';
  const m = /^([A-Z]{1,2})([0-9]{6})([0-9A])$/.exec(s);
  if (!m) return 'hkid_format';
  const [, letters, digits, check] = m;
  let sum = letters.length === 1 ? 36 * 9 : 0;
  let weight = letters.length === 1 ? 8 : 9;
  for (const ch of letters) sum += (ch.charCodeAt(0) - 55) * weight--;
  for (const ch of digits) sum += Number(ch) * weight--;
  const expected = (11 - (sum % 11)) % 11;
  return check === (expected === 10 ? 'A' : String(expected)) ? '' : 'hkid_check';
}

const intake = { def: null, generation: 0 };

// [id, word, path in open_case, attributes]
const PERSON_INPUTS = [
  ['person-name_zh', 'name_zh', 'person.name_zh', { autocomplete: 'off' }],
  ['person-name_en', 'name_en', 'person.name_en', { autocomplete: 'off' }],
  ['person-hkid', 'hkid', 'person.hkid', { autocomplete: 'off', 'aria-describedby': 'person-hkid-check' }],
  ['person-home_return_permit', 'permit', 'person.home_return_permit', { autocomplete: 'off' }],
  ['person-date_of_birth', 'dob', 'person.date_of_birth', { type: 'date' }],
  ['person-phone', 'phone', 'person.phone', { type: 'tel', autocomplete: 'off' }],
  ['person-current_location', 'location', 'person.current_location', { autocomplete: 'off' }],
  ['person-next_of_kin-name', 'kin_name', 'person.next_of_kin.name', { autocomplete: 'off' }],
  ['person-next_of_kin-relationship', 'kin_rel', 'person.next_of_kin.relationship', { autocomplete: 'off' }],
  ['person-next_of_kin-phone', 'kin_phone', 'person.next_of_kin.phone', { type: 'tel', autocomplete: 'off' }],
];
const CALLER_INPUTS = [
  ['caller-name', 'caller_name', 'caller.name', { autocomplete: 'off' }],
  ['caller-relationship', 'caller_rel', 'caller.relationship', { autocomplete: 'off' }],
  ['caller-organisation', 'caller_org', 'caller.organisation', { autocomplete: 'off' }],
  ['caller-phone', 'caller_phone', 'caller.phone', { type: 'tel', autocomplete: 'off' }],
  ['caller-note', 'caller_note', 'caller.note', { autocomplete: 'off' }],
];

// A labelled input with a place under it for what is wrong with it.
function row(id, word, attrs, input) {
  const i = input || el('input', { id: 'in-' + id, name: id, ...attrs });
  i.id = 'in-' + id;
  i.setAttribute('aria-describedby', [attrs && attrs['aria-describedby'], 'err-' + id].filter(Boolean).join(' '));
  return el('div', { class: 'row' }, el('label', { for: i.id, 'data-t': word, text: t(word) }), i,
    el('p', { id: 'err-' + id, class: 'error field-error', role: 'alert', hidden: true }));
}

function clearErrors() {
  for (const e of document.querySelectorAll('#intake-form .field-error')) { e.hidden = true; e.textContent = ''; }
  for (const i of document.querySelectorAll('#intake-form [aria-invalid]')) i.removeAttribute('aria-invalid');
  $('intake-error').hidden = true;
}

function fieldError(id, message, focus = true) {
  const box = $('err-' + id);
  const input = $('in-' + id);
  if (!box || !input) return false;
  box.textContent = message;
  box.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  if (focus) input.focus();
  return true;
}

// The fields a type needs to open, drawn for the type chosen last (a quick
// run down the list with the arrow keys asks for several).
async function typeChosen() {
  const generation = ++intake.generation;
  const name = $('in-type').value;
  const def = name ? await api('GET', 'workflows/' + encodeURIComponent(name)) : null;
  if (generation !== intake.generation) return;
  const fields = $('intake-fields');
  fields.replaceChildren();
  intake.def = def;
  if (!def) return;
  page.def = def;  // field inputs are typed by the definition
  for (const f of intake.def.required_on_open || []) {
    const r = row('fields-' + f, '', {}, fieldInput(f, 'in-fields-' + f));
    r.querySelector('label').textContent = fieldLabel(f) + ' (' + t('required') + ')';
    r.querySelector('label').removeAttribute('data-t');
    fields.append(r);
  }
  $('caller-h').dataset.t = intake.def.caller_required ? 'caller_h_needed' : 'caller_h';
  $('caller-h').textContent = t($('caller-h').dataset.t);
}

function value(id) { const i = $('in-' + id); return i ? i.value.trim() : ''; }

async function openCase(ev) {
  ev.preventDefault();
  clearErrors();
  const person = { next_of_kin: {} };
  for (const [id, , path] of PERSON_INPUTS) {
    const parts = path.split('.').slice(1);
    if (parts.length === 2) person[parts[0]][parts[1]] = value(id);
    else person[parts[0]] = value(id);
  }
  const caller = {};
  for (const [id, , path] of CALLER_INPUTS) caller[path.split('.')[1]] = value(id);
  const fields = {};
  for (const f of (intake.def && intake.def.required_on_open) || []) {
    const v = fieldValue($('in-fields-' + f));
    if (v) fields[f] = v;
  }
  // What is plainly missing is said at once, beside its field, all together.
  let first = true;
  const missing = (id, word) => { fieldError(id, t(word), first); first = false; };
  if (!value('type')) missing('type', 'type_needed');
  if (!value('person-name_zh') && !value('person-name_en')) missing('person-name_zh', 'name_needed');
  const problem = hkidProblem(value('person-hkid'));
  if (problem) { missing('person-hkid', problem); $('person-hkid-check').textContent = ''; }
  if (!first) {
    $('intake-error').textContent = t('not_opened');
    $('intake-error').hidden = false;
    return;
  }
  const button = $('intake-submit');
  button.disabled = true;
  try {
    const reply = await api('POST', 'commands', { idempotency_key: commandKey(), open_case: {
      type: value('type'), centre: value('centre'), person, caller, fields, summary: value('summary'),
      category: value('category'), legal_advice: $('in-legal_advice').checked } });
    $('intake-form').reset();
    $('in-centre').value = ui.me.centre;
    $('person-hkid-check').textContent = '';
    await typeChosen();
    location.hash = '#/case/' + encodeURIComponent(reply.case_state.number);
  } catch (e) {
    if (e.status === 401) return signedOut();
    // "open_case.person.hkid" is the input in-person-hkid.
    const id = (e.field || '').replace(/^open_case\./, '').replace(/\./g, '-');
    if (!id || !fieldError(id, e.message)) {
      $('intake-error').textContent = e.message;
      $('intake-error').hidden = false;
    } else {
      $('intake-error').textContent = t('not_opened');
      $('intake-error').hidden = false;
    }
  } finally {
    button.disabled = false;
  }
}

function buildIntake() {
  const form = $('intake-form');
  if (form.dataset.built) return;
  form.dataset.built = '1';
  const type = el('select', { required: true });
  const centre = el('select', {});
  const hkidCheck = el('p', { id: 'person-hkid-check', class: 'hint', 'aria-live': 'polite' });
  form.append(
    el('p', { id: 'intake-error', class: 'error', role: 'alert', hidden: true }),
    el('fieldset', {}, el('legend', { 'data-t': 'case_h', text: t('case_h') }),
      row('type', 'type', {}, type), row('centre', 'centre_of', {}, centre),
      row('category', 'category', {}, el('select', {})),
      el('div', { class: 'row' }, el('label', {},
        el('input', { type: 'checkbox', id: 'in-legal_advice' }), ' ',
        el('span', { 'data-t': 'legal', text: t('legal') }))),
      el('div', { id: 'intake-fields' }),
      row('summary', 'summary', {}, el('textarea', { rows: 2 }))),
    el('fieldset', {}, el('legend', { 'data-t': 'person_h', text: t('person_h') }),
      ...PERSON_INPUTS.map(([id, word, , attrs]) => row(id, word, attrs))),
    el('fieldset', {}, el('legend', { id: 'caller-h', 'data-t': 'caller_h', text: t('caller_h') }),
      ...CALLER_INPUTS.map(([id, word, , attrs]) => row(id, word, attrs))),
    el('button', { type: 'submit', id: 'intake-submit', 'data-t': 'open', text: t('open') }));
  $('in-person-hkid').after(hkidCheck);
  // Checked as typed: said once the number is long enough to judge.
  $('in-person-hkid').addEventListener('input', () => {
    const raw = value('person-hkid');
    const problem = raw.replace(/[ ()]/g, '').length >= 8 ? hkidProblem(raw) : '';
    hkidCheck.textContent = problem ? t(problem) : hkidProblem(raw) === '' && raw ? t('hkid_ok') : '';
    hkidCheck.className = 'hint' + (problem ? ' bad' : '');
  });
  type.addEventListener('change', () => typeChosen().catch((e) => {
    $('intake-error').textContent = e.message;
    $('intake-error').hidden = false;
  }));
  form.addEventListener('submit', openCase);
  buildContactForm();
}

// A call or visit logged in a few seconds: how, what about, and a word.
function buildContactForm() {
  const form = $('contact-form');
  const channel = el('select', { id: 'contact-channel' },
    ...['phone', 'visit', 'chat', 'email'].map((c) => el('option', { value: 'CHANNEL_' + c.toUpperCase(),
      'data-t': 'channel_' + c, text: t('channel_' + c) })));
  const pair = (id, word, input) => el('div', { class: 'row' },
    el('label', { for: id, 'data-t': word, text: t(word) }), input);
  form.append(
    el('div', { class: 'inline' },
      pair('contact-channel', 'channel', channel),
      pair('contact-category', 'category', el('select', { id: 'contact-category' })),
      el('label', {}, el('input', { type: 'checkbox', id: 'contact-legal' }), ' ',
        el('span', { 'data-t': 'legal_w', text: t('legal_w') }))),
    pair('contact-note', 'contact_note', el('input', { id: 'contact-note', autocomplete: 'off' })),
    pair('contact-case', 'led_to', el('input', { id: 'contact-case', autocomplete: 'off', size: 13 })),
    el('p', { id: 'contact-error', class: 'error', role: 'alert', hidden: true }),
    el('button', { type: 'submit', id: 'contact-submit', 'data-t': 'log_contact', text: t('log_contact') }));
  form.addEventListener('submit', logContact);
}

async function logContact(ev) {
  ev.preventDefault();
  const box = $('contact-error');
  box.hidden = true;
  $('contact-done').textContent = '';
  if (!$('contact-category').value) {
    box.textContent = t('category_needed');
    box.hidden = false;
    $('contact-category').focus();
    return;
  }
  const button = $('contact-submit');
  button.disabled = true;
  try {
    const reply = await api('POST', 'commands', { idempotency_key: commandKey(), log_contact: {
      channel: $('contact-channel').value, category: $('contact-category').value,
      legal_advice: $('contact-legal').checked, note: $('contact-note').value.trim(),
      case_number: $('contact-case').value.trim() } });
    const k = reply.contact;
    $('contact-done').textContent = t('logged') + ' ' + k.id + ' · ' + k.centre + ' · ' + hk(k.at);
    $('contact-note').value = '';
    $('contact-case').value = '';
    $('contact-legal').checked = false;
  } catch (e) {
    if (e.status === 401) return signedOut();
    box.textContent = e.message;
    box.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function showIntake() {
  buildIntake();
  show('intake');
  const [types, centres] = await Promise.all([api('GET', 'workflows'), api('GET', 'centres')]);
  const type = $('in-type');
  const chosen = type.value;
  type.replaceChildren(el('option', { value: '', text: t('choose') }),
    ...(types.workflow || []).map((w) => el('option', { value: w.name, text: label(w.label) || w.name })));
  type.value = chosen;
  const centre = $('in-centre');
  const kept = centre.value || ui.me.centre;
  // An officer opens cases at their own centre; supervisors at any.
  centre.replaceChildren(...(centres.centre || []).filter((c) => ui.me.role === 'supervisor' || c.code === ui.me.centre)
    .map((c) => el('option', { value: c.code, text: c.code + ' ' + label(c.label) })));
  centre.value = kept;
  type.focus();
  // Counting waits for no one: without a categories file the case opens
  // uncounted and the contact form says why it cannot log.
  await Promise.all([fillCategories($('in-category'), t('by_type')),
    fillCategories($('contact-category'), t('choose'))]).catch((e) => {
    $('contact-error').textContent = e.message;
    $('contact-error').hidden = false;
  });
}
