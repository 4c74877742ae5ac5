/**
 * ideHtml: the GraphQL IDE served at /graphql to browsers: one self-contained page (inline CSS and script,
 * no external resource, so it works without internet) with a query editor, variables, example queries,
 * the schema text, and the JSON answer. Queries are POSTed as JSON to the same /graphql.
 */

const EXAMPLES: readonly { name: string; query: string; variables?: string }[] = [
  {
    name: 'route now',
    query: `query Route($host: String!, $port: Int, $path: String) {
  route(host: $host, port: $port, path: $path) {
    at verdict backends
    ingress { namespace name host path }
    service { namespace name port targetPort }
    endpoints { address port conditions { ready serving terminating } pod { namespace name } selected reason }
    findings { code severity message }
  }
}`,
    variables: '{ "host": "ibtisam-iq.com", "port": 443, "path": "/" }',
  },
  {
    name: 'route as of a past time',
    query: `query RouteAt($host: String!, $at: DateTime) {
  route(host: $host, port: 80, at: $at) { at verdict backends findings { code message } }
}`,
    variables: '{ "host": "my-app-service.default", "at": "-15m" }',
  },
  {
    name: 'timeline of a Service',
    query: `query Timeline($ns: String!, $name: String!, $from: DateTime, $first: Int, $after: String) {
  timeline(service: { namespace: $ns, name: $name }, from: $from, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { observedTime changeTime type message } }
  }
}`,
    variables: '{ "ns": "default", "name": "my-app-service", "from": "-1h", "first": 50 }',
  },
  {
    name: 'what reaches an IP',
    query: `query Reverse($ip: String!) {
  reverse(ip: $ip) { target { addresses pod { namespace name } } services { namespace name port receivesTraffic entryPoints } ingresses { host path service } }
}`,
    variables: '{ "ip": "192.168.1.2" }',
  },
  {
    name: 'route diff',
    query: `query Diff($host: String!, $from: DateTime!, $to: DateTime!) {
  routeDiff(host: $host, port: 80, from: $from, to: $to) { changed summary backendsAdded backendsRemoved }
}`,
    variables: '{ "host": "my-app-service.default", "from": "-30m", "to": "now" }',
  },
];

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function ideHtml(schemaText: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>routetrace GraphQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
*{box-sizing:border-box}body{margin:0;font:14px system-ui,sans-serif;color:#1d2433;background:#f6f7f9;height:100vh;display:flex;flex-direction:column}
header{display:flex;gap:.75rem;align-items:center;padding:.5rem 1rem;background:#1d2433;color:#fff}
header b{font-size:15px}header select,header button{font:inherit;padding:.25rem .5rem}
button#run{background:#2f7d4f;color:#fff;border:0;border-radius:4px;padding:.3rem .9rem;cursor:pointer}
main{flex:1;display:grid;grid-template-columns:1fr 1fr;gap:.5rem;padding:.5rem;min-height:0}
section{display:flex;flex-direction:column;min-height:0}label{font-size:12px;color:#5b6475;margin:.25rem 0}
textarea,pre{font:13px ui-monospace,Menlo,Consolas,monospace;border:1px solid #cfd4dc;border-radius:4px;background:#fff;padding:.5rem;margin:0}
textarea{resize:none}#query{flex:3}#variables{flex:1}#result{flex:1;overflow:auto;white-space:pre-wrap}
details{padding:0 1rem .5rem}details pre{max-height:40vh;overflow:auto}#status{font-size:12px;color:#cfd4dc}
</style></head>
<body>
<header><b>routetrace GraphQL</b>
<select id="examples" aria-label="Example queries"><option value="">Examples…</option></select>
<button id="run" title="Ctrl+Enter">Run ▶</button><span id="status"></span></header>
<main>
<section><label for="query">Query</label><textarea id="query" spellcheck="false"></textarea>
<label for="variables">Variables (JSON)</label><textarea id="variables" spellcheck="false">{}</textarea></section>
<section><label for="result">Result</label><pre id="result" aria-live="polite"></pre></section>
</main>
<details><summary>Schema</summary><pre>${escapeHtml(schemaText)}</pre></details>
<script>
const examples = ${scriptJson(EXAMPLES)};
const q = document.getElementById('query'), v = document.getElementById('variables');
const out = document.getElementById('result'), status = document.getElementById('status');
const sel = document.getElementById('examples');
examples.forEach((e, i) => { const o = document.createElement('option'); o.value = String(i); o.textContent = e.name; sel.appendChild(o); });
function load(i) { const e = examples[i]; if (!e) return; q.value = e.query; v.value = e.variables || '{}'; }
sel.addEventListener('change', () => load(Number(sel.value)));
load(0);
async function run() {
  let variables;
  try { variables = v.value.trim() ? JSON.parse(v.value) : {}; } catch (e) { out.textContent = 'Variables are not valid JSON: ' + e.message; return; }
  status.textContent = 'running…'; const t0 = performance.now();
  try {
    const r = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query: q.value, variables }) });
    const text = await r.text();
    try { out.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { out.textContent = text; }
    status.textContent = 'HTTP ' + r.status + ' in ' + Math.round(performance.now() - t0) + ' ms';
  } catch (e) { out.textContent = String(e); status.textContent = 'failed'; }
}
document.getElementById('run').addEventListener('click', run);
document.addEventListener('keydown', (e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); run(); } });
</script>
</body></html>
`;
}
