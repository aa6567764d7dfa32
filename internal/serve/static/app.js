// wdlab serve: the runs table, curves, sweep figures and claims of one
// output root, refreshed in place on every "update" server-sent event.
"use strict";

const state = {
  runs: [], metricKeys: [], finalKeys: [], version: -1,
  points: {},            // run id -> metrics lines of the compared runs
  compare: new Set(),    // run ids drawn in the curves
  compareTouched: false, // the user picked runs: stop following all
  sort: {col: "id", dir: 1},
  tab: "runs",
};
// window.wdlab exposes the charts and state to the browser tests.
const wdlab = window.wdlab = {charts: {}, state, loadedAt: Date.now(), updates: 0};
const $ = (id) => document.getElementById(id);
const palette = ["#2563eb", "#dc2626", "#16a34a", "#ca8a04", "#9333ea", "#0891b2", "#db2777", "#65a30d", "#ea580c", "#4b5563"];
const preferred = ["test_err", "ema_test_err", "val_loss", "ema_val_loss", "train_ce", "train_loss", "param_norm"];

function fmt(v) {
  if (v === null || v === undefined) return "";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return (a >= 1e4 || a < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(4));
}
function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
async function getJSON(url) {
  const r = await fetch(url, {cache: "no-store"});
  if (!r.ok) throw new Error(url + ": " + r.status);
  return r.json();
}
function fillSelect(sel, keys, want) {
  const cur = sel.value || want.find((k) => keys.includes(k)) || keys[0] || "";
  sel.innerHTML = keys.map((k) => `<option>${esc(k)}</option>`).join("");
  if (keys.includes(cur)) sel.value = cur;
}
function chart(id) {
  if (!wdlab.charts[id]) wdlab.charts[id] = echarts.init($(id));
  return wdlab.charts[id];
}

// ---- tabs -------------------------------------------------------------
function showTab(tab) {
  if (!["runs", "curves", "sweep", "claims"].includes(tab)) tab = "runs";
  state.tab = tab;
  for (const s of document.querySelectorAll("main > section")) s.hidden = s.id !== "tab-" + tab;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.tab === tab);
  render();
}
window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));

// ---- runs table -------------------------------------------------------
function tableColumns() {
  const k = $("tableKey").value;
  return [
    {col: "cmp", title: "compare", get: () => 0},
    {col: "name", title: "name", get: (r) => r.name},
    {col: "id", title: "directory", get: (r) => r.id},
    {col: "status", title: "status", get: (r) => r.status},
    {col: "progress", title: "progress", get: (r) => r.progress},
    {col: "lr", title: "lr", get: (r) => r.lr, num: true},
    {col: "wd", title: "wd", get: (r) => r.wd, num: true},
    {col: "seed", title: "seed", get: (r) => r.seed, num: true},
    {col: "final", title: "final " + k, get: (r) => r.final[k], num: true},
    {col: "best", title: "best " + k, get: (r) => r.best[k], num: true},
  ];
}
function shownRuns() {
  const q = $("filter").value.trim().toLowerCase();
  const cols = tableColumns(), c = cols.find((x) => x.col === state.sort.col) || cols[2];
  const rows = state.runs.filter((r) => !q || [r.name, r.id, r.status].join(" ").toLowerCase().includes(q));
  rows.sort((a, b) => {
    const x = c.get(a), y = c.get(b);
    if (x === y) return a.id < b.id ? -1 : 1;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * state.sort.dir;
  });
  return rows;
}
function renderTable() {
  const cols = tableColumns();
  $("runs").tHead.innerHTML = "<tr>" + cols.map((c) =>
    `<th data-col="${c.col}" class="${state.sort.col === c.col ? (state.sort.dir > 0 ? "sorted-asc" : "sorted-desc") : ""}">${esc(c.title)}</th>`).join("") + "</tr>";
  const rows = shownRuns();
  $("runs").tBodies[0].innerHTML = rows.map((r) => {
    const pct = r.progress === null ? "" : `<span class="bar"><span style="width:${(100 * r.progress).toFixed(1)}%"></span></span> ${(100 * r.progress).toFixed(0)}%`;
    return `<tr data-id="${esc(r.id)}">` +
      `<td><input type="checkbox" class="cmp" ${state.compare.has(r.id) ? "checked" : ""}></td>` +
      `<td><a class="open" title="curves of this run">${esc(r.name)}</a></td><td>${esc(r.id)}</td>` +
      `<td class="status-${esc(r.status)}" title="${esc(r.error || "")}">${esc(r.status)}</td><td>${pct}</td>` +
      cols.slice(5).map((c) => `<td class="num">${fmt(c.get(r))}</td>`).join("") + "</tr>";
  }).join("");
  $("runCount").textContent = `${rows.length} of ${state.runs.length} runs`;
}
$("runs").addEventListener("click", (e) => {
  const th = e.target.closest("th");
  if (th && th.dataset.col !== "cmp") {
    state.sort = {col: th.dataset.col, dir: state.sort.col === th.dataset.col ? -state.sort.dir : 1};
    renderTable();
    return;
  }
  const tr = e.target.closest("tr[data-id]");
  if (!tr) return;
  if (e.target.classList.contains("cmp")) {
    state.compareTouched = true;
    e.target.checked ? state.compare.add(tr.dataset.id) : state.compare.delete(tr.dataset.id);
    loadPoints();
  } else if (e.target.classList.contains("open")) {
    state.compareTouched = true;
    state.compare = new Set([tr.dataset.id]);
    location.hash = "#curves";
    loadPoints();
  }
});
$("filter").addEventListener("input", renderTable);
$("tableKey").addEventListener("change", renderTable);
$("compareAll").addEventListener("click", () => { state.compareTouched = true; state.compare = new Set(shownRuns().map((r) => r.id)); renderTable(); loadPoints(); });
$("compareNone").addEventListener("click", () => { state.compareTouched = true; state.compare = new Set(); renderTable(); loadPoints(); });

// ---- curves -----------------------------------------------------------
function renderCurves() {
  const key = $("curveKey").value, x = $("curveX").value, ema = "ema_" + key;
  const series = [];
  const ids = state.runs.map((r) => r.id).filter((id) => state.compare.has(id) && state.points[id]);
  ids.forEach((id, i) => {
    const pts = state.points[id], color = palette[i % palette.length];
    const line = (k) => pts.filter((p) => p[x] != null && p[k] != null && ($("logY").checked ? p[k] > 0 : true)).map((p) => [p[x], p[k]]);
    series.push({name: id, type: "line", data: line(key), showSymbol: false, lineStyle: {color, type: "solid"}, itemStyle: {color}});
    if ($("showEMA").checked && pts.some((p) => p[ema] != null)) {
      series.push({name: id + " (EMA)", type: "line", data: line(ema), showSymbol: false, lineStyle: {color, type: "dashed"}, itemStyle: {color}});
    }
  });
  $("curveRuns").textContent = `${ids.length} runs (tick "compare" in the table, or click a run's name)`;
  chart("curves").setOption({
    animation: false,
    title: {text: key + " vs " + x, subtext: "iterate solid, EMA dashed", left: "center"},
    tooltip: {trigger: "axis", valueFormatter: fmt},
    legend: {type: "scroll", bottom: 0},
    grid: {left: 70, right: 30, top: 60, bottom: 90},
    xAxis: {type: $("logX").checked ? "log" : "value", name: x, nameLocation: "middle", nameGap: 28, scale: true},
    yAxis: {type: $("logY").checked ? "log" : "value", name: key, scale: true},
    dataZoom: [{type: "inside", xAxisIndex: 0}, {type: "slider", xAxisIndex: 0, bottom: 30}, {type: "inside", yAxisIndex: 0, orient: "vertical"}],
    toolbox: {feature: {dataZoom: {}, restore: {}, saveAsImage: {}}},
    series,
  }, {replaceMerge: ["series"]});
}
for (const id of ["curveKey", "curveX", "logY", "logX", "showEMA"]) $(id).addEventListener("change", renderCurves);

// ---- sweep: (lr, wd) heatmap and scatter against lr*wd -----------------
function renderSweep() {
  const key = $("sweepKey").value;
  const runs = shownRuns().filter((r) => r.lr !== null && r.wd !== null && r.final[key] != null); // the table filter narrows a tree to one sweep
  const lrs = [...new Set(runs.map((r) => r.lr))].sort((a, b) => a - b);
  const wds = [...new Set(runs.map((r) => r.wd))].sort((a, b) => a - b);
  const cells = new Map();
  for (const r of runs) {
    const k = wds.indexOf(r.wd) + "," + lrs.indexOf(r.lr);
    cells.set(k, (cells.get(k) || []).concat([r.final[key]]));
  }
  const heat = [...cells].map(([k, vs]) => k.split(",").map(Number).concat([vs.reduce((a, b) => a + b, 0) / vs.length, vs.length]));
  const vals = heat.map((d) => d[2]);
  chart("heatmap").setOption({
    animation: false,
    title: {text: `final ${key} over (lr, wd)`, subtext: "mean over seeds", left: "center"},
    tooltip: {formatter: (p) => `lr ${fmt(lrs[p.value[1]])}, wd ${fmt(wds[p.value[0]])}<br>${esc(key)} ${fmt(p.value[2])} (${p.value[3]} runs)`},
    grid: {left: 80, right: 30, top: 60, bottom: 90},
    xAxis: {type: "category", name: "wd", nameLocation: "middle", nameGap: 28, data: wds.map(fmt)},
    yAxis: {type: "category", name: "lr", data: lrs.map(fmt)},
    visualMap: {min: vals.length ? Math.min(...vals) : 0, max: vals.length ? Math.max(...vals) : 1, calculable: true, formatter: fmt, orient: "horizontal", left: "center", bottom: 0, dimension: 2},
    series: [{name: key, type: "heatmap", data: heat, label: {show: true, formatter: (p) => fmt(p.value[2])}}],
  }, {replaceMerge: ["series"]});
  const pos = runs.filter((r) => r.lr * r.wd > 0);
  const q = $("filter").value.trim();
  $("sweepNote").textContent = `${runs.length} runs with lr, wd and a final ${key}` + (q ? ` matching the runs filter "${q}"` : "") + (pos.length < runs.length ? `; ${runs.length - pos.length} with lr*wd = 0 left out of the log-scale scatter` : "");
  chart("scatter").setOption({
    animation: false,
    title: {text: `final ${key} vs lr*wd`, left: "center"},
    tooltip: {trigger: "item", formatter: (p) => `${esc(p.data.id)}<br>lr*wd ${fmt(p.value[0])}: ${fmt(p.value[1])}`},
    grid: {left: 80, right: 30, top: 60, bottom: 60},
    xAxis: {type: "log", name: "lr*wd", nameLocation: "middle", nameGap: 28},
    yAxis: {type: "value", name: key, scale: true},
    dataZoom: [{type: "inside", xAxisIndex: 0}, {type: "inside", yAxisIndex: 0}],
    series: [{name: key, type: "scatter", symbolSize: 9, data: pos.map((r) => ({id: r.id, value: [r.lr * r.wd, r.final[key]]}))}],
  }, {replaceMerge: ["series"]});
}
$("sweepKey").addEventListener("change", renderSweep);

// ---- claims -----------------------------------------------------------
async function loadClaims() {
  const body = await getJSON("/api/claims");
  $("claims").tBodies[0].innerHTML = body.claims.map((c) =>
    `<tr><td>${esc(c.experiment || "")}</td><td>${esc(c.id || "")}</td><td>${esc(c.claim)}</td>` +
    `<td class="verdict-${esc(c.verdict.replace(/ /g, "-"))}">${esc(c.verdict)}</td><td>${esc(c.evidence)}</td>` +
    `<td>${esc(c.seeds === undefined ? "" : JSON.stringify(c.seeds))}</td><td>${esc(c.source)}</td></tr>`).join("");
  $("claimErrors").textContent = (body.errors || []).join("; ");
}

// ---- data and live updates --------------------------------------------
async function loadPoints() {
  const ids = [...state.compare];
  const q = ids.map((id) => "run=" + encodeURIComponent(id)).join("&");
  const body = ids.length ? await getJSON("/api/metrics?" + q) : {runs: {}};
  state.points = body.runs;
  if (state.tab === "curves") renderCurves();
}
function render() {
  renderTable();
  if (state.tab === "curves") { renderCurves(); wdlab.charts.curves.resize(); }
  if (state.tab === "sweep") { renderSweep(); wdlab.charts.heatmap.resize(); wdlab.charts.scatter.resize(); }
}
async function refresh() {
  const body = await getJSON("/api/runs");
  Object.assign(state, {runs: body.runs, metricKeys: body.metricKeys, finalKeys: body.finalKeys, version: body.version});
  $("root").textContent = body.root;
  const ids = new Set(body.runs.map((r) => r.id));
  if (!state.compareTouched) state.compare = new Set(body.runs.slice(0, 12).map((r) => r.id));
  for (const id of [...state.compare]) if (!ids.has(id)) state.compare.delete(id);
  const series = state.metricKeys.filter((k) => !["epoch", "step"].includes(k));
  fillSelect($("tableKey"), state.finalKeys, preferred);
  fillSelect($("curveKey"), series, preferred);
  fillSelect($("curveX"), state.metricKeys.filter((k) => ["epoch", "step", "wall_s", "samples"].includes(k)), ["epoch", "step"]);
  fillSelect($("sweepKey"), state.finalKeys, preferred);
  await loadPoints();
  render();
  await loadClaims();
  wdlab.updates++;
}
function guarded(p) {
  return p.catch((err) => { $("live").textContent = "error: " + err.message; $("live").className = ""; });
}
function connect() {
  const es = new EventSource("/api/events");
  es.addEventListener("open", () => { $("live").className = "on"; });
  es.addEventListener("update", () => guarded(refresh().then(() => { $("live").textContent = "live, version " + state.version; })));
  es.addEventListener("error", () => { $("live").className = ""; $("live").textContent = "reconnecting"; });
}
showTab(location.hash.slice(1));
connect();
