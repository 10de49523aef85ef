// Reading what a ringpath process logged (pino JSON lines among other output).

/** The JSON log lines of `output`, parsed; other lines are skipped. */
export function logLines(output: string): Array<Record<string, unknown> & { level: number; msg?: string }> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{"level":'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { level: number });
}

/** Lines at pino level error (50) or fatal (60). */
export function errorLines(output: string): string[] {
  return output.split('\n').filter((l) => l.startsWith('{"level":') && (JSON.parse(l) as { level: number }).level >= 50);
}

/** Log lines in which a key appears more than once (JSON.parse would keep only the last). */
export function linesWithDuplicateKeys(output: string, key: string): string[] {
  const needle = `"${key}":`;
  return output.split('\n').filter((l) => l.startsWith('{"level":') && l.split(needle).length > 2);
}
