// Writes BENCHMARKS.md from one run's figures: dispatch's (dispatch_bench),
// the peer's (peer.mjs), the machine's, and the hand-written analysis.
//
//   node report.mjs --ours FILE [--peer FILE] --machine FILE --analysis FILE --out FILE
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const read = (f) => (f && existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);
const ours = read(args.ours) ?? {};
const peer = read(args.peer);
const machine = read(args.machine) ?? {};
const analysis = args.analysis && existsSync(args.analysis) ? readFileSync(args.analysis, 'utf8').trim() : '';

// --- formatting -------------------------------------------------------------
const has = (v) => typeof v === 'number' && Number.isFinite(v);
const int = (v) => (has(v) ? Math.round(v).toLocaleString('en-US') : '—');
const num = (v, d = 1) =>
  has(v) ? v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—';
const ms = (v) => (has(v) ? (v >= 100 ? int(v) : num(v, v >= 10 ? 1 : 2)) + ' ms' : '—');
const sec = (v) => (has(v) ? num(v, v >= 100 ? 0 : v >= 10 ? 1 : 2) + ' s' : '—');
const ratio = (a, b) => (has(a) && has(b) && b > 0 ? a / b : NaN);
const x = (r) => (has(r) ? `${num(r, r >= 10 ? 0 : 2)}×` : '—');
const get = (o, path) => path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), o);

// "met" or "missed by ..." for a figure that should be at least `want`.
function atLeast(have, want, unit = '') {
  if (!has(have) || !has(want)) return 'not measured';
  if (have >= want) return `**met** (${num(have / want, 2)}× the target)`;
  return `**missed** by ${num(100 * (1 - have / want), 0)}% (${int(want - have)}${unit} short)`;
}
// "met" or "missed by ..." for a figure that should be at most `want`.
function atMost(have, want, fmt = int) {
  if (have === Infinity) return '**missed**: more than 1% not answered in time';
  if (!has(have) || !has(want)) return 'not measured';
  if (have <= want) return `**met** (${num(have / want, 2)} of the limit)`;
  return `**missed**: ${fmt(have)} is ${x(have / want)} the limit of ${fmt(want)}`;
}

const lines = [];
const say = (s = '') => lines.push(s);
const table = (head, rows) => {
  say(`| ${head.join(' | ')} |`);
  say(`|${head.map(() => ' --- ').join('|')}|`);
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
};

const scale = ours.scale ?? 1;
const counts = (n) => int(n * scale);

// --- header -----------------------------------------------------------------
say('# Benchmarks');
say();
say(`Figures from one run of \`${machine.command ?? './scripts/bench'}\`, started ${ours.started_at ?? '?'}` +
    ` (commit ${machine.commit ?? '?'}), ${sec(ours.total_seconds)} for dispatch` +
    (peer ? ` and ${sec(peer.total_seconds)} for the peer.` : '; the peer was not run.'));
say();
if (scale !== 1) {
  say(`**Scale ${scale}**: every count is the issue's times ${scale} (${counts(100000)} deadlines at once` +
      ` instead of 100,000; ${counts(1000000)} open cases instead of 1,000,000; ${counts(10000)} due among` +
      ` them instead of 10,000). Durations and rates (5 s runs, 1,000 commands/s) are not scaled. Figures` +
      ' at a million are not these: run `./scripts/bench` for them.');
  say();
}
say('This file is written by `./scripts/bench` (tests/bench/); run it again rather than editing the' +
    ' figures. The analysis at the end is kept by hand in tests/bench/ANALYSIS.md.');
say();

say('## The machine');
say();
const la = ours.load_average ?? {};
table(['CPU', 'cores', 'memory', 'kernel', 'disk', 'SQLite', 'compiler', 'date (UTC)'], [[
  machine.cpu ?? '?', machine.cores ?? '?',
  has(machine.memory_bytes) ? `${num(machine.memory_bytes / 2 ** 30, 1)} GiB` : '?',
  machine.kernel ?? '?', machine.disk ?? '?', machine.sqlite ?? '?', machine.compiler ?? '?',
  machine.date ?? '?',
]]);
say('Load average (1, 5, 15 min) as each part began; anything above about 1 means other work shared' +
    ' the two cores with the benchmark: ' +
    (Object.entries(la).map(([k, v]) => `${k} ${v}`).join('; ') || 'not recorded') + '.');
say();
if (peer) {
  say(`Peer: BullMQ ${peer.bullmq} (npm, pinned in tests/bench/peer/package-lock.json) on Node.js` +
      ` ${peer.node}, Redis ${peer.redis} (Debian \`redis-server\`) started by the bench on a private port` +
      ` and directory with appendonly=${peer.redis_persistence?.appendonly}` +
      ` appendfsync=${peer.redis_persistence?.appendfsync}: every write is fsynced before it is answered,` +
      ' as dispatch commits with synchronous=FULL.');
  say();
}

// --- targets ----------------------------------------------------------------
const t = ours.throughput ?? {};
const opens64 = get(t, 'open_case.64.per_second');
const notes64 = get(t, 'add_note.64.per_second');
const ceiling64 = get(ours, 'ceiling.batches.64.per_second');
const burst = get(ours, 'burst.firings');
if (burst && burst.wait_limit_seconds == null) burst.wait_limit_seconds = get(ours, 'burst.wait_limit_seconds');
const mil = ours.million ?? {};
const milF = mil.due_at_once_firings;
const pBurst = get(peer, 'burst.firings');
const pMil = get(peer, 'million.firings');
const steady = get(ours, 'open_loop.add_note');
const steadyOpen = get(ours, 'open_loop.open_case');
const pc = ours.per_command ?? {};

// p99 of an open-loop run, counting commands left unanswered as later than any answer.
function openLoopP99(r) {
  if (!r) return NaN;
  const lost = (r.unanswered ?? 0) + (r.refused ?? 0);
  if (lost > 0.01 * (r.scheduled ?? r.sent)) return Infinity;
  return get(r, 'latency_ms.p99');
}
const fmtP99 = (r) => {
  const v = openLoopP99(r);
  if (v === Infinity) return `> ${ms(get(r, 'latency_ms.max'))} (${int(r.unanswered + r.refused)} of ${int(r.scheduled ?? r.sent)} not answered in time)`;
  return ms(v);
};
function firingRate(f) {
  if (!f) return NaN;
  return f.fired > 0 ? f.per_second : 0;
}
function firingP99(f, key) {
  if (!f) return NaN;
  if (!f.all_fired) return Infinity;
  return get(f, `${key}.p99`);
}
const fmtLate = (f, key) => {
  const v = firingP99(f, key);
  if (v === Infinity) return `> ${sec(f.wait_limit_seconds)} (${int(f.fired)} of ${int(f.expected)} fired in the ${sec(f.wait_limit_seconds)} waited)`;
  return ms(v);
};

say('## Targets');
say();
say('Ratios are ours ÷ the peer\'s, from the same run. Lateness is from the due time to the firing' +
    ' committed (ours: when a reader first saw the missed-deadline event in the journal; the peer:' +
    ' `processedOn`, when the worker took the job, as the issue asks: the peer\'s own commit,' +
    ' `finishedOn`, is later still and shown under 4).');
say();
const rows = [];
const lateTarget = (a, b) => {
  if (!has(a) || !has(b)) return a === Infinity ? '**missed**: not all fired within the wait' : 'not measured';
  return a <= b / 2 ? `**met** (${x(a / b)} the peer's)` : `**missed**: ${x(a / b)} the peer's, target ≤ 0.5×`;
};
rows.push([`deadline firings/s, ${counts(100000)} due at once`, '≥ 2× peer',
  `${int(firingRate(burst))}/s`, peer ? `${int(firingRate(pBurst))}/s` : '—', x(ratio(firingRate(burst), firingRate(pBurst))),
  peer ? atLeast(firingRate(burst), 2 * firingRate(pBurst), '/s') : 'no peer']);
rows.push([`deadline lateness p99, ${counts(100000)} at once`, '≤ ½ peer',
  fmtLate(burst, 'lateness_committed_ms'), peer ? fmtLate(pBurst, 'lateness_processed_ms') : '—',
  x(ratio(firingP99(burst, 'lateness_committed_ms'), firingP99(pBurst, 'lateness_processed_ms'))),
  peer ? lateTarget(firingP99(burst, 'lateness_committed_ms'), firingP99(pBurst, 'lateness_processed_ms')) : 'no peer']);
const milProjected = get(mil, 'firing_in_process.ms_per_firing');
rows.push([`deadline firings/s, ${counts(10000)} due among ${counts(1000000)} pending`, '≥ 2× peer',
  `${int(firingRate(milF))}/s` + (milF && !(milF.fired > 0) && has(milProjected) && milProjected > 0
    ? ` (none committed in ${sec(milF.wait_limit_seconds)}; ${num(1000 / milProjected, 1)}/s projected, see 4)` : ''), peer ? `${int(firingRate(pMil))}/s` : '—', x(ratio(firingRate(milF), firingRate(pMil))),
  peer ? atLeast(firingRate(milF), 2 * firingRate(pMil), '/s') : 'no peer']);
rows.push([`deadline lateness p99, ${counts(10000)} among ${counts(1000000)}`, '≤ ½ peer',
  fmtLate(milF, 'lateness_committed_ms'), peer ? fmtLate(pMil, 'lateness_processed_ms') : '—',
  x(ratio(firingP99(milF, 'lateness_committed_ms'), firingP99(pMil, 'lateness_processed_ms'))),
  peer ? lateTarget(firingP99(milF, 'lateness_committed_ms'), firingP99(pMil, 'lateness_processed_ms')) : 'no peer']);
rows.push(['one-event commands (add_note) acknowledged/s, 64 clients', '≥ peer adds/s (64 in flight)',
  `${int(notes64)}/s`, peer ? `${int(get(peer, 'adds.per_second'))}/s` : '—', x(ratio(notes64, get(peer, 'adds.per_second'))),
  peer ? atLeast(notes64, get(peer, 'adds.per_second'), '/s') : 'no peer']);
rows.push(['case opens acknowledged/s, 64 clients', '≥ 5,000/s', `${int(opens64)}/s`, '—', '—', atLeast(opens64, 5000, '/s')]);
rows.push(['case opens vs the raw SQLite ceiling (batches of 64)', '≥ ½ ceiling', `${int(opens64)}/s`,
  `ceiling ${int(ceiling64)}/s`, x(ratio(opens64, ceiling64)), atLeast(opens64, ceiling64 / 2, '/s')]);
rows.push(['p99 at a steady 1,000 one-event commands/s (open loop)', '≤ 10 ms', fmtP99(steady), '—', '—',
  atMost(openLoopP99(steady), 10, ms)]);
rows.push(['p99 at a steady 1,000 case opens/s (open loop)', '≤ 10 ms', fmtP99(steadyOpen), '—', '—',
  atMost(openLoopP99(steadyOpen), 10, ms)]);
const s0 = mil.start_nothing_overdue ?? {};
const s1 = mil.start_with_overdue ?? {};
rows.push([`start to serving (/readyz 200), ${counts(1000000)} open cases, none overdue`, '≤ 5 s',
  sec(s0.ready_seconds), '—', '—', atMost(s0.ready_seconds, 5, sec)]);
const s1ready = has(s1.ready_seconds) ? s1.ready_seconds : Infinity;
rows.push([`start to serving, ${counts(1000000)} open cases, ${int(s1.overdue_timers)} deadlines overdue`, '≤ 5 s',
  has(s1.ready_seconds) ? sec(s1.ready_seconds) : `not serving after ${sec(s1.limit_seconds)}`, '—', '—',
  s1ready === Infinity ? `**missed**: not serving within the ${sec(s1.limit_seconds)} waited` : atMost(s1ready, 5, sec)]);
for (const kind of ['add_note', 'open_case']) {
  const a = get(pc, `million.${kind}.server_cpu_ms_per_command`);
  const b = get(pc, `empty.${kind}.server_cpu_ms_per_command`);
  rows.push([`server CPU per ${kind} at ${counts(1000000)} open cases vs ${int(get(pc, 'empty.open_cases'))}`, '≤ 1.5×',
    ms(a), `empty: ${ms(b)}`, x(ratio(a, b)), atMost(ratio(a, b), 1.5, x)]);
}
table(['measure', 'target', 'dispatch', 'peer / reference', 'ratio', 'verdict'], rows);

// --- details ----------------------------------------------------------------
say('## 1. Commands acknowledged over loopback');
say();
say('Closed loop: each client (a keep-alive connection, bearer token) sends its next command when the' +
    ' last is answered, for 5 s after a 50-command warm-up, against a fresh `dispatch serve` on a copy of' +
    ' a database holding the cast on duty and 64 open cases. An answer is the `CommandReply`, sent only' +
    ' after COMMIT (synchronous=FULL). `open_case` opens an `escort_to_port` case (3 tasks given to the' +
    ' officers on duty, 5 clocks); `add_note` adds a note to one of the 64 cases. Server CPU is the' +
    ' process\'s user + system time over the run ÷ commands acknowledged.');
say();
const trows = [];
for (const kind of ['open_case', 'add_note']) {
  for (const c of ['1', '8', '64']) {
    const r = get(t, `${kind}.${c}`);
    if (!r) continue;
    trows.push([kind, c, `${int(r.per_second)}/s`, ms(get(r, 'latency_ms.p50')), ms(get(r, 'latency_ms.p99')),
      ms(r.server_cpu_ms_per_command), int(r.ok), `${int(r.refused)} / ${int(r.unanswered)}`]);
  }
}
table(['command', 'clients', 'acknowledged', 'p50', 'p99', 'server CPU / command', 'commands', 'refused / unanswered'], trows);

say('## 2. The raw SQLite ceiling');
say();
const ce = ours.ceiling ?? {};
say('No engine, no HTTP, no protobuf: per "command", one insert into a table shaped like `journal` and' +
    ' one upsert into a table shaped like `cases` (same columns and indexes), blobs the size of a real' +
    ` escort_to_port open's (event ${int(ce.journal_bytes)} bytes, case ${int(ce.projection_bytes)} bytes),` +
    ' prepared once, WAL, synchronous=FULL, one transaction per batch, for 3 s each. A real open writes' +
    ` more than this: ${int(ce.events_per_open)} journal rows and the case, task and timer rows.`);
say();
table(['batch (commands per commit)', 'commands/s'],
  Object.entries(ce.batches ?? {}).map(([b, r]) => [b, `${int(r.per_second)}/s`]));

say('## 3. A steady 1,000 commands/s (open loop)');
say();
say('10,000 commands sent on a schedule of one per millisecond over 64 keep-alive connections, whatever' +
    ' the answers; each latency is from the time the command was due to be sent (a command waiting for' +
    ' a free connection is late by that wait). Answers not back 30 s after the last send count as' +
    ' unanswered.');
say();
table(['command', 'acknowledged', 'p50', 'p90', 'p99', 'max', 'unanswered', 'server CPU / command'],
  ['add_note', 'open_case'].filter((k) => get(ours, `open_loop.${k}`)).map((k) => {
    const r = get(ours, `open_loop.${k}`);
    return [k, `${int(r.ok)} of ${int(r.scheduled ?? r.sent)}`, ms(get(r, 'latency_ms.p50')), ms(get(r, 'latency_ms.p90')),
      fmtP99(r), ms(get(r, 'latency_ms.max')), int(r.unanswered), ms(r.server_cpu_ms_per_command)];
  }));

say('## 4. Deadlines');
say();
say('Ours: cases of the bench\'s type `bench_deadline` (tests/bench/workflows/: one state deadline an' +
    ' hour after opening, telling the centre\'s supervisor, no tasks) are opened through the real' +
    ' Dispatcher at a virtual time an hour before a chosen instant, so that all their deadlines fall due' +
    ' at that real instant while `dispatch serve` runs. Each firing appends the missed-deadline and' +
    ' escalation events and a notification. *Committed* lateness: a separate read-only connection polls' +
    ' the journal every 20 ms and notes when it first sees each firing (so it is up to ~20 ms late);' +
    ' *decided*: the time the engine stamped on the event, before its transaction committed. Firings/s:' +
    ' deadlines fired ÷ seconds from the due instant to the last one committed.');
say();
say('Peer: delayed BullMQ jobs due at one instant (`delay` = that instant − now, added 1,000 a call), a' +
    ' Worker with concurrency 200 and an empty processor; *processed*: `processedOn` − due,' +
    ' *finished*: `finishedOn` − due (the completion written to Redis).');
say();
const frow = (label, f, kind) => {
  if (!f) return [label, '—', '—', '—', '—', '—'];
  const [a, b] = kind === 'ours' ? ['lateness_committed_ms', 'lateness_decided_ms'] : ['lateness_processed_ms', 'lateness_finished_ms'];
  const none = !(f.fired > 0);
  return [label, `${int(f.fired)} of ${int(f.expected)}${f.all_fired ? '' : ` (waited ${sec(f.wait_limit_seconds)})`}`,
    `${int(firingRate(f))}/s`, none ? '—' : `${ms(get(f, `${a}.p50`))} / ${ms(get(f, `${a}.p99`))}`,
    none ? '—' : `${ms(get(f, `${b}.p50`))} / ${ms(get(f, `${b}.p99`))}`, none ? '—' : sec(f.due_to_last_seconds)];
};
table(['run', 'fired', 'firings/s', 'lateness p50 / p99 (ours: committed; peer: processed)',
  '(ours: decided; peer: finished)', 'due → last'], [
  frow(`dispatch, ${counts(100000)} due at once`, burst, 'ours'),
  frow(`peer, ${counts(100000)} due at once`, pBurst, 'peer'),
  frow(`dispatch, ${counts(10000)} due among ${counts(1000000)} pending`, milF, 'ours'),
  frow(`peer, ${counts(10000)} due among ${counts(1000000)} pending`, pMil, 'peer'),
]);
const inProcess = mil.firing_in_process;
if (inProcess && has(inProcess.ms_per_firing) && inProcess.fired > 0) {
  const each = inProcess.ms_per_firing / 1000;
  say(`One firing's cost at ${counts(1000000)} open cases, measured afterwards in the bench's own process` +
      ' through `Dispatcher::FireDueDeadlines` (what the server\'s writer calls) on the database the server' +
      ` left: ${int(inProcess.fired)} firings in ${sec(inProcess.seconds)}, ${ms(inProcess.ms_per_firing)} each.` +
      ` At that cost ${counts(10000)} firings take about ${sec(each * 10000 * scale)}, and a group of 500 (one` +
      ` transaction, nothing of it visible before its commit) about ${sec(each * 500)}: a projection, not a` +
      ' measurement of the server.');
  say();
}
const probes = [[`${counts(100000)} due at once`, get(ours, 'burst.note_while_firing')],
  [`${counts(10000)} due among ${counts(1000000)} pending`, mil.note_while_firing]].filter(([, p]) => p);
if (probes.length) {
  say('Meanwhile, one officer adds a note to another case, again and again (a quarter of a second' +
      ' after each answer), for as long as the firings are waited for:');
  say();
  table(['while', 'notes answered', 'not answered in the wait', 'p50', 'worst'], probes.map(([label, p]) =>
    [label, int(p.answered), int(p.unanswered), p.answered ? ms(get(p, 'latency_ms.p50')) : '—',
      p.answered ? ms(get(p, 'latency_ms.max')) : '—']));
}
if (has(get(ours, 'burst.fill_per_second'))) {
  say(`Filling: ${int(get(ours, 'burst.fill_per_second'))} bench_deadline cases/s and` +
      ` ${int(mil.fill_per_second)} bench_open cases/s through the Dispatcher in groups of 500 (the` +
      ' open-task count answered from memory, see tests/bench/counted_tasks_store.h); the database of' +
      ` ${counts(1000000)} open cases is ${has(mil.db_bytes) ? num(mil.db_bytes / 2 ** 30, 2) + ' GiB' : '?'}.` +
      (peer ? ` The peer added ${counts(1000000)} delayed jobs in ${sec(get(peer, 'million.add_seconds'))}.` : ''));
  say();
}
if (has(mil.open_task_counts_ms)) {
  say(`The open-task count (\`OpenTaskCounts\`, read by every decision that gives out a task) takes` +
      ` ${ms(mil.open_task_counts_ms)} on the database of ${counts(1000000)} open cases (each with one open` +
      ` task, held by ${int(mil.open_task_holders)} officers).`);
  say();
}

say('## 5. From start to serving');
say();
table(['start', 'listening', '/readyz 200', 'journal checked', 'overdue deadlines all fired', 'how it stopped'], [
  [`${counts(1000000)} open cases, nothing overdue`, sec(s0.listening_seconds), sec(s0.ready_seconds),
    has(s0.journal_checked_seconds) ? sec(s0.journal_checked_seconds) : '—', '—', mil.stopped ?? '—'],
  [`${counts(1000000)} open cases, ${int(s1.overdue_timers)} deadlines overdue`,
    has(s1.listening_seconds) ? sec(s1.listening_seconds) : `not within ${sec(s1.limit_seconds)}`,
    has(s1.ready_seconds) ? sec(s1.ready_seconds) : `not within ${sec(s1.limit_seconds)}`,
    '—',
    s1.all_fired ? sec(s1.all_fired_seconds) : `${int(s1.fired)} of ${int(s1.overdue_timers)} within ${sec(s1.limit_seconds)}`,
    s1.stopped ?? '—'],
]);
say('"Journal checked" is when the server\'s check of the journal\'s hash chain at start (every row,' +
    ' on a thread and connection of its own, beside the serving) had reported; section 6\'s costs at a' +
    ' million are measured after it.');
say('The server fires what is overdue for two seconds at most before it listens (server/writer.cc,' +
    ' `Writer::Start`), then goes on firing between commands. "How it stopped" is what SIGTERM did at the' +
    ' end of that run (the first row\'s is after the deadlines of 4 fell due); "signal 15" means it died' +
    ' of SIGTERM itself, as a server still starting (before its handlers are set) does.');
say();

say('## 6. Cost of one command');
say();
say('One client, one command at a time (up to 300 of each), on a fresh server; the same procedure on the' +
    ` small database (${int(get(pc, 'empty.open_cases'))} open cases) and on the one of ${counts(1000000)}.`);
say();
const prow = [];
for (const where of ['empty', 'million']) {
  for (const kind of ['open_case', 'add_note']) {
    const r = get(pc, `${where}.${kind}`);
    if (!r) continue;
    prow.push([int(get(pc, `${where}.open_cases`)), kind, int(r.ok), ms(get(r, 'latency_ms.p50')),
      ms(get(r, 'latency_ms.p99')), ms(r.server_cpu_ms_per_command)]);
  }
}
table(['open cases', 'command', 'commands', 'p50', 'p99', 'server CPU / command'], prow);
const reads = ['empty', 'million'].filter((w) => get(pc, `${w}.reads`));
if (reads.length) {
  say('Some reads on the same servers (median of 3, or the one try when it took over 5 s; an answer' +
      ' not back in 120 s counts as none):');
  say();
  const targets = Object.keys(get(pc, `${reads[0]}.reads`));
  table(['open cases', ...targets.map((t) => `GET ${t}`)], reads.map((w) => [int(get(pc, `${w}.open_cases`)),
    ...targets.map((t) => {
      const r = get(pc, `${w}.reads`)[t];
      return r ? (r.status === 200 ? `${ms(r.median_ms)} (${int(r.bytes)} bytes)` : `status ${r.status} after ${ms(r.median_ms)}`) : '—';
    })]));
}

if (ours.errors) {
  say('## Errors in this run');
  say();
  for (const [k, v] of Object.entries(ours.errors)) say(`- ${k}: ${v}`);
  say();
}
for (const [label, r] of [['dispatch', ours], ['peer', peer ?? {}]]) {
  const warnings = [get(r, 'burst.warning'), get(r, 'million.warning')].filter(Boolean);
  for (const w of warnings) say(`Warning (${label}): ${w}.`);
}
if (analysis) {
  say();
  say(analysis);
}
writeFileSync(args.out, lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n');
