// The peer dispatch's figures are compared with, measured in the same run:
// BullMQ on a Redis server that scripts/bench started on a private port with
// --appendonly yes --appendfsync always (every write durable before it is
// answered, as dispatch's synchronous=FULL). Writes its figures as JSON.
//
//   node peer.mjs --port PORT --scale S --out FILE
//
// Every loop is bounded in count and time; Redis is on 127.0.0.1.
import { writeFileSync, readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const port = Number(args.port);
const scale = Number(args.scale ?? 1);
const out = args.out;
if (!port || !out) {
  console.error('usage: node peer.mjs --port PORT --scale S --out FILE');
  process.exit(2);
}

const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const started = Date.now();
const say = (msg) =>
  console.error(`[peer  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)}s] ${msg}`);
const scaled = (n) => Math.max(1, Math.round(n * scale));
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => (s.length ? s[Math.min(s.length, Math.max(1, Math.ceil(p * s.length))) - 1] : 0);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
  return { count: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s.length ? s[s.length - 1] : 0, mean };
}

const redis = new IORedis(connection);
const results = {
  scale,
  bullmq: JSON.parse(readFileSync(new URL('./node_modules/bullmq/package.json', import.meta.url))).version,
  redis: (await redis.info('server')).match(/redis_version:(\S+)/)?.[1],
  redis_persistence: {
    appendonly: (await redis.config('GET', 'appendonly'))[1],
    appendfsync: (await redis.config('GET', 'appendfsync'))[1],
  },
  node: process.version,
};
const save = () => writeFileSync(out, JSON.stringify(results, null, 2) + '\n');

// Adds `count` jobs in bulk (1,000 a call), each due at `dueAt` (ms since the epoch).
async function addDelayed(queue, count, dueAt, label) {
  for (let done = 0; done < count; ) {
    const n = Math.min(1000, count - done);
    const now = Date.now();
    const jobs = [];
    for (let i = 0; i < n; i++) {
      jobs.push({ name: 'deadline', data: { case_number: `SZ-2026-${done + i}`, key: 'state' },
                  opts: { delay: Math.max(0, dueAt - now), removeOnComplete: false } });
    }
    await queue.addBulk(jobs);
    done += n;
    if (label && done % 100000 === 0) say(`  ${done} ${label} added`);
  }
}

// How fast jobs are added in bulk here (jobs/s), from a small add.
async function addRate() {
  const q = new Queue('calibrate', { connection });
  const t = Date.now();
  await addDelayed(q, 3000, Date.now() + 3600_000);
  const rate = 3000 / ((Date.now() - t) / 1000);
  await q.obliterate({ force: true });
  await q.close();
  return rate;
}

// Runs a Worker (concurrency 200) until `expected` jobs due at `dueAt` are done
// or `limitMs` passed after they fell due. Lateness: processedOn (the job taken
// by the worker) and finishedOn (its completion written) minus its due time.
async function fire(queueName, expected, dueAt, limitMs) {
  const processed = [];
  const finished = [];
  let lastFinished = 0;
  let done = 0;
  let resolveAll;
  const allDone = new Promise((r) => (resolveAll = r));
  const worker = new Worker(queueName, async () => {}, { connection, concurrency: 200 });
  worker.on('completed', (job) => {
    const due = job.timestamp + (job.opts.delay ?? 0);
    if (due > dueAt + 1000) return; // a pending job, not one of these
    processed.push(job.processedOn - due);
    finished.push(job.finishedOn - due);
    lastFinished = Math.max(lastFinished, job.finishedOn);
    if (++done >= expected) resolveAll();
  });
  await worker.waitUntilReady();
  await sleep(dueAt - Date.now());
  let timer;
  const limit = new Promise((r) => (timer = setTimeout(r, Math.max(0, dueAt + limitMs - Date.now()))));
  await Promise.race([allDone, limit]);
  clearTimeout(timer);
  await worker.close(true);
  const span = (lastFinished - dueAt) / 1000;
  return {
    expected,
    fired: done,
    all_fired: done >= expected,
    wait_limit_seconds: limitMs / 1000,
    due_to_last_seconds: span,
    per_second: span > 0 ? done / span : 0,
    lateness_processed_ms: summarize(processed),
    lateness_finished_ms: summarize(finished),
  };
}

// Jobs added with 64 in flight: adds/s and each add's latency.
async function adds() {
  const q = new Queue('adds', { connection });
  await q.waitUntilReady();
  for (let i = 0; i < 200; i++) await q.add('note', { case_number: 'SZ-2026-0001', text: 'warm-up' });
  const latencies = [];
  let next = 0;
  const max = 200000;
  const t0 = Date.now();
  const stopAt = t0 + 5000;
  let last = t0;
  async function client() {
    while (next < max && Date.now() < stopAt) {
      const i = next++;
      const t = process.hrtime.bigint();
      await q.add('note', { case_number: `SZ-2026-${i % 64}`, text: `benchmark note ${i}` });
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      last = Date.now();
    }
  }
  await Promise.all(Array.from({ length: 64 }, client));
  const seconds = (last - t0) / 1000;
  await q.obliterate({ force: true });
  await q.close();
  return { in_flight: 64, ok: latencies.length, seconds, per_second: latencies.length / seconds,
           latency_ms: summarize(latencies) };
}

try {
  await redis.flushall();
  say('== adds with 64 in flight');
  results.adds = await adds();
  say(`adds: ${results.adds.per_second.toFixed(0)}/s, p99 ${results.adds.latency_ms.p99.toFixed(2)} ms`);
  save();

  say('== burst');
  {
    await redis.flushall();
    const n = scaled(100000);
    const rate = await addRate();
    const dueAt = Math.ceil((Date.now() + (n / rate) * 1400 + 10000) / 1000) * 1000;
    const q = new Queue('burst', { connection });
    say(`adding ${n} delayed jobs (about ${rate.toFixed(0)}/s), due at +${((dueAt - Date.now()) / 1000).toFixed(1)} s`);
    const t = Date.now();
    await addDelayed(q, n, dueAt, 'burst jobs');
    results.burst = { deadlines: n, add_seconds: (Date.now() - t) / 1000 };
    if (Date.now() > dueAt - 2000) results.burst.warning = 'the adds overran the due instant';
    results.burst.firings = await fire('burst', n, dueAt, 60000 + n * 2);
    const f = results.burst.firings;
    say(`fired ${f.fired} of ${n}: ${f.per_second.toFixed(0)}/s, p99 lateness ${f.lateness_processed_ms.p99} ms`);
    await q.close();
    save();
  }

  say('== million');
  {
    await redis.flushall();
    const total = scaled(1000000);
    const due = scaled(10000);
    const q = new Queue('million', { connection });
    const t = Date.now();
    await addDelayed(q, total - due, Date.now() + 30 * 24 * 3600_000, 'pending jobs');
    results.million = { pending: total, due_at_once: due, add_seconds: (Date.now() - t) / 1000 };
    say(`${total - due} pending jobs added in ${results.million.add_seconds.toFixed(1)} s`);
    const rate = await addRate();
    const dueAt = Math.ceil((Date.now() + (due / rate) * 1500 + 10000) / 1000) * 1000;
    await addDelayed(q, due, dueAt);
    if (Date.now() > dueAt - 2000) results.million.warning = 'the adds overran the due instant';
    results.million.firings = await fire('million', due, dueAt, 60000 + due * 6);
    const f = results.million.firings;
    say(`fired ${f.fired} of ${due}: ${f.per_second.toFixed(0)}/s, p99 lateness ${f.lateness_processed_ms.p99} ms`);
    results.million.redis_used_memory_bytes = Number((await redis.info('memory')).match(/used_memory:(\d+)/)?.[1]);
    await q.close();
    save();
  }
  await redis.flushall();
} finally {
  results.total_seconds = (Date.now() - started) / 1000;
  save();
  await redis.quit();
}
