/**
 * trace --attribute, end to end: serial events with the agent writing every second, and after
 * each event the entries that appeared recorded against it in ni-config-evidence.json; explain
 * and diff then show the event. Locally (--cmd) with and without call trees (with them the
 * events run twice), and in a container on every engine, in Runtime API mode (what the JVM's
 * start needed is "(init)") and in RIE mode (the emulator starts the runtime with the first
 * event, so that event needs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import type { EvidenceFileJson } from '../../src/ops/evidence/file.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { IMAGE, cleanupRun, containersLeft, engines, ensureTestImage } from './engines.js';
import { GREET, JAVA_FN, cli, suiteDir, tempDirsLeft, trace as traceOn, withDecoy } from './trace-suite.js';

const LOOKUP = '{"action":"lookup","class":"java.util.UUID"}';
let agent: string;
beforeAll(() => {
  agent = buildAgent() as string;
}, 120_000);

/** The evidence file's entries by `section name`, with the event that first needed each. */
function neededBy(dir: string): Map<string, string | undefined> {
  const json = JSON.parse(readFileSync(join(dir, 'ni-config-evidence.json'), 'utf8')) as EvidenceFileJson;
  return new Map(json.entries.map((e) => [`${e.section} ${e.name}`, e.firstNeededBy?.event]));
}

function writeEvents(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const events = [
    ['01-greet.json', GREET],
    ['02-lookup.json', LOOKUP],
    ['03-greet-again.json', GREET],
  ];
  for (const [name, body] of events) writeFileSync(join(dir, name!), body!);
  return events.map(([name]) => join(dir, name!));
}

describe('trace --attribute --cmd (stand-in agent)', () => {
  const tmp = suiteDir('attribute-local');
  const classes = join(tmp, 'classes');
  const events = join(tmp, 'events');
  let cmd = '';
  beforeAll(() => {
    mkdirSync(classes);
    const src = join(JAVA_FN, 'src', 'example');
    execFileSync('javac', ['-d', classes, ...readdirSync(src).map((f) => join(src, f))]);
    execFileSync('cp', ['-r', join(JAVA_FN, 'resources', 'templates'), classes]);
    writeEvents(events);
    cmd = `java -cp ${classes} example.Bootstrap`;
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const trace = (args: string[]) =>
    cli(['trace', '--cmd', cmd, '--agent-path', agent, '--events', `${events}/*.json`, '--attribute', ...args], {
      tmp,
    });

  it('maps each entry to the first event that needed it, and explain and diff show it', async () => {
    const out = join(tmp, 'out1');
    const r = await trace(['-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.counts.success).toBe(3);
    expect(report.evidence).toBe(join(out, 'ni-config-evidence.json'));
    const by = neededBy(out);
    expect(by.get('reflection example.Handler')).toBe('(init)');
    expect(by.get('reflection example.Greeting')).toBe(join(events, '01-greet.json'));
    expect(by.get('resources templates/greeting.txt')).toBe(join(events, '01-greet.json'));
    // only the lookup event asked for UUID; the third event needed nothing new
    expect(by.get('reflection java.util.UUID')).toBe(join(events, '02-lookup.json'));
    expect([...by.values()]).not.toContain(join(events, '03-greet-again.json'));
    expect(report.attributed).toBe([...by.values()].filter((e) => e !== undefined).length);

    const explained = await cli(['explain', 'java.util.UUID', out], { tmp });
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain(`first needed by ${join(events, '02-lookup.json')} (`);

    // a side without UUID against the traced one: the added entry names its event
    const before = join(tmp, 'before');
    mkdirSync(before);
    const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')) as {
      reflection: { type: string }[];
    };
    metadata.reflection = metadata.reflection.filter((t) => t.type !== 'java.util.UUID');
    writeFileSync(join(before, 'reachability-metadata.json'), JSON.stringify(metadata));
    const diff = await cli(['diff', before, out], { tmp });
    expect(diff.stdout).toMatch(/java\.util\.UUID.*\n?.*needed by .*02-lookup\.json/);
    const md = await cli(['diff', before, out, '--format', 'markdown'], { tmp });
    expect(md.stdout).toContain('02-lookup.json');
    expect(tempDirsLeft(tmp)).toEqual([]);
  }, 90_000);

  it('with call trees runs the events twice: the evidence file has both the lookups and the events', async () => {
    const out = join(tmp, 'out2');
    const r = await trace(['-o', out, '--evidence', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'success', 'success']);
    const json = JSON.parse(readFileSync(join(out, 'ni-config-evidence.json'), 'utf8')) as EvidenceFileJson;
    const uuid = json.entries.find((e) => e.section === 'reflection' && e.name === 'java.util.UUID');
    expect(uuid?.paths.length).toBeGreaterThan(0);
    expect(uuid?.firstNeededBy?.event).toBe(join(events, '02-lookup.json'));
    expect(json.source).toContain('trace --attribute');
    expect(json.source).toContain('experimental-conditional-config-part');
  }, 120_000);

  it('without --attribute the mapping is absent, never guessed', async () => {
    const out = join(tmp, 'out3');
    const r = await cli(
      ['trace', '--cmd', cmd, '--agent-path', agent, '--events', `${events}/*.json`, '--evidence', '-o', out],
      { tmp },
    );
    expect(r.code, r.stderr).toBe(0);
    expect([...neededBy(out).values()].filter((e) => e !== undefined)).toEqual([]);
    const explained = await cli(['explain', 'java.util.UUID', out], { tmp });
    expect(explained.stdout).not.toContain('first needed by');
  }, 90_000);
});

describe.each(engines)('trace --attribute --container on $name', (engine) => {
  const tmp = suiteDir(`attribute-${engine.name}`);
  const events = join(tmp, 'events');
  const trace = (args: string[]) =>
    traceOn(
      engine,
      ['--agent-path', agent, '--container', IMAGE, '--events', `${events}/*.json`, '--attribute', '--json', ...args],
      { tmp },
    );
  beforeAll(() => {
    ensureTestImage(engine);
    writeEvents(events);
  }, 300_000);
  withDecoy(engine);
  afterEach(() => cleanupRun(engine));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('Runtime API mode: what the JVM needed before its first event is (init)', async () => {
    const out = join(tmp, 'api');
    const r = await trace(['--runtime-api', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const by = neededBy(out);
    expect(by.get('reflection example.Handler')).toBe('(init)');
    expect(by.get('reflection example.Greeting')).toBe(join(events, '01-greet.json'));
    expect(by.get('reflection java.util.UUID')).toBe(join(events, '02-lookup.json'));
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  }, 150_000);

  it('RIE mode: the runtime starts with the first event, so that event needed what its start did', async () => {
    const out = join(tmp, 'rie');
    const r = await trace(['-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const by = neededBy(out);
    expect(by.get('reflection example.Handler')).toBe(join(events, '01-greet.json'));
    expect(by.get('reflection java.util.UUID')).toBe(join(events, '02-lookup.json'));
    expect([...by.values()]).not.toContain('(init)');
    expect(containersLeft(engine)).toEqual([]);
  }, 150_000);
});
