/**
 * Flags declared as data: each command lists its flags once, commander is configured from the
 * list, and the parsed values come back typed from the same list, so that no command re-maps
 * options by hand or casts them.
 */
import { Option, type Command } from 'commander';

export type FlagSpec =
  | { readonly type: 'boolean'; readonly flags: string; readonly help: string }
  /** `--x` and `--no-x`: true, false, or undefined when neither is given. */
  | { readonly type: 'switch'; readonly flags: string; readonly help: string; readonly negatedHelp: string }
  | { readonly type: 'string'; readonly flags: string; readonly help: string; readonly required?: boolean }
  | { readonly type: 'list'; readonly flags: string; readonly help: string }
  | { readonly type: 'integer'; readonly flags: string; readonly help: string; readonly default?: number }
  | {
      readonly type: 'choice';
      readonly flags: string;
      readonly help: string;
      readonly choices: readonly string[];
      readonly default?: string;
      readonly required?: boolean;
    };

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type Value<F extends FlagSpec> = F extends { type: 'boolean' }
  ? boolean
  : F extends { type: 'switch' }
    ? boolean | undefined
    : F extends { type: 'list' }
      ? string[] | undefined
      : F extends { type: 'integer' }
        ? number | undefined
        : F extends { type: 'choice'; choices: readonly (infer C)[] }
          ? C | undefined
          : string | undefined;

/** The parsed values of a command's flags, typed by their declaration. */
export type FlagValues<S extends FlagSpecs> = { -readonly [K in keyof S]: Value<S[K]> };

/** Adds the flags to a commander command; each key must be the name commander gives the flag's value. */
export function addFlags(cmd: Command, specs: FlagSpecs): void {
  for (const [key, spec] of Object.entries(specs)) {
    const option = new Option(spec.flags, spec.help);
    if (option.attributeName() !== key) throw new Error(`flag ${spec.flags} is declared as '${key}'`);
    if (spec.type === 'integer') {
      // parsed as a number; a bad value reaches the command, which says what it expected
      option.argParser((v: string) => Number(v));
      if (spec.default !== undefined) option.default(spec.default);
    }
    if (spec.type === 'choice') {
      option.choices(spec.choices);
      if (spec.default !== undefined) option.default(spec.default);
    }
    if ((spec.type === 'string' || spec.type === 'choice') && spec.required) option.makeOptionMandatory();
    cmd.addOption(option);
    if (spec.type === 'switch') cmd.addOption(new Option(spec.flags.replace(/^--/, '--no-'), spec.negatedHelp));
  }
}

/** Reads the parsed values back, each checked against its declaration. */
export function readFlags<S extends FlagSpecs>(specs: S, parsed: Readonly<Record<string, unknown>>): FlagValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const v = parsed[key];
    switch (spec.type) {
      case 'boolean':
        out[key] = v === true;
        break;
      case 'switch':
        out[key] = typeof v === 'boolean' ? v : undefined;
        break;
      case 'list':
        out[key] = Array.isArray(v) ? v.map(String) : undefined;
        break;
      case 'integer':
        out[key] = typeof v === 'number' ? v : undefined;
        break;
      case 'choice':
        out[key] = typeof v === 'string' && spec.choices.includes(v) ? v : undefined;
        break;
      case 'string':
        out[key] = typeof v === 'string' ? v : undefined;
        break;
    }
  }
  return out as FlagValues<S>;
}
