/** Deterministic PRNG (mulberry32), so benchmark runs are comparable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pick from a list, driven by the given PRNG. */
export const picker = (random: () => number) => <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
