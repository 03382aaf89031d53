/**
 * The console's stylesheet, served at /console/assets/console.css. Kept as a string so the
 * compiled build (dist/) needs no copy step. Styles the markup of cardToHtml and the pages.
 */
export const CONSOLE_CSS = `
:root { --ink:#1d2330; --muted:#5d6677; --line:#dde2ea; --bg:#f5f7fa; --card:#fff; --brand:#2f5bd3;
  --good:#1f8a4c; --warning:#b7791f; --danger:#c53030; --info:#2b6cb0; --neutral:#718096; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--brand); }
code { background:#eef1f6; padding:0 4px; border-radius:3px; }
.masthead { display:flex; flex-wrap:wrap; align-items:center; gap:12px; padding:10px 24px; background:#1d2330; color:#fff; }
.masthead .brand { color:#fff; font-weight:700; font-size:18px; text-decoration:none; }
.masthead .tag { color:#aab3c5; font-size:13px; }
nav.top { margin-left:auto; display:flex; gap:16px; }
nav.top a { color:#dfe5f1; text-decoration:none; }
nav.top a[aria-current="page"] { color:#fff; border-bottom:2px solid #fff; }
main { max-width:1200px; margin:0 auto; padding:20px 24px 40px; }
h1 { font-size:24px; margin:8px 0 12px; }
h2 { font-size:17px; margin:0 0 10px; }
.intro { margin-bottom:22px; }
.intro p { max-width:760px; color:var(--muted); margin:4px 0; }
.intro.narrow { max-width:520px; }
.notice, .error { padding:10px 12px; border-radius:6px; background:#fff8e6; border:1px solid #f0d28a; }
.error { background:#fdecec; border-color:#f1b0b0; color:var(--danger); }
table { border-collapse:collapse; background:var(--card); width:100%; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { text-align:left; padding:8px 12px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef1f6; font-weight:600; font-size:13px; color:var(--muted); }
table.people a.person { font-weight:600; }
.login { display:flex; flex-direction:column; gap:8px; margin-top:12px; }
input[type=text], input[type=password], input[type=date], textarea, select { font:inherit; padding:7px 9px; border:1px solid #c5ccd8; border-radius:6px; width:100%; background:#fff; }
textarea { min-height:70px; }
select[multiple] { min-height:90px; }
.button { font:inherit; font-size:14px; padding:6px 12px; border-radius:6px; border:1px solid #c5ccd8; background:#fff; color:var(--ink); cursor:pointer; text-decoration:none; display:inline-block; }
.button:hover { background:#f0f3f8; }
.button[disabled] { opacity:.6; cursor:wait; }
.button-primary { background:var(--brand); border-color:var(--brand); color:#fff; }
.button-primary:hover { background:#2549ad; }
.button-danger { background:#fff; border-color:var(--danger); color:var(--danger); }
.chat-layout { display:grid; grid-template-columns:minmax(0,1fr) 360px; gap:20px; align-items:start; }
@media (max-width: 900px) { .chat-layout { grid-template-columns:1fr; } }
.whoami { margin-bottom:10px; }
.whoami .roles { color:var(--muted); font-size:13px; margin:0 8px; }
.transcript { background:#eceff4; border:1px solid var(--line); border-radius:8px; padding:12px; min-height:360px; max-height:70vh; overflow-y:auto; display:flex; flex-direction:column; gap:10px; }
.transcript .hint { color:var(--muted); margin:0; }
.entry-you { align-self:flex-end; background:var(--brand); color:#fff; padding:6px 12px; border-radius:14px 14px 2px 14px; max-width:70%; white-space:pre-wrap; }
.entry-error { color:var(--danger); background:#fdecec; border:1px solid #f1b0b0; padding:6px 10px; border-radius:6px; }
.command { display:flex; gap:8px; margin-top:10px; }
.shortcuts { display:flex; flex-wrap:wrap; gap:6px; margin-top:8px; }
.chip { font:inherit; font-size:13px; border:1px solid #c5ccd8; background:#fff; border-radius:14px; padding:2px 10px; cursor:pointer; }
.feed { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px; max-height:80vh; overflow-y:auto; }
.feed-status { font-size:12px; font-weight:400; color:var(--muted); margin-left:6px; }
.feed-empty { color:var(--muted); font-size:14px; }
.feed-item { margin-bottom:10px; }
.feed-item time { display:block; font-size:12px; color:var(--muted); margin-bottom:2px; }
.feed-item.fresh .card { border-color:var(--brand); box-shadow:0 0 0 2px #d6e0fa; }
.card { background:var(--card); border:1px solid var(--line); border-left:4px solid var(--brand); border-radius:8px; padding:10px 14px; }
.card header { display:flex; flex-wrap:wrap; align-items:center; gap:8px; }
.card h2 { font-size:16px; margin:0; }
.card h3 { font-size:14px; margin:10px 0 4px; }
.card .subtitle { flex-basis:100%; margin:0; color:var(--muted); font-size:13px; }
.card .text, .card section p { margin:6px 0; }
.card footer { margin-top:8px; color:var(--muted); font-size:12px; }
.card section { border-top:1px solid #edf0f5; margin-top:6px; }
.card.submitted { opacity:.7; }
.card.submitted form { display:none; }
/* The label column never takes more than 60 %: long usage lines wrap instead of squeezing the descriptions. */
.fields { display:grid; grid-template-columns:fit-content(60%) minmax(40%, 1fr); gap:2px 12px; margin:6px 0; font-size:14px; }
.fields dt { color:var(--muted); overflow-wrap:anywhere; }
.fields dd { margin:0; overflow-wrap:anywhere; }
@media (max-width: 560px) { .fields { grid-template-columns:1fr; } .fields dd { margin-bottom:6px; } }
fieldset.choices { border:1px solid var(--line); border-radius:6px; padding:8px 10px; margin:0; min-width:0; }
fieldset.choices legend { font-weight:600; font-size:14px; padding:0 4px; }
fieldset.choices small, .choose-hint { display:block; color:var(--muted); font-size:12px; margin:0 0 6px; }
.choice-list { display:flex; flex-direction:column; gap:4px; }
.choices-radio .choice-list { flex-direction:row; gap:18px; }
.input label.choice { display:flex; gap:8px; align-items:baseline; font-size:14px; font-weight:400; margin:0; cursor:pointer; }
.choice input { width:auto; flex:none; }
/* In the notifications panel the buttons come right under the title, above the details. */
.feed .card { display:flex; flex-direction:column; }
.feed .card > header { order:-2; }
.feed .card > .actions { order:-1; }
.actions, .pages { display:flex; flex-wrap:wrap; gap:6px; margin:8px 0 2px; }
.pagination { display:flex; align-items:center; gap:10px; font-size:13px; color:var(--muted); }
.badge { font-size:12px; padding:1px 8px; border-radius:10px; color:#fff; background:var(--neutral); }
.badge-good { background:var(--good); } .badge-warning { background:var(--warning); } .badge-danger { background:var(--danger); }
.badge-info { background:var(--info); } .badge-neutral { background:var(--neutral); }
.card form { display:flex; flex-direction:column; gap:10px; margin-top:8px; }
.card form > button { align-self:flex-start; }
.input label { display:block; font-weight:600; font-size:14px; margin-bottom:3px; }
.input small { display:block; color:var(--muted); font-size:12px; margin-top:2px; }
.input-checkbox { display:flex; gap:8px; align-items:baseline; }
.input-checkbox input { width:auto; }
.required { color:var(--danger); }
.form-errors { margin:0; }
.input .field-error { color:var(--danger); font-size:13px; }
.input.invalid input, .input.invalid select, .input.invalid textarea { border-color:var(--danger); }
.tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(150px, 1fr)); gap:10px; margin:14px 0 18px; }
.tile { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; display:flex; flex-direction:column; }
.tile-value { font-size:20px; font-weight:700; }
.tile-label { color:var(--muted); font-size:13px; }
.tile-warning .tile-value { color:var(--warning); } .tile-danger .tile-value { color:var(--danger); }
.panels { display:grid; grid-template-columns:repeat(auto-fit, minmax(min(100%, 540px), 1fr)); gap:16px; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:14px; overflow-x:auto; min-width:0; }
@media (max-width: 560px) { main { padding:14px 12px 30px; } .masthead { padding:10px 12px; } }
.panel-note { color:var(--muted); font-size:13px; margin:-4px 0 10px; }
.chart { max-width:100%; height:auto; }
.chart-empty { color:var(--muted); font-style:italic; }
.bar rect { fill:var(--info); }
.bar-good rect { fill:var(--good); } .bar-warning rect { fill:var(--warning); } .bar-danger rect { fill:var(--danger); } .bar-neutral rect { fill:var(--neutral); }
.bar-label { font-size:15px; fill:var(--ink); }
.bar-value { font-size:14px; fill:var(--muted); }
table.reviews tr.overdue td:last-child { color:var(--danger); font-weight:600; }
table.undelivered tr.dead td.status { color:var(--danger); font-weight:600; }
table.undelivered tr.failed td.status { color:var(--warning); font-weight:600; }
table.undelivered td.last-error { font-size:13px; color:var(--muted); max-width:280px; overflow-wrap:anywhere; }
.signout { display:inline; margin-left:8px; font-weight:400; }
.signout .button { font-size:13px; padding:2px 10px; }
.chip[disabled], .command [disabled] { opacity:.5; cursor:not-allowed; }
[data-mode="reader"] { margin:0 0 12px; }
`;
