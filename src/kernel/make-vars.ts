/**
 * The variables a kernel `make` takes that change how a tree is read or rebuilt: ARCH, CROSS_COMPILE,
 * LLVM, CC (and HOSTCC). Like make, kpkg accepts them from the environment or as `NAME=value`
 * arguments; arguments win over the environment.
 */
export const MAKE_VARIABLES = ['ARCH', 'CROSS_COMPILE', 'LLVM', 'CC', 'HOSTCC'] as const;
export type MakeVariable = (typeof MAKE_VARIABLES)[number];
export type MakeVars = Partial<Record<MakeVariable, string>>;

export interface SplitArguments {
  vars: MakeVars;
  /** Arguments that are not NAME=value assignments, in order. */
  rest: string[];
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export function isMakeVariable(name: string): name is MakeVariable {
  return (MAKE_VARIABLES as readonly string[]).includes(name);
}

/** Splits `ARCH=arm64 foo CROSS_COMPILE=aarch64-linux-gnu-` into variables and the other arguments. */
export function splitMakeArguments(args: readonly string[], env: NodeJS.ProcessEnv = {}): SplitArguments {
  const vars: MakeVars = {};
  for (const name of MAKE_VARIABLES) {
    const v = env[name];
    if (v !== undefined && v !== '') vars[name] = v;
  }
  const rest: string[] = [];
  for (const arg of args) {
    const m = ASSIGNMENT.exec(arg);
    if (m?.[1] !== undefined && isMakeVariable(m[1])) vars[m[1]] = m[2] ?? '';
    else rest.push(arg);
  }
  return { vars, rest };
}

/** The make arguments that reproduce these variables, e.g. for error messages and rebuild commands. */
export function makeArguments(vars: MakeVars): string[] {
  return MAKE_VARIABLES.flatMap((name) => (vars[name] === undefined ? [] : [`${name}=${vars[name]}`]));
}
