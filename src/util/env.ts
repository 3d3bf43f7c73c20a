/** An environment variable's value, an empty one counting as unset (as upstream's shell scripts' ${VAR:+set}). */
export function envValue(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === '' ? undefined : value;
}
