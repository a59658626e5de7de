/** `init`: flags, mapping and the report. */
import type { BuildInfo, Found, InitOptions, InitResult } from '../../commands/init.js';
import { EXIT } from '../../errors.js';
import { command, type Output } from '../command.js';
import { printable, writeOut } from '../render/text.js';
import { dryRunFlag } from './shared.js';

const KIND_NAMES: Readonly<Record<BuildInfo['kind'], string>> = {
  maven: 'Maven',
  gradle: 'Gradle',
  sbt: 'sbt',
  leiningen: 'Leiningen',
  'deps.edn': 'tools.build (deps.edn)',
};

/** `  label      value  (where from)`, or `not found` and why. */
function foundLine(label: string, f: Found): string {
  const value = f.value !== undefined ? `${f.value || '(none)'}  (${f.from})` : `not found: ${f.from}`;
  return printable(`  ${label.padEnd(10)} ${value}`);
}

/** What was detected, one line per value. */
export function detectedLines(r: InitResult): string[] {
  const { build: b, container: c } = r.detected;
  const lines: string[] = [];
  if (b)
    lines.push(
      printable(`${KIND_NAMES[b.kind]} build (${b.files.join(', ')}):`),
      foundLine('group', b.group),
      foundLine('artifact', b.artifact),
      foundLine('version', b.version),
      foundLine('jar', b.jar),
      foundLine('main class', b.mainClass),
      ...(b.packagers.length > 0 ? [printable(`  ${'fat jar'.padEnd(10)} ${b.packagers.join(', ')}`)] : []),
    );
  else lines.push('no build file found (pom.xml, build.gradle[.kts], build.sbt, project.clj, deps.edn)');
  if (c)
    lines.push(
      printable(
        `${c.dockerfile}: FROM ${c.from ?? '(none)'}${c.lambdaBase ? ' (an AWS Lambda Java base image: traced as a container, under its emulator)' : ''}`,
      ),
      foundLine('image', c.image),
    );
  return lines;
}

async function render(r: InitResult, _o: InitOptions, { ctx, json }: Output): Promise<number> {
  if (json) {
    await writeOut(ctx.stdout, JSON.stringify(r, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines = detectedLines(r);
  if (r.diff !== undefined) lines.push('', r.diff.trimEnd());
  const files = r.files
    .filter((f) => f.action !== 'kept')
    .map((f) => `${f.path}${f.action === 'replace' ? ' (replaced)' : f.action === 'unchanged' ? ' (unchanged)' : ''}`);
  const kept = r.files.filter((f) => f.action === 'kept').map((f) => `${f.path} (kept as it is)`);
  lines.push('', printable(`${r.dryRun ? 'would write' : 'wrote'} ${[...files, ...kept].join(', ')}`));
  if (r.placeholders.length > 0) {
    const project = r.files[0]!.path;
    lines.push(`to fill in (marked TODO in ${printable(project)}):`, ...r.placeholders.map((p) => `  ${printable(p)}`));
  }
  for (const w of r.warnings) lines.push(`warning: ${printable(w)}`);
  lines.push('next:', ...r.next.map((n) => `  $ ${printable(n)}`));
  if (r.dryRun)
    await writeOut(
      ctx.stdout,
      r.files
        .filter((f) => f.text !== undefined && f.action !== 'unchanged')
        .map((f) => `==> ${f.path} <==\n${f.text}`)
        .join('\n'),
    );
  await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return EXIT.ok;
}

export const init = command({
  summary: 'start a project: read the build and the Dockerfile, write ni-config.jsonc and a sample event',
  description:
    'Reads the build in the working directory (Maven pom.xml, Gradle build.gradle[.kts], tools.build deps.edn + build.clj, Leiningen project.clj, sbt build.sbt) and its Dockerfile, as text: no build tool runs. Writes a commented ni-config.jsonc (to the file --config names, if given) with what it found (the write coordinates, the prune presets, and a trace section that runs the jar, or the image when it is built on an AWS Lambda Java base image), a TODO with a placeholder for each value it could not find, and events/sample.json. Nothing is overwritten: --force replaces ni-config.jsonc after showing a diff.',
  flags: {
    force: {
      type: 'boolean',
      flags: '--force',
      help: 'replace an existing ni-config.jsonc (a unified diff shows what changes); an existing events/sample.json is kept',
    },
    dryRun: { ...dryRunFlag, help: 'print what would be written (on stdout), write nothing' },
  },
  examples: ['ni-config init', 'ni-config init --dry-run --json'],
  exitCodes:
    '0 written (or shown, with --dry-run), 2 ni-config.jsonc or events/sample.json exists (without --force), or bad usage',
  options: (_paths, f, g): InitOptions => ({ config: g.config, force: f.force, dryRun: f.dryRun }),
  run: async (o, deps) => (await import('../../commands/init.js')).runInit(o, deps),
  render,
});
