// trace figures, each against a baseline measured in the same run:
//   1. tail latency of collection: time from the last event's answer to configs on disk, as a
//      multiple of the agent's write period (target ≤ 1 period + 1 s; 0 periods when the JVM ends
//      by SIGTERM and the agent writes at exit)
//   2. per-invocation overhead of the Runtime API mode over 200 events against the fixture
//      function: round trip as ni-config sees it minus the function's own handling time
//      (target ≤ 2 ms median)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RuntimeApiServer } from '../dist/trace/runtime-api.js';
import { buildAgent } from '../scripts/build-agent.mjs';

const repo = resolve(import.meta.dirname, '..');
const fn = join(repo, 'test', 'fixtures-java', 'hello');
const work = mkdtempSync(join(tmpdir(), 'ni-config-bench-trace-'));
const classes = join(work, 'classes');
execFileSync('javac', [
  '-d',
  classes,
  ...readdirSync(join(fn, 'src', 'example')).map((f) => join(fn, 'src', 'example', f)),
]);
cpSync(join(fn, 'resources', 'templates'), join(classes, 'templates'), { recursive: true });
const agent = buildAgent();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. tail latency
const period = 2;
const flushes = [];
for (let i = 0; i < 3; i++) {
  const r = spawnSync(
    process.execPath,
    [
      join(repo, 'bin', 'ni-config.js'),
      'trace',
      '--cmd',
      `java -cp ${classes} example.Bootstrap`,
      '--agent-path',
      agent,
      '--events',
      'events/*.json',
      '--period',
      String(period),
      '-o',
      join(work, `out${i}`),
      '--json',
    ],
    { cwd: fn, encoding: 'utf8' },
  );
  flushes.push(JSON.parse(r.stdout).flushMs);
}
const flush = median(flushes);
console.log(
  `tail latency: ${flush} ms from the last answer to configs on disk = ${(flush / 1000 / period).toFixed(2)} write periods of ${period} s (target ≤ 1 period + 1 s; the JVM ends by SIGTERM and the agent writes at exit)`,
);

// 2. overhead per invocation
const server = new RuntimeApiServer();
const api = await server.start();
const child = spawn('java', ['-cp', classes, 'example.Bootstrap'], {
  env: { ...process.env, AWS_LAMBDA_RUNTIME_API: api, NI_CONFIG_BENCH: '1' },
  stdio: 'ignore',
});
const overheads = [];
const handling = [];
const toolOnly = [];
const event = '{"action":"greet","model":"Greeting","name":"Ada"}';
for (let i = 0; i < 20; i++) await server.invoke(event, 10_000); // warm-up: JIT, connections
for (let i = 0; i < 200; i++) {
  const t = process.hrtime.bigint();
  const r = await server.invoke(event, 10_000);
  const roundTrip = Number(process.hrtime.bigint() - t) / 1e6;
  const handled = JSON.parse(r.body).handledNanos / 1e6;
  handling.push(handled);
  overheads.push(roundTrip - handled);
  // what ni-config itself adds: the round trip minus the time the function had the event
  toolOnly.push(roundTrip - r.durationMs);
}
child.kill('SIGKILL');
await server.close();
console.log(
  `per-invocation overhead over 200 events: median ${median(overheads).toFixed(2)} ms (round trip ${median(overheads.map((o, i) => o + handling[i])).toFixed(2)} ms minus the function's own handling ${median(handling).toFixed(3)} ms; target ≤ 2 ms); of it, ni-config's own part (event queued → handed out, response received → settled): median ${median(toolOnly).toFixed(2)} ms, the rest is the function's HTTP client and loopback`,
);
rmSync(work, { recursive: true, force: true });
