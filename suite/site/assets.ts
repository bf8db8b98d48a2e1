/** The site's stylesheet and search script: written into assets/, nothing loaded from elsewhere. */

export const STYLESHEET = `:root { color-scheme: light dark; --bg: #fff; --fg: #1b1b1b; --muted: #5b5b5b; --line: #d8d8d8; --code: #f3f3f3; --accent: #0b57d0;
  --pass: #17692b; --fail: #b3261e; --warn: #8a5a00; --skip: #5b5b5b; --tok: #e8eefc; --tok-fg: #0b3a8c; }
@media (prefers-color-scheme: dark) { :root { --bg: #121212; --fg: #e6e6e6; --muted: #a8a8a8; --line: #3a3a3a; --code: #1e1e1e; --accent: #8ab4f8;
  --pass: #7fd68f; --fail: #f28b82; --warn: #fdd663; --skip: #a8a8a8; --tok: #1f2b45; --tok-fg: #aecbfa; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, sans-serif; }
a { color: var(--accent); }
a:focus-visible, input:focus-visible, main:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 2; }
header { border-bottom: 1px solid var(--line); padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 2rem; align-items: center; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
nav a[aria-current] { font-weight: 700; text-decoration: none; }
[role=search] { position: relative; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
[role=search] label { font-size: .85rem; color: var(--muted); }
#search { font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); background: var(--bg); color: var(--fg); min-width: 14rem; }
#search-results { list-style: none; margin: 0; padding: 0; position: absolute; top: 100%; left: 0; right: 0; background: var(--bg); border: 1px solid var(--line); z-index: 1; max-height: 60vh; overflow: auto; }
#search-results:empty { display: none; } #search-results li { padding: .25rem .5rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; } footer { color: var(--muted); font-size: .85rem; padding: 1rem; border-top: 1px solid var(--line); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
code { background: var(--code); padding: 0 .2em; border-radius: 3px; }
pre { background: var(--code); padding: .75rem; overflow-x: auto; border-radius: 4px; }
figure { margin: 0 0 .5rem; }
.wire pre { white-space: pre-wrap; word-break: break-all; line-height: 1.9; }
figcaption, .meta, .crumbs, .source, .count, .kind { color: var(--muted); font-size: .85rem; }
.tok { display: inline-block; font-size: .7rem; line-height: 1.2; padding: 0 .25em; margin: 0 1px; border-radius: 3px; background: var(--tok); color: var(--tok-fg); vertical-align: middle; }
.tok.bad, .tok.ctl { background: var(--fail); color: var(--bg); } .tok.bom { background: var(--warn); color: var(--bg); }
.tok.pause { background: transparent; border: 1px dashed var(--muted); color: var(--muted); } .tok.edge { background: transparent; color: var(--accent); font-weight: 700; }
.table { overflow-x: auto; } table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; color: var(--muted); font-size: .85rem; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; } th[scope=row] { font-weight: 400; }
.badge { font-weight: 700; white-space: nowrap; } .badge.pass { color: var(--pass); } .badge.fail { color: var(--fail); } .badge.warn { color: var(--warn); } .badge.skip { color: var(--skip); }
.level { font-size: .75rem; font-weight: 700; border: 1px solid currentColor; border-radius: 3px; padding: 0 .25em; }
.level.MUST { color: var(--fail); } .level.SHOULD { color: var(--warn); }
.gap { color: var(--fail); font-weight: 700; } .na { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dl.facts dt { color: var(--muted); }
ul.fixtures li, ul.requirements li { margin: .2rem 0; }
@media (max-width: 40rem) { body { font-size: 15px; } main { padding: .75rem; } #search { min-width: 0; width: 100%; } [role=search] { width: 100%; } }
`;

/** Filters the index (window.SSE_SEARCH, loaded by a script tag so file:// works) as the user types. */
export const SEARCH_SCRIPT = `(function () {
  var input = document.getElementById('search');
  var out = document.getElementById('search-results');
  var root = document.body.getAttribute('data-root') || '';
  var index = window.SSE_SEARCH || [];
  if (!input || !out) return;
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    out.textContent = '';
    if (q.length < 2) return;
    var hits = index.filter(function (e) { return e.id.toLowerCase().indexOf(q) !== -1 || e.title.toLowerCase().indexOf(q) !== -1; }).slice(0, 20);
    hits.forEach(function (e) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + e.path;
      a.textContent = e.title + ' (' + e.id + ')';
      li.appendChild(a);
      out.appendChild(li);
    });
    if (hits.length === 0) { var li = document.createElement('li'); li.textContent = 'No match'; out.appendChild(li); }
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { input.value = ''; out.textContent = ''; }
  });
})();
`;
