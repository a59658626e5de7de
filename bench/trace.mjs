// trace figures:
//   1. per-invocation overhead of the Runtime API mode over 200 events against the fixture
//      function (test/fixtures-java/hello, java.net.http client): the round trip as ni-config
//      sees it minus the function's own handling time. Target ≤ 1 ms median.
//   2. tail latency of collection: from the last event's answer to configs on disk, in write
//      periods of the agent (target ≤ 1 period + 1 s; the JVM ends by SIGTERM and the agent
//      writes at exit). Needs a C compiler for the stand-in agent.
// Needs javac and java; rows are left out (and say why) without them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, REPO, figureRow, has, median, printTable, removeDir, tempDir } from './lib.mjs';

/**
 * The same exchange (poll /next, post the answer) driven by a bare node:http keep-alive client in
 * this process: what the server itself costs per invocation, without the JVM's HTTP client.
 */
async function bareClientRoundTrip(RuntimeApiServer) {
  const http = await import('node:http');
  const server = new RuntimeApiServer();
  const api = await server.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const port = Number(api.split(':')[1]);
  const request = (method, path, body) =>
    new Promise((resolve, reject) => {
      const r = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: body ? { 'content-length': Buffer.byteLength(body) } : {},
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers));
        },
      );
      r.on('error', reject);
      r.end(body);
    });
  let stop = false;
  const runtime = (async () => {
    while (!stop) {
      const headers = await request('GET', '/2018-06-01/runtime/invocation/next');
      if (stop) break;
      await request(
        'POST',
        `/2018-06-01/runtime/invocation/${headers['lambda-runtime-aws-request-id']}/response`,
        '{}',
      );
    }
  })().catch(() => undefined);
  const times = [];
  for (let i = 0; i < 1200; i++) {
    const t = process.hrtime.bigint();
    await server.invoke('{"action":"greet"}', 10_000);
    if (i >= 200) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  stop = true;
  await server.close();
  agent.destroy();
  await runtime;
  return median(times);
}

export async function rows() {
  if (!has('javac', ['-version']) || !has('java', ['-version'])) return [];
  const { RuntimeApiServer } = await import('../dist/trace/runtime-api.js');
  const fn = join(REPO, 'test', 'fixtures-java', 'hello');
  const work = tempDir('trace');
  const out = [];
  try {
    const classes = join(work, 'classes');
    const src = join(fn, 'src', 'example');
    execFileSync('javac', ['-d', classes, ...readdirSync(src).map((f) => join(src, f))]);
    cpSync(join(fn, 'resources', 'templates'), join(classes, 'templates'), { recursive: true });

    const server = new RuntimeApiServer();
    const api = await server.start();
    const child = spawn('java', ['-cp', classes, 'example.Bootstrap'], {
      env: { ...process.env, AWS_LAMBDA_RUNTIME_API: api, NI_CONFIG_BENCH: '1' },
      stdio: 'ignore',
    });
    const overheads = [];
    const own = [];
    const event = '{"action":"greet","model":"Greeting","name":"Ada"}';
    for (let i = 0; i < 50; i++) await server.invoke(event, 10_000); // warm-up: JIT, connections
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      const r = await server.invoke(event, 10_000);
      const roundTrip = Number(process.hrtime.bigint() - t) / 1e6;
      const handled = JSON.parse(r.body).handledNanos / 1e6;
      overheads.push(roundTrip - handled);
      own.push(roundTrip - r.durationMs);
    }
    child.kill('SIGKILL');
    await server.close();
    const bare = await bareClientRoundTrip(RuntimeApiServer);
    out.push(
      figureRow(
        'one invocation in Runtime API mode, minus the handler’s own time (median of 200)',
        '—',
        `${median(overheads).toFixed(2)} ms (queued → handed out and answer → settled: ${median(own).toFixed(2)} ms; the whole round trip with a bare keep-alive client in the same process instead of the JVM: ${bare.toFixed(2)} ms)`,
        median(overheads) <= 1 ? '≤ 1 ms ✓' : '≤ 1 ms ✗',
      ),
    );

    let agent;
    try {
      ({ buildAgent: agent } = await import('../scripts/build-agent.mjs'));
      agent = agent();
    } catch (e) {
      console.error(`tail latency not measured: the stand-in agent did not build (${e.message.split('\n')[0]})`);
    }
    if (agent) {
      const period = 2;
      const flushes = [];
      for (let i = 0; i < 3; i++) {
        const r = spawnSync(
          process.execPath,
          [
            BIN,
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
      out.push(
        figureRow(
          'trace: last answer → configs on disk (median of 3)',
          `the agent’s write period (${period} s)`,
          `${flush} ms = ${(flush / 1000 / period).toFixed(2)} periods`,
          flush <= period * 1000 + 1000 ? '≤ 1 period + 1 s ✓' : '≤ 1 period + 1 s ✗',
        ),
      );
    }
  } finally {
    removeDir(work);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) printTable(await rows());
