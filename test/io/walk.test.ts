/** The tree walk: what it skips, and listings shared by the walks of one command (validate's two). */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { TreeListings, joinerOf, walkTree } from '../../src/io/walk.js';

// A directory named `locked` cannot be listed (permissions cannot say so to root, who runs CI).
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: string, options: never) => {
    if (String(path).endsWith('/locked'))
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' });
    return fs.readdirSync(path, options);
  }) as typeof fs.readdirSync;
  return { ...fs, readdirSync, default: { ...fs, readdirSync } };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ni-config-test-walk-'));
  for (const [path, text] of [
    ['a/reflect-config.json', '[]'],
    ['a/b/native-image.properties', 'Args='],
    ['a/b/reachability-metadata.json', '{}'],
    ['.git/reflect-config.json', '[]'],
    ['node_modules/x/reflect-config.json', '[]'],
    ['agent-123.tmp/reflect-config.json', '[]'],
    ['c/notes.txt', ''],
  ] as const) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  symlinkSync(join(dir, 'a'), join(dir, 'linked'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const metadata = (name: string): boolean => name.endsWith('.json');
const properties = (name: string): boolean => name === 'native-image.properties';

describe('walkTree', () => {
  it('finds the wanted files, skipping dot directories, node_modules, *.tmp and symbolic links', () => {
    expect(walkTree(dir, metadata).sort()).toEqual(['a/b/reachability-metadata.json', 'a/reflect-config.json']);
    expect(walkTree(dir, properties)).toEqual(['a/b/native-image.properties']);
  });

  it('throws when the root cannot be listed, with or without listings', () => {
    expect(() => walkTree(join(dir, 'missing'), metadata)).toThrow(/ENOENT/);
    const listings = new TreeListings();
    expect(() => walkTree(join(dir, 'missing'), metadata, { listings })).toThrow(/ENOENT/);
  });

  it('skips a directory below the root it cannot list, or throws its error, as asked, with or without listings', () => {
    mkdirSync(join(dir, 'a/locked'));
    writeFileSync(join(dir, 'a/locked/reflect-config.json'), '[]');
    expect(walkTree(dir, metadata).sort()).toEqual(['a/b/reachability-metadata.json', 'a/reflect-config.json']);
    expect(() => walkTree(dir, metadata, { unreadable: 'throw' })).toThrow(/EACCES.*locked/);
    // a listing made by a walk that skips still throws for a walk that throws, and the other way round
    const listings = new TreeListings();
    expect(walkTree(dir, properties, { listings })).toEqual(['a/b/native-image.properties']);
    expect(() => walkTree(dir, metadata, { listings, unreadable: 'throw' })).toThrow(/EACCES.*locked/);
    const other = new TreeListings();
    expect(() => walkTree(dir, metadata, { listings: other, unreadable: 'throw' })).toThrow(/EACCES/);
    expect(walkTree(dir, properties, { listings: other })).toEqual(['a/b/native-image.properties']);
  });

  it('gives every walk of one root the same listing: the tree is read once', () => {
    const listings = new TreeListings();
    const first = walkTree(dir, properties, { listings });
    writeFileSync(join(dir, 'a/later.json'), '{}');
    // the listing made for the properties files answers the metadata walk too: the file added
    // after it is not in it, and a walk without the listings sees it
    expect(walkTree(dir, metadata, { listings, unreadable: 'throw' }).sort()).toEqual([
      'a/b/reachability-metadata.json',
      'a/reflect-config.json',
    ]);
    expect(walkTree(dir, metadata)).toContain('a/later.json');
    expect(first).toEqual(['a/b/native-image.properties']);
    // another root (a directory below) is a listing of its own
    expect(walkTree(join(dir, 'a'), metadata, { listings }).sort()).toEqual([
      'b/reachability-metadata.json',
      'later.json',
      'reflect-config.json',
    ]);
  });
});

describe('joinerOf', () => {
  it('joins as path.join does, for the paths a walk gives, whatever the base', () => {
    const part = fc.constantFrom('a', 'b.json', '.', '..', '', 'x y', '.git');
    const base = fc.oneof(
      fc.array(part, { maxLength: 4 }).map((p) => p.join('/')),
      fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}/`),
      fc.constantFrom('', '.', './', '/', '..', '../', './a/', 'a//b', '/a/./b/..'),
    );
    const name = fc.stringMatching(/^[^/]+$/).filter((n) => n !== '.' && n !== '..');
    const rel = fc.array(name, { minLength: 1, maxLength: 4 }).map((p) => p.join('/'));
    fc.assert(fc.property(base, rel, (b, r) => joinerOf(b)(r) === join(b, r)));
  });
});
