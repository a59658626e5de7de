/**
 * The composite GitHub Action (action.yml): its steps' scripts run here as the runner would run
 * them (GITHUB_OUTPUT, RUNNER_TEMP, a git repository with a base and a head commit), and the
 * sticky comment against an in-memory stand-in of the GitHub API.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

const BIN = join(REPO, 'bin', 'ni-config.js');
const work = mkdtempSync(join(tmpdir(), 'ni-config-action-e2e-'));
const repo = join(work, 'repo');
let base = '';

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();

beforeAll(() => {
  cpSync(join(REPO, 'fixtures', 'merge', 'conditions', 'a'), join(repo, 'meta'), { recursive: true });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'base');
  base = git('rev-parse', 'HEAD');
  writeFileSync(
    join(repo, 'meta', 'reflect-config.json'),
    JSON.stringify(
      [
        { name: 'example.Kept' },
        { name: 'example.New', allDeclaredFields: true },
        { name: 'sun.misc.Unsafe', allDeclaredMethods: true },
      ],
      null,
      2,
    ),
  );
  git('commit', '-qam', 'head');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs one of the action's step scripts; returns its output lines (GITHUB_OUTPUT) too. */
function step(script: string, env: Record<string, string>) {
  const out = join(work, `output-${script}`);
  writeFileSync(out, '');
  const r = spawnSync('bash', [join(REPO, 'action', script)], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NI_CONFIG_BIN: BIN, GITHUB_OUTPUT: out, RUNNER_TEMP: work, NO_COLOR: '1', ...env },
  });
  const outputs = Object.fromEntries(
    readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

describe('the GitHub Action', () => {
  it('names only scripts that exist and outputs its steps produce', () => {
    const yml = readFileSync(join(REPO, 'action.yml'), 'utf8');
    for (const [, file] of yml.matchAll(/GITHUB_ACTION_PATH}?\/(action\/[\w.-]+)/g))
      expect(() => readFileSync(join(REPO, file!))).not.toThrow();
    for (const [, id, name] of yml.matchAll(/steps\.(\w+)\.outputs\.([\w-]+)/g)) {
      const script = readFileSync(join(REPO, 'action', `${id}.sh`), 'utf8');
      expect(script, `${id}.sh writes ${name}`).toContain(`${name}=`);
    }
  });

  it('validate step: annotations for problems, valid=false without failing the step; exit 2 fails it', () => {
    const ok = step('validate.sh', { NI_PATHS: 'meta' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.outputs).toEqual({ valid: 'true' });
    writeFileSync(join(repo, 'meta', 'jni-config.json'), '[{"name": "a..b"}]');
    const bad = step('validate.sh', { NI_PATHS: 'meta' });
    expect(bad.code, bad.stderr).toBe(0);
    expect(bad.outputs).toEqual({ valid: 'false' });
    expect(bad.stdout).toMatch(/^::error file=meta\/jni-config\.json,line=1,col=3,title=bad-class-name::/m);
    rmSync(join(repo, 'meta', 'jni-config.json'));
    const missing = step('validate.sh', { NI_PATHS: 'nowhere' });
    expect(missing.code).toBe(2);
  });

  it('diff step: annotations on new entries, a markdown file and changed=true; no base, no diff', () => {
    const r = step('diff.sh', { NI_PATHS: 'meta', NI_BASE: base, NI_TITLE: 'metadata of hello' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs.changed).toBe('true');
    expect(r.stdout).toMatch(/^::(warning|notice) file=meta\/reflect-config\.json,line=\d+/m);
    const md = readFileSync(r.outputs.file!, 'utf8');
    expect(md).toContain('metadata of hello');
    expect(md).toContain('sun.misc.Unsafe');
    const same = step('diff.sh', { NI_PATHS: 'meta', NI_BASE: git('rev-parse', 'HEAD') });
    expect(same.outputs.changed).toBe('false');
    const none = step('diff.sh', { NI_PATHS: 'meta', NI_BASE: '' });
    expect(none.code).toBe(0);
    expect(none.outputs).toEqual({ changed: 'false', file: '' });
    expect(step('diff.sh', { NI_PATHS: 'meta', NI_BASE: 'no-such-rev' }).code).toBe(2);
  });

  it('sticky comment: created once, then updated in place, other comments untouched', async () => {
    const sticky = createRequire(import.meta.url)(join(REPO, 'action', 'sticky-comment.cjs')) as (
      a: unknown,
    ) => Promise<{ action: string; id: number }>;
    const comments: { id: number; body: string }[] = [{ id: 1, body: 'LGTM' }];
    const calls: string[] = [];
    const github = {
      paginate: async (fn: (a: unknown) => Promise<{ data: unknown[] }>, args: unknown) => (await fn(args)).data,
      rest: {
        issues: {
          listComments: async () => ({ data: comments.map((c) => ({ ...c })) }),
          createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
            calls.push(`create #${issue_number}`);
            comments.push({ id: comments.length + 1, body });
            return { data: { id: comments.length } };
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            calls.push(`update ${comment_id}`);
            comments.find((c) => c.id === comment_id)!.body = body;
          },
        },
      },
    };
    const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };
    const file = join(work, 'comment.md');
    writeFileSync(file, '## first\n');
    expect(await sticky({ github, context, file })).toEqual({ action: 'created', id: 2 });
    writeFileSync(file, '## second\n');
    expect(await sticky({ github, context, file })).toEqual({ action: 'updated', id: 2 });
    expect(await sticky({ github, context, file })).toEqual({ action: 'unchanged', id: 2 });
    expect(calls).toEqual(['create #7', 'update 2']);
    expect(comments).toEqual([
      { id: 1, body: 'LGTM' },
      { id: 2, body: '<!-- ni-config-diff -->\n## second\n' },
    ]);
  });
});
