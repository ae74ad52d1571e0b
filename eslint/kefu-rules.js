/**
 * Kefu's own lint rules: the architecture's boundaries, checked on every import (see
 * docs/ARCHITECTURE.md, "Rules the build checks").
 */
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const rel = (file) => relative(root, file).split(sep).join('/');

/** Where a file lives: its layer, and its module name for files in src/server/modules/<name>/. */
function place(file) {
  const p = rel(file);
  const m = /^src\/server\/modules\/([^/]+)\//.exec(p);
  if (m) return { layer: 'module', module: m[1], path: p };
  if (/^src\/server\/(lib|db|http)\//.test(p) || /^src\/server\/(context|module|config)\.ts$/.test(p))
    return { layer: 'core', path: p };
  if (p.startsWith('src/shared/')) return { layer: 'shared', path: p };
  if (p.startsWith('src/web/')) return { layer: 'web', path: p };
  if (p.startsWith('src/widget/')) return { layer: 'widget', path: p };
  if (p.startsWith('src/server/')) return { layer: 'server', path: p }; // composition: app, main, services, realtime, testing
  return { layer: 'other', path: p };
}

/** Why an import from `from` to `to` (both absolute files) breaks a boundary, or null. */
function violation(from, to, typeOnly) {
  const a = place(from);
  const b = place(to);
  if (
    b.layer === 'module' &&
    a.layer === 'module' &&
    a.module !== b.module &&
    !b.path.endsWith(`/${b.module}/index.ts`)
  )
    return `module ${a.module} may import only the index.ts of module ${b.module} (its public face), not ${b.path}`;
  if (a.layer === 'core' && (b.layer === 'module' || b.path.startsWith('src/server/realtime/'))) {
    // The whole-database type may name every module's tables (tests and reports read across).
    if (a.path === 'src/server/db/schema.ts' && typeOnly && /\/schema\.ts$/.test(b.path)) return null;
    return `core code (${a.path}) must not depend on a domain module (${b.path}): pass what it needs in, or register it in modules/registry.ts`;
  }
  if (a.layer === 'shared' && ['server', 'core', 'module', 'web', 'widget'].includes(b.layer))
    return `src/shared is isomorphic: it must not import ${b.path}`;
  if ((a.layer === 'web' || a.layer === 'widget') && ['server', 'core', 'module'].includes(b.layer))
    return `the browser code must not import server code (${b.path})`;
  return null;
}

const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: "Kefu's layering: modules talk through index.ts; core never imports modules" },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string' || !source.startsWith('.')) {
        if (source === 'zod' && !typeOnly && place(file).layer === 'widget')
          context.report({
            node,
            message: 'the widget must not bundle zod (size budget); use src/shared/realtime/protocol.ts',
          });
        return;
      }
      const target = resolve(dirname(file), source);
      const why = violation(file, target, typeOnly);
      if (why) context.report({ node, message: why });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value, n.importKind === 'type'),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, n.exportKind === 'type'),
      ExportAllDeclaration: (n) => check(n, n.source.value, n.exportKind === 'type'),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value, false),
    };
  },
};

/** A module's typed view of its tables is made in its schema.ts, with its own table types, nowhere else. */
const tablesOfInSchema = {
  meta: { type: 'problem', docs: { description: 'tablesOf() only in a schema.ts' }, schema: [] },
  create(context) {
    const p = rel(context.filename);
    const allowed = p.endsWith('/schema.ts') || p === 'src/server/db/index.ts' || p.startsWith('src/server/testing/');
    return {
      CallExpression(n) {
        if (!allowed && n.callee.type === 'Identifier' && n.callee.name === 'tablesOf')
          context.report({ node: n, message: "tablesOf() belongs in the module's schema.ts (table ownership)" });
      },
    };
  },
};

export default { rules: { 'module-boundaries': moduleBoundaries, 'tables-of-in-schema': tablesOfInSchema } };
