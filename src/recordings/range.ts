// The HTTP Range header (RFC 9110 §14) for one file of a known size. Pure.
// One byte range is served; multiple ranges and headers that are not byte
// ranges are ignored (the whole file is sent), as the RFC allows.

export type RangeRequest =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const FULL: RangeRequest = { kind: 'full' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return FULL;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return FULL;
  const specs = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
  if (specs.length !== 1) return FULL;
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return FULL;
  const [first, last] = [spec[1]!, spec[2]!];
  if (first === '') {
    // suffix: the last N bytes
    const n = Number(last);
    if (n === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return UNSATISFIABLE;
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'partial', start, end };
}

/** The Content-Range value for a served range, or for a 416 (`bytes *\/size`). */
export function contentRange(range: RangeRequest, size: number): string | undefined {
  if (range.kind === 'partial') return `bytes ${range.start}-${range.end}/${size}`;
  if (range.kind === 'unsatisfiable') return `bytes */${size}`;
  return undefined;
}
