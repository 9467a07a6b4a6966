#!/usr/bin/env node
// Checks Grafana dashboard JSON files (default: every ../dashboards/*.json; or the files given as arguments):
//  1. structural rules the types cannot express (below, `structuralProblems`);
//  2. the published types: each file becomes generated/<name>.ts holding the JSON text verbatim as two object
//     literals, typed `JsonOf<Dashboard>` (@grafana/schema as published) and `JsonOf<BerthDashboard>` (each panel
//     type's published options), then `tsc --noEmit --strict`; errors are reported at the JSON file's line;
//  3. every panel query and variable selector is valid PromQL, by `promtool check rules` (skipped with a warning
//     when promtool is not on PATH).
// Exits 1 when any check fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const generated = join(here, 'generated');
const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(join(here, '..', 'dashboards')).filter((f) => f.endsWith('.json')).sort().map((f) => join(here, '..', 'dashboards', f));

// Grafana's global variables; values are only used to make the PromQL parseable for promtool.
const BUILT_INS = {
  __rate_interval: '1m', __interval: '1m', __range: '1h', __rate_interval_ms: '60000', __interval_ms: '60000',
  __range_s: '3600', __range_ms: '3600000', __from: '0', __to: '0', __dashboard: 'd', __org: '1', __user: 'u',
};
// $name, ${name}, ${name:format}, [[name]], [[name:format]]; $1-style capture references are PromQL's own.
const VARIABLE = /\$([A-Za-z_]\w*)|\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g;
const RANGE = /\[([^\]]*)\]/g;
const UID = /^[A-Za-z0-9_-]{8,40}$/;

// Paths as the user would type them: relative below the working directory, absolute elsewhere.
const shown = (file) => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file));

const problems = [];
const queries = []; // { where, expr } for promtool
const seenUids = new Map();
const seenTitles = new Map();

mkdirSync(generated, { recursive: true });
for (const f of readdirSync(generated)) rmSync(join(generated, f));

for (const file of files) {
  const name = shown(file);
  const text = readFileSync(file, 'utf8');
  let dashboard;
  try {
    dashboard = JSON.parse(text);
  } catch (e) {
    problems.push(`${name}: not JSON: ${e.message}`);
    continue;
  }
  for (const p of structuralProblems(dashboard)) problems.push(`${name}: ${p}`);
  for (const [seen, key, label] of [[seenUids, dashboard.uid, 'uid'], [seenTitles, dashboard.title, 'title']]) {
    if (seen.has(key)) problems.push(`${name}: ${label} ${JSON.stringify(key)} is also used by ${seen.get(key)}`);
    seen.set(key, name);
  }
  collectQueries(dashboard, name);
  writeFileSync(join(generated, tsName(file)), typedModule(text, name));
}

const tsc = spawnSync(process.execPath, [join(here, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(here, 'tsconfig.json'), '--noEmit', '--strict'],
  { cwd: here, encoding: 'utf8' });
if (tsc.error) throw tsc.error;
if (tsc.status !== 0) problems.push(...tscProblems(tsc.stdout + tsc.stderr));

const promtool = checkPromql();
if (problems.length) {
  console.error(`${problems.length} problem(s) in ${files.length} dashboard(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`${files.length} dashboard(s), ${queries.length} queries: structure, @grafana/schema types${promtool ? ', PromQL (promtool)' : ''} OK`);

/** The rules a dashboard must follow beyond its types. */
function structuralProblems(d) {
  const out = [];
  if (!UID.test(d.uid ?? '')) out.push(`uid ${JSON.stringify(d.uid)} must be 8-40 characters of [A-Za-z0-9_-]`);
  if (!d.title) out.push('no title');
  if (!(d.schemaVersion >= 39)) out.push(`schemaVersion ${d.schemaVersion} is older than 39`);
  const variables = d.templating?.list ?? [];
  const ds = variables.find((v) => v.type === 'datasource');
  if (!ds || ds.query !== 'prometheus') out.push('no datasource variable of type datasource with query "prometheus"');
  const dsRef = ds ? `\${${ds.name}}` : null;

  // A variable may use only built-ins and variables defined before it (Grafana resolves them in order).
  const defined = new Set(Object.keys(BUILT_INS));
  for (const v of variables) {
    if (v.type === 'query') {
      if (v.datasource?.uid !== dsRef) out.push(`variable ${v.name}: datasource must be ${dsRef}`);
      for (const used of variablesIn(typeof v.query === 'string' ? v.query : v.query?.query ?? '')) {
        if (!defined.has(used)) out.push(`variable ${v.name}: uses $${used}, which is not defined before it`);
      }
    }
    if (defined.has(v.name)) out.push(`variable ${v.name} is defined twice or shadows a built-in`);
    defined.add(v.name);
  }

  const ids = new Map();
  for (const { panel, path } of panelsOf(d)) {
    if (ids.has(panel.id)) out.push(`${path}: id ${panel.id} is also used by ${ids.get(panel.id)}`);
    ids.set(panel.id, path);
    const g = panel.gridPos;
    if (!g || !['h', 'w', 'x', 'y'].every((k) => Number.isInteger(g[k]) && g[k] >= 0) || g.w < 1 || g.h < 1) {
      out.push(`${path}: gridPos needs whole numbers h, w >= 1 and x, y >= 0`);
    } else if (g.x + g.w > 24) {
      out.push(`${path}: gridPos x + w = ${g.x + g.w} is wider than the 24 columns`);
    }
    if (panel.type === 'row') {
      if (!panel.collapsed && panel.panels?.length) out.push(`${path}: an expanded row keeps its panels after it, not inside`);
      continue;
    }
    if (panel.datasource?.uid !== dsRef) out.push(`${path}: datasource must be {"uid": "${dsRef}"}`);
    const targets = panel.targets ?? [];
    if (!targets.length) out.push(`${path}: no queries`);
    const refIds = new Set();
    for (const [i, t] of targets.entries()) {
      const at = `${path} target ${t.refId ?? `#${i}`}`;
      if (!t.refId) out.push(`${at}: no refId`);
      else if (refIds.has(t.refId)) out.push(`${at}: refId used twice`);
      refIds.add(t.refId);
      if (t.datasource?.uid !== dsRef) out.push(`${at}: datasource must be {"uid": "${dsRef}"}`);
      if (typeof t.expr !== 'string' || !t.expr.trim()) { out.push(`${at}: no expr`); continue; }
      for (const used of variablesIn(t.expr)) {
        if (!defined.has(used)) out.push(`${at}: uses $${used}, which is not a dashboard variable or a Grafana built-in`);
      }
      for (const [, window] of t.expr.matchAll(RANGE)) {
        if (window !== '$__rate_interval' && window !== '$__range') out.push(`${at}: range [${window}] should be [$__rate_interval] (or [$__range])`);
      }
    }
  }
  out.push(...overlaps(d.panels ?? []));
  return out;
}

/** Every panel with a readable path, rows' nested panels included. */
function* panelsOf(d) {
  for (const p of d.panels ?? []) {
    const path = `panel "${p.title}"`;
    yield { panel: p, path };
    for (const c of p.panels ?? []) yield { panel: c, path: `${path} > "${c.title}"` };
  }
}

/** Top-level panels must not cover each other (collapsed rows' panels are laid out only when expanded). */
function overlaps(panels) {
  const out = [];
  const placed = panels.filter((p) => p.gridPos);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i].gridPos, b = placed[j].gridPos;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        out.push(`panels "${placed[i].title}" and "${placed[j].title}" overlap`);
      }
    }
  }
  return out;
}

function variablesIn(text) {
  return [...text.matchAll(VARIABLE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Queries with variables set to their "All" value, ready for promtool. */
function collectQueries(d, name) {
  const values = { ...BUILT_INS };
  for (const v of d.templating?.list ?? []) values[v.name] = v.allValue ?? '.+';
  const substitute = (expr) => expr.replace(VARIABLE, (m, a, b, c) => values[a ?? b ?? c] ?? m);
  for (const v of d.templating?.list ?? []) {
    const selector = /^label_values\((.+),\s*\w+\)$/.exec(typeof v.query === 'string' ? v.query.trim() : '');
    if (selector) queries.push({ where: `${name} variable ${v.name}`, expr: substitute(selector[1]) });
  }
  for (const { panel, path } of panelsOf(d)) {
    for (const t of panel.targets ?? []) {
      if (typeof t.expr === 'string' && t.expr.trim()) queries.push({ where: `${name} ${path} target ${t.refId}`, expr: substitute(t.expr) });
    }
  }
}

/** promtool parses each query as a recording rule's expression; false when promtool is not installed. */
function checkPromql() {
  if (spawnSync('promtool', ['--version'], { encoding: 'utf8' }).error) {
    console.warn('warning: promtool not on PATH, PromQL syntax not checked');
    return false;
  }
  if (!queries.length) return true;
  const rules = { groups: [{ name: 'dashboard-queries', rules: queries.map((q, i) => ({ record: `berth_dashboard_query_${i}`, expr: q.expr })) }] };
  const file = join(generated, 'dashboard-queries.rules.yml');
  writeFileSync(file, JSON.stringify(rules, null, 1)); // JSON is YAML
  const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  if (run.status !== 0) {
    // promtool names the failing rule by index ("group "...", rule 7"); point at the panel instead.
    const output = (run.stdout + run.stderr).replace(/rule (\d+)/g, (m, i) => `${m} (${queries[Number(i) - 1]?.where ?? '?'})`);
    problems.push(`promtool check rules failed:\n${output.trim().split('\n').map((l) => `    ${l}`).join('\n')}`);
  }
  return true;
}

function tsName(file) {
  return basename(file, '.json').replace(/[^A-Za-z0-9_-]/g, '_') + '.ts';
}

/**
 * The JSON text twice, verbatim, so a type error's line maps back onto the JSON file: the first copy starts on
 * line 2 (JSON line n = TS line n + 1), the second right after it.
 */
function typedModule(text, name) {
  const json = text.trimEnd();
  return [
    `import type { Dashboard } from '@grafana/schema'; import type { BerthDashboard, JsonOf } from '../berth-dashboard'; // generated from ${name}`,
    `export const published: JsonOf<Dashboard> = ${json};`,
    `export const berth: JsonOf<BerthDashboard> = ${json};`,
    '',
  ].join('\n');
}

/** tsc's "generated/x.ts(L,C): error ..." lines, re-pointed at the dashboard file's line and column. */
function tscProblems(output) {
  const byTs = new Map(files.map((f) => [tsName(f), f]));
  const out = [];
  for (const line of output.split('\n')) {
    const m = /^generated\/(.+?)\((\d+),(\d+)\): (.*)$/.exec(line.trim());
    if (!m) {
      if (line.trim() && out.length) out[out.length - 1] += `\n      ${line.trim()}`;
      else if (line.trim()) out.push(line.trim());
      continue;
    }
    const [, ts, l, c, message] = m;
    const jsonFile = byTs.get(ts);
    if (!jsonFile) { out.push(line.trim()); continue; }
    const lines = readFileSync(jsonFile, 'utf8').trimEnd().split('\n').length;
    const tsLine = Number(l);
    const [jsonLine, against] = tsLine <= lines + 1 ? [tsLine - 1, 'Dashboard'] : [tsLine - 1 - lines, 'BerthDashboard'];
    out.push(`${shown(jsonFile)}:${jsonLine}:${c} (as ${against}): ${message}`);
  }
  return out;
}
