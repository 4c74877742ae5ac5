// cpuProfileSummary: the hot spots of a V8 .cpuprofile (as written by `node --cpu-prof`): self time per
// function and per module group (a package under node_modules, a folder of dist/, node internals, GC).
//   node bench/lib/cpuProfileSummary.mjs FILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs';

function groupOf(url) {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist) return `dist/${dist[1]}`;
  return url.replace(/^file:\/\//, '');
}

/** Returns {totalMs, functions: [{name, ms, pct}], groups: [{group, ms, pct}]}. */
export function summarize(file, top = 15) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fn = new Map();
  const grp = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const name = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.replace(/^.*?\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    const g = ['(garbage collector)', '(idle)', '(program)'].includes(cf.functionName) ? cf.functionName : groupOf(cf.url);
    grp.set(g, (grp.get(g) ?? 0) + us);
    total += us;
  }
  const busy = total - (grp.get('(idle)') ?? 0);
  const list = (m, key) => [...m].filter(([k]) => k !== '(idle)' && !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ [key]: k, ms: Math.round(us / 1000), pct: Math.round((1000 * us) / busy) / 10 }));
  return { totalMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), functions: list(fn, 'name'), groups: list(grp, 'group') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 15;
  const s = summarize(args[0], top);
  console.log(`${args[0]}: ${s.busyMs} ms busy of ${s.totalMs} ms`);
  console.log('by module:');
  for (const g of s.groups) console.log(`  ${String(g.pct).padStart(5)}%  ${String(g.ms).padStart(7)} ms  ${g.group}`);
  console.log('by function (self time):');
  for (const f of s.functions) console.log(`  ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(7)} ms  ${f.name}`);
}
