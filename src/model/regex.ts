/**
 * Checks resource patterns, which native-image compiles with java.util.regex. JavaScript's
 * engine differs, so the pattern is scanned for the mistakes Java rejects (unbalanced groups
 * and classes, dangling quantifiers, `{` that is not a repetition, a trailing backslash) and
 * then translated (`\Q…\E`, possessive quantifiers, atomic groups, inline flags, Java
 * character classes) and compiled as a last check.
 */
export function javaRegexProblem(pattern: string): string | undefined {
  const scanned = scan(pattern);
  if (typeof scanned === 'object') return scanned.problem;
  try {
    new RegExp(scanned);
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
  return undefined;
}

/** The literal text of a pattern that is one `\Q…\E` quote (as the agent writes), or undefined. */
export function quotedLiteral(pattern: string): string | undefined {
  if (!pattern.startsWith('\\Q') || !pattern.endsWith('\\E')) return undefined;
  const inner = pattern.slice(2, -2);
  return inner.includes('\\E') ? undefined : inner;
}

/**
 * The glob that names the same single path as a `\Q…\E` pattern, when there is one: the literal
 * must hold no character that is special in a glob (or a backslash, which would need escaping).
 */
export function literalGlob(pattern: string): string | undefined {
  const literal = quotedLiteral(pattern);
  if (literal === undefined || literal === '' || /[*?[\]{}\\]/.test(literal)) return undefined;
  return literal;
}

/** The `\Q…\E` pattern for a glob that is one literal path, or undefined when the glob has wildcards. */
export function globAsPattern(glob: string): string | undefined {
  if (glob === '' || /[*?[\]{}\\]/.test(glob)) return undefined;
  return `\\Q${glob}\\E`;
}

const QUANTIFIER_START = new Set(['*', '+', '?']);

function scan(p: string): string | { problem: string } {
  let out = '';
  let depth = 0;
  let inClass = 0;
  let atomStart = true; // no atom yet that a quantifier could apply to
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return { problem: `unexpected trailing backslash at index ${i}` };
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? p.length : end + 1;
        atomStart = lit.length === 0 && atomStart;
        continue;
      }
      if (n === 'p' || n === 'P') {
        const m = /^\{[A-Za-z_][A-Za-z0-9_=]*\}|^[A-Za-z]/.exec(p.slice(i + 2));
        if (!m) return { problem: `malformed character property at index ${i}` };
        out += inClass ? 'a' : '\\w';
        i += 1 + m[0].length;
        atomStart = false;
        continue;
      }
      const simple: Record<string, string> = {
        A: '^',
        Z: '$',
        z: '$',
        h: '[ \\t]',
        H: '[^ \\t]',
        R: '(?:\\r\\n|\\n)',
        G: '',
      };
      if (!inClass && simple[n] !== undefined) {
        out += simple[n];
        i++;
        atomStart = n !== 'h' && n !== 'H' && n !== 'R' ? atomStart : false;
        continue;
      }
      out += c + n;
      i++;
      atomStart = false;
      continue;
    }
    if (inClass) {
      if (c === '[') inClass++;
      else if (c === ']') inClass--;
      out += c;
      if (inClass === 0) atomStart = false;
      continue;
    }
    switch (c) {
      case '[':
        inClass = 1;
        out += c;
        if (p[i + 1] === '^') out += p[++i];
        if (p[i + 1] === ']') out += '\\' + p[++i]; // a leading ] is literal in Java
        continue;
      case '(': {
        depth++;
        const rest = p.slice(i + 1);
        const flags = /^\?[idmsuxU-]+\)/.exec(rest);
        if (flags) {
          depth--;
          i += flags[0].length;
          continue; // inline flags: accepted by Java, not by this engine
        }
        const flagGroup = /^\?[idmsuxU-]+:/.exec(rest);
        if (flagGroup) {
          out += '(?:';
          i += flagGroup[0].length;
        } else if (rest.startsWith('?>')) {
          out += '(?:';
          i += 2;
        } else out += c;
        atomStart = true;
        continue;
      }
      case ')':
        if (depth === 0) return { problem: `unmatched closing ')' at index ${i}` };
        depth--;
        out += c;
        atomStart = false;
        continue;
      case '|':
        out += c;
        atomStart = true;
        continue;
      case '{': {
        const m = /^\{\d+(?:,\d*)?\}/.exec(p.slice(i));
        if (!m) return { problem: `illegal repetition '{' at index ${i} (escape it as \\{)` };
        if (atomStart) return { problem: `dangling quantifier '${m[0]}' at index ${i}` };
        out += m[0];
        i += m[0].length - 1;
        if (p[i + 1] === '+') i++; // possessive
        continue;
      }
      default:
        if (QUANTIFIER_START.has(c)) {
          if (atomStart) return { problem: `dangling meta character '${c}' at index ${i}` };
          out += c;
          if (p[i + 1] === '+')
            i++; // possessive
          else if (p[i + 1] === '?') out += p[++i];
          continue;
        }
        out += c === '/' ? '\\/' : c;
        atomStart = false;
    }
  }
  if (inClass) return { problem: `unclosed character class near index ${p.length - 1}` };
  if (depth > 0) return { problem: `unclosed group near index ${p.length}` };
  return out;
}
