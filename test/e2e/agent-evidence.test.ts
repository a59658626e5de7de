/**
 * The stand-in native-image agent (test/agent) in the modes that record call trees, spawned
 * directly (no ni-config CLI): a small Java program and the Clojure function of
 * test/fixtures-clojure/hello, driven by a tiny Runtime API here. The trees parse, namespace
 * loading shows below RT.load / Compiler.load / an __init class's <clinit>, the handler's own
 * lookups do not, and option combinations the real agent refuses stop the JVM with its message.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evidenceKey,
  namespaceLoading,
  onlyNamespaceLoading,
  originsTextEvidence,
  partialConfigEvidence,
  traceLookupEvidence,
  type CallPath,
  type LookupEvidence,
} from '../../src/ops/evidence/index.js';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const CLOJURE = '/usr/share/java/clojure.jar';
const FN = join(REPO, 'test', 'fixtures-clojure', 'hello');
const work = mkdtempSync(join(tmpdir(), 'ni-config-agent-evidence-'));
const classes = join(work, 'classes');
let agent: string;

beforeAll(() => {
  agent = buildAgent() as string;
  mkdirSync(classes);
  execFileSync('javac', ['-d', classes, join(REPO, 'test', 'e2e', 'fixtures', 'Probe.java')]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function probe(options: string, ...args: string[]) {
  return spawnSync('java', [`-agentpath:${agent}=${options}`, '-cp', classes, 'probe.Probe', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const text = (p: CallPath): string => p.map((f) => `${f.className}#${f.method}`).join(' > ');
function flat(evidence: LookupEvidence): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, paths] of evidence.paths) out[k.replace('\u0000', ' ')] = paths.map(text).sort();
  return out;
}
function readPartial(dir: string) {
  const file = join(dir, 'partial-config-with-origins.json');
  return partialConfigEvidence(JSON.parse(readFileSync(file, 'utf8')), file);
}
function readOriginsText(dir: string) {
  const out: Record<string, string[]> = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('-origins.txt'))) {
    const r = originsTextEvidence(readFileSync(join(dir, name), 'utf8'), name);
    expect(r.findings).toEqual([]);
    Object.assign(out, flat(r.evidence));
  }
  return out;
}

/**
 * Runs the Clojure function from source under the agent with a Runtime API that hands out the
 * events, then ends the JVM with SIGTERM (as ni-config does) so that the agent writes at exit.
 */
async function clojure(agentOptions: string, events: string[]): Promise<{ answers: string[]; code: number | null }> {
  const answers: string[] = [];
  const pending = [...events];
  let child: ReturnType<typeof spawn> | undefined;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url!.endsWith('/invocation/next')) {
      const event = pending.shift();
      if (event === undefined) {
        child!.kill('SIGTERM'); // the function polls again: every event is answered
        return;
      }
      res.writeHead(200, { 'Lambda-Runtime-Aws-Request-Id': `req-${answers.length + 1}` });
      res.end(event);
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      answers.push(`${req.url!.split('/').pop()} ${body}`);
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child = spawn(
        'java',
        [`-agentpath:${agent}=${agentOptions}`, '-cp', `${CLOJURE}:src:resources`, 'clojure.main', '-m', 'hello.core'],
        { cwd: FN, env: { ...process.env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}` }, stdio: 'ignore' },
      );
      const timer = setTimeout(() => child!.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { answers, code };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('the stand-in agent records call trees', () => {
  it('experimental-conditional-config-part: partial-config-with-origins.json instead of the config files', () => {
    const dir = join(work, 'probe-partial');
    const r = probe(`config-output-dir=${dir},experimental-conditional-config-part`);
    expect(r.stdout).toBe('done\n');
    expect(readdirSync(dir)).toEqual(['partial-config-with-origins.json']); // no .lock left, no *-config.json
    const { evidence, findings, fragments } = readPartial(dir);
    expect(findings).toEqual([]);
    expect(flat(evidence)).toMatchObject({
      'reflection probe.Probe': [
        'probe.Probe#main > java.lang.Class#forName',
        'probe.Probe#main > java.lang.Class#getDeclaredConstructor',
        'probe.Probe#main > java.lang.Class#getField',
        'probe.Probe#main > java.lang.Class#getMethod',
      ],
      'reflection java.util.UUID': ['probe.Probe#main > java.lang.Class#forName'],
    });
    // the node config is what the config file would have held
    expect(fragments.find((f) => text(f.path) === 'probe.Probe#main > java.lang.Class#getMethod')?.value).toEqual([
      { name: 'probe.Probe', methods: [{ name: 'greet', parameterTypes: ['java.lang.String', 'int'] }] },
    ]);
  });

  it('experimental-configuration-with-origins: six <kind>-origins.txt files with the same tree', () => {
    const partial = join(work, 'probe-partial');
    const dir = join(work, 'probe-origins');
    const r = probe(`config-output-dir=${dir},experimental-configuration-with-origins`);
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toContain(
      'native-image-agent: Warning: using experimental configuration with origins mode. Note that native-image cannot process these files, and this flag may change or be removed without a warning!',
    );
    expect(readdirSync(dir).sort()).toEqual([
      'jni-origins.txt',
      'predefined-classes-origins.txt',
      'proxy-origins.txt',
      'reflect-origins.txt',
      'resource-origins.txt',
      'serialization-origins.txt',
    ]);
    expect(readFileSync(join(dir, 'jni-origins.txt'), 'utf8')).toBe('root\n\n');
    expect(readOriginsText(dir)).toEqual(flat(readPartial(partial).evidence));
  });

  it('writes a tree only at exit, whatever config-write-period-secs says', () => {
    const dir = join(work, 'probe-periodic');
    // Probe waits 10 s for a periodic write of reflect-config.json
    const r = probe(
      `config-output-dir=${dir},experimental-conditional-config-part,config-write-period-secs=1,config-write-initial-delay-secs=0`,
      'wait',
    );
    expect(r.stdout).toBe('no periodic write\n');
    expect(readdirSync(dir)).toEqual(['partial-config-with-origins.json']);
  }, 60_000);

  it('trace-output: the raw events, read as caller evidence', () => {
    const file = join(work, 'trace-{pid}.json');
    expect(probe(`trace-output=${file}`).stdout).toBe('done\n');
    const [written] = readdirSync(work).filter((n) => /^trace-\d+\.json$/.test(n));
    const t = join(work, written!);
    const r = traceLookupEvidence(JSON.parse(readFileSync(t, 'utf8')), t);
    expect(r.findings).toEqual([]);
    expect(r.evidence.precision).toBe('caller');
    // each lookup: the caller, then what it asked for
    expect(flat(r.evidence)['reflection probe.Probe']).toEqual([
      'probe.Probe# > java.lang.Class#forName',
      'probe.Probe# > probe.Probe#getDeclaredConstructor',
      'probe.Probe# > probe.Probe#getField',
      'probe.Probe# > probe.Probe#getMethod',
    ]);
  });
});

describe('a Clojure function under the stand-in agent', () => {
  let tree: ReturnType<typeof readPartial>;
  const dir = join(work, 'clojure-partial');

  beforeAll(async () => {
    const run = await clojure(`config-output-dir=${dir},experimental-conditional-config-part`, ['{"name":"ada"}']);
    expect(run.answers).toHaveLength(1);
    expect(run.answers[0]).toMatch(/^response \{"message":"Hello, /);
    tree = readPartial(dir);
  }, 120_000);

  it('has a tree that parses, most of whose entries only namespace loading looked up', () => {
    expect(tree.findings).toEqual([]);
    const keys = [...tree.evidence.paths.keys()];
    const loadingOnly = keys.filter((k) => onlyNamespaceLoading(tree.evidence, k));
    expect(keys.length).toBeGreaterThan(100);
    expect(loadingOnly.length / keys.length).toBeGreaterThan(0.6);
  });

  it('puts namespace loading below RT.load, Compiler.load or an __init class’s <clinit>', () => {
    const core = tree.evidence.paths.get(evidenceKey('resources', 'hello/core.clj'))!;
    expect(core.length).toBeGreaterThan(0);
    for (const p of core) expect(text(p)).toMatch(/clojure\.lang\.RT#load > .*java\.lang\.ClassLoader#getResource$/);
    // every __init class and every namespace source the runtime looked up (user.clj excepted:
    // RT's static initialiser asks for it outside any load)
    const loading = [...tree.evidence.paths].filter(
      ([k]) => (/__init$/.test(k) && k.startsWith('reflection')) || (/\.clj$/.test(k) && !k.endsWith('user.clj')),
    );
    expect(loading.length).toBeGreaterThan(10);
    for (const [k, paths] of loading)
      for (const p of paths) expect(namespaceLoading(p, 'tree'), `${k}: ${text(p)}`).toBe(true);
    const frames = new Set(
      loading.flatMap(([, paths]) => paths.flatMap((p) => p.map((f) => `${f.className}#${f.method}`))),
    );
    expect(frames).toContain('clojure.lang.RT#load');
    expect(frames).toContain('clojure.lang.Compiler#load');
    expect([...frames].some((f) => /__init#<clinit>$/.test(f))).toBe(true);
  });

  it('keeps the handler’s own lookups at run time out of it, with clojure.lang.Reflector’s', () => {
    const config = tree.evidence.paths.get(evidenceKey('resources', 'hello/config.edn'))!;
    expect(config.length).toBeGreaterThan(0);
    for (const p of config) {
      expect(namespaceLoading(p, 'tree')).toBe(false);
      expect(text(p)).toMatch(/hello\.core\$handle#invokeStatic > .*java\.lang\.ClassLoader#getResource$/);
    }
    // the handler calls a Java method without a type hint: Reflector lists the public methods
    // (queryAllPublicMethods, as the agent records Class.getMethods) and invokes one (methods)
    const reflector = tree.fragments.filter(
      (f) =>
        f.kind === 'reflect' &&
        f.path.some((x) => x.className === 'clojure.lang.Reflector') &&
        !namespaceLoading(f.path, 'tree'),
    );
    const entries = reflector.flatMap((f) => f.value as Record<string, unknown>[]);
    expect(entries.some((e) => e.queryAllPublicMethods === true)).toBe(true);
    expect(entries.some((e) => Array.isArray(e.methods))).toBe(true);
    for (const f of reflector) expect(text(f.path)).toMatch(/hello\.core\$/);
  });

  it('writes the same tree with experimental-configuration-with-origins', async () => {
    const origins = join(work, 'clojure-origins');
    await clojure(`config-output-dir=${origins},experimental-configuration-with-origins`, ['{"name":"ada"}']);
    const fromText = readOriginsText(origins);
    const fromJson = flat(tree.evidence);
    // two runs: compare what is stable across them (generated fn__N names are not)
    const stable = (o: Record<string, string[]>) =>
      Object.keys(o)
        .filter((k) => !/\$(fn|eval|reify)__\d+/.test(k))
        .sort();
    expect(stable(fromText)).toEqual(stable(fromJson));
  }, 120_000);
});

describe('option combinations the real agent refuses', () => {
  const refused = (options: string) => {
    const r = probe(options);
    expect(r.status).toBe(1);
    // the JVM's own words (on stdout) follow the agent's (on stderr); the program never ran
    expect(r.stdout).toMatch(/^Error occurred during initialization of VM\nagent library failed to init: /);
    return r.stderr;
  };

  it('accepts exactly one of trace-output=, config-output-dir= and config-merge-dir=', () => {
    const dir = join(work, 'refused');
    for (const options of [
      `trace-output=${join(work, 't.json')},config-output-dir=${dir}`,
      `config-output-dir=${dir},trace-output=${join(work, 't.json')}`,
      `config-merge-dir=${dir},trace-output=${join(work, 't.json')}`,
    ]) {
      const stderr = refused(options);
      expect(stderr).toContain(
        'native-image-agent: can only once specify exactly one of trace-output=, config-output-dir= or config-merge-dir=.\n' +
          'native-image-agent: Example usage: -agentlib:native-image-agent=config-output-dir=/path/to/config-dir/\n',
      );
    }
    expect(existsSync(dir)).toBe(false);
    expect(refused(`config-output-dir=${dir},config-merge-dir=${dir}`)).toContain(
      'native-image-agent: cannot specify more than one of config-output-dir= or config-merge-dir=.',
    );
    expect(refused(`trace-output=a.json,trace-output=b.json`)).toContain(
      'native-image-agent: cannot specify trace-output= more than once.',
    );
    expect(refused(`config-output-dir=${dir},origins`)).toContain("native-image-agent: unknown option: 'origins'.");
  });

  it('refuses the origins mode with a conditional filter, and that filter with the partial mode', () => {
    const dir = join(work, 'refused');
    expect(
      refused(
        `config-output-dir=${dir},experimental-configuration-with-origins,experimental-conditional-config-filter-file=f.json`,
      ),
    ).toContain(
      'native-image-agent: Error: The agent can only be used in either the configuration with origins mode or the predefined classes mode.',
    );
    expect(
      refused(
        `config-output-dir=${dir},experimental-conditional-config-part,experimental-conditional-config-filter-file=f.json`,
      ),
    ).toContain(
      'native-image-agent: Error: The agent can generate conditional configuration either for the current run or in the partial mode but not both at the same time.',
    );
  });

  it('switches the origins mode off with config-merge-dir, as the agent does', () => {
    const dir = join(work, 'merged');
    const r = probe(`config-merge-dir=${dir},experimental-configuration-with-origins`);
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toContain(
      'native-image-agent: using configuration with origins with configuration merging is currently unsupported. Disabling configuration with origins mode.',
    );
    expect(readdirSync(dir)).toContain('reflect-config.json');
    expect(readdirSync(dir).some((n) => n.endsWith('-origins.txt'))).toBe(false);
  });
});
