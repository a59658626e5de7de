// trace figures:
//   1. what ni-config's Runtime API server adds to one invocation: the same minimal keep-alive
//      node:http client (poll /next, post the answer) drives ni-config's server and a bare
//      node:http server doing the same exchange with nothing else, in this process, in paired
//      rounds; the row is the difference of the medians. Target ≤ 1 ms. (The JVM fixture's round
//      trip is shown beside it: most of it is the JVM's own HTTP client, not the server.)
//   2. per-invocation overhead as the fixture function sees it (test/fixtures-java/hello,
//      java.net.http client) over 200 events: the round trip minus the function's own handling
//      time. Needs javac and java.
//   3. tail latency of collection: from the last event's answer to configs on disk, in write
//      periods of the agent (target ≤ 1 period + 1 s; the JVM ends by SIGTERM and the agent
//      writes at exit). Needs a C compiler for the stand-in agent.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, REPO, RUNS, figureRow, has, median, printTable, removeDir, tempDir } from './lib.mjs';

const PREFIX = '/2018-06-01/runtime';

/**
 * The least a Runtime API server can do: hand the queued event to the waiting /next poll with a
 * request id, and settle the invocation when its answer is posted. The baseline for what
 * ni-config's server (headers, deadlines, timers, error paths) costs on top.
 */
class BareRuntimeServer {
  queue = [];
  waiting = undefined;
  pending = new Map();
  n = 0;

  async start() {
    this.server = http.createServer({ noDelay: true }, (req, res) => {
      if (req.method === 'GET' && req.url === `${PREFIX}/invocation/next`) {
        this.waiting = res;
        this.dispatch();
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const id = req.url.slice(`${PREFIX}/invocation/`.length, -'/response'.length);
        res.writeHead(202, { 'Content-Length': 0 });
        res.end();
        const settle = this.pending.get(id);
        this.pending.delete(id);
        settle?.({ body });
      });
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.server.address().port}`;
  }

  invoke(event) {
    return new Promise((resolve) => {
      const id = String(++this.n);
      this.pending.set(id, resolve);
      this.queue.push({ id, event });
      this.dispatch();
    });
  }

  dispatch() {
    if (this.waiting === undefined || this.queue.length === 0) return;
    const { id, event } = this.queue.shift();
    const res = this.waiting;
    this.waiting = undefined;
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(event), 'Lambda-Runtime-Aws-Request-Id': id });
    res.end(event);
  }

  async close() {
    this.waiting?.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * A runtime in this process: a bare node:http keep-alive client polling /next and posting `{}`
 * for each event, against `server`. Returns a function that times `n` invocations (median, ms).
 */
async function minimalRuntime(server) {
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
      const headers = await request('GET', `${PREFIX}/invocation/next`);
      if (stop) break;
      await request('POST', `${PREFIX}/invocation/${headers['lambda-runtime-aws-request-id']}/response`, '{}');
    }
  })().catch(() => undefined);
  return {
    async time(n) {
      const times = [];
      for (let i = 0; i < n; i++) {
        const t = process.hrtime.bigint();
        await server.invoke('{"action":"greet"}', 10_000);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return median(times);
    },
    async close() {
      stop = true;
      await server.close();
      agent.destroy();
      await runtime;
    },
  };
}

/** ni-config's server against the bare one, the same client, paired rounds: medians and the difference. */
async function serverOverhead(RuntimeApiServer) {
  const ours = await minimalRuntime(new RuntimeApiServer());
  const bare = await minimalRuntime(new BareRuntimeServer());
  await ours.time(500); // warm-up: JIT, connections
  await bare.time(500);
  const a = [];
  const b = [];
  for (let r = 0; r < RUNS; r++) {
    b.push(await bare.time(400));
    a.push(await ours.time(400));
  }
  await ours.close();
  await bare.close();
  return { ours: median(a), bare: median(b), diff: median(a.map((x, i) => x - b[i])) };
}

export async function rows() {
  const { RuntimeApiServer } = await import('../dist/trace/runtime-api.js');
  const out = [];
  const o = await serverOverhead(RuntimeApiServer);
  out.push(
    figureRow(
      'one invocation in Runtime API mode: what ni-config’s server adds (median of paired rounds of 400)',
      'a bare node:http server doing the same exchange, the same minimal keep-alive client',
      `${(o.diff * 1000).toFixed(0)} µs (${o.ours.toFixed(3)} ms against ${o.bare.toFixed(3)} ms a round trip)`,
      o.diff <= 1 ? '≤ 1 ms ✓' : '≤ 1 ms ✗',
    ),
  );
  if (!has('javac', ['-version']) || !has('java', ['-version'])) return out;
  const fn = join(REPO, 'test', 'fixtures-java', 'hello');
  const work = tempDir('trace');
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
    out.push(
      figureRow(
        'the same with the fixture function in a JVM (java.net.http client), minus the handler’s own time (median of 200)',
        '—',
        `${median(overheads).toFixed(2)} ms (of it queued → handed out and answer → settled, as the server sees it: ${median(own).toFixed(2)} ms; the rest is the JVM’s HTTP client)`,
        'information',
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
