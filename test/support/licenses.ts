// Whether every production dependency's licence lets ringpath be distributed
// under Apache-2.0. The tree is npm's own (`npm query .prod`: the package.json
// of every package installed for production, optional ones included); licences
// are SPDX expressions, read with spdx-expression-parse.
import { execFileSync } from 'node:child_process';
import parseSpdx from 'spdx-expression-parse';

/** Permissive licences: their terms ask for notices, never for ringpath's own licence to change. */
export const PERMISSIVE: ReadonlySet<string> = new Set([
  'Apache-2.0',
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'Python-2.0',
  'Unlicense',
  'CC0-1.0',
  'Zlib',
  'PostgreSQL',
  'CC-BY-4.0',
]);

/** Packages whose licence field is not an SPDX expression, read by hand: what their licence text says. */
export const REVIEWED: Readonly<Record<string, string>> = {
  // "Free as in Hugs": the BSD-2-Clause conditions word for word, plus a clause that permits (never obliges) hugs
  nonce: 'BSD-2-Clause-like ("Free as in Hugs"), permissive',
  // no licence field; its Readme states "(The MIT License)"
  only: 'MIT (stated in its Readme)',
};

type Ast = { license: string; plus?: boolean; exception?: string } | { left: Ast; conjunction: 'and' | 'or'; right: Ast };

function allowed(ast: Ast): boolean {
  if ('license' in ast) return PERMISSIVE.has(ast.license);
  return ast.conjunction === 'or' ? allowed(ast.left) || allowed(ast.right) : allowed(ast.left) && allowed(ast.right);
}

export type Verdict = { ok: true; why: string } | { ok: false; why: string };

/** Whether a package with this licence field may be part of an Apache-2.0 ringpath. */
export function licenceVerdict(name: string, licence: unknown): Verdict {
  if (REVIEWED[name]) return { ok: true, why: `reviewed: ${REVIEWED[name]}` };
  if (typeof licence !== 'string' || licence.trim() === '') return { ok: false, why: 'no SPDX licence field' };
  let ast: Ast;
  try {
    ast = parseSpdx(licence) as Ast;
  } catch {
    return { ok: false, why: `${JSON.stringify(licence)} is not an SPDX expression` };
  }
  return allowed(ast) ? { ok: true, why: licence } : { ok: false, why: `${licence} is not a permissive licence` };
}

export interface Dependency {
  readonly name: string;
  readonly version: string;
  readonly licence: unknown;
}

/** Every package npm installs for production, once per name and version. */
export function productionDependencies(root: string): Dependency[] {
  const out = execFileSync('npm', ['query', '.prod'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seen = new Map<string, Dependency>();
  for (const p of JSON.parse(out) as Array<{ name: string; version: string; license?: unknown; licenses?: unknown; location: string }>) {
    if (p.location === '') continue; // ringpath itself
    // the old `licenses: [{ type }]` form
    const licence = p.license ?? (Array.isArray(p.licenses) ? (p.licenses as Array<{ type?: string }>).map((l) => l.type).join(' OR ') : undefined);
    seen.set(`${p.name}@${p.version}`, { name: p.name, version: p.version, licence });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
