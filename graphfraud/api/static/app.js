// The investigator's page: number → risk card (zh/en reasons) → evidence graph → ring view.
// Talks to the same server's /v1 API with the key the user pastes (kept in sessionStorage only).
"use strict";
const $ = (id) => document.getElementById(id);
const ROLE_COLOURS = {
  subject: "#1d2330", ring_member: "#d0483c", victim: "#3b7dd8", contact: "#9aa5b1",
  device_peer: "#e07b39", device: "#7a4fc4", cell: "#4c9a6a",
};
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const tierBadge = (t) => `<span class="tier tier-${esc(t || "none")}">${esc(t || "unscored")}</span>`;
let cy = null;
let searching = 0;  // the latest search: an answer to an older one is dropped

function key() { return sessionStorage.getItem("graphfraud-key") || ""; }

async function api(path) {
  const res = await fetch(path, { headers: { "X-API-Key": key() } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${res.status} ${body.error || ""}: ${body.detail || res.statusText}`);
  return body;
}

function status(text, isError = false) { $("status").textContent = text; $("status").className = isError ? "error" : ""; }

function reasonsHtml(reasons) {
  return reasons.map((r) => {
    const ev = r.evidence && r.evidence.feature ? ` <code>${esc(r.evidence.feature)} = ${esc(r.evidence.value)}` +
      (r.evidence.typical != null ? ` (typical ${esc(r.evidence.typical)})` : "") + "</code>" : "";
    return `<div class="reason"><b>${esc(r.code)}</b><br>${esc(r.en)}<br><span class="zh">${esc(r.zh)}</span>${ev}</div>`;
  }).join("") || "<i>no reasons · 无</i>";
}

function showRisk(risk) {
  const card = $("risk-card");
  card.hidden = false;
  card.innerHTML = `<h2 id="risk-number">${esc(risk.number)}</h2>
    <p>${tierBadge(risk.tier)} risk <b id="risk-value">${risk.risk == null ? "–" : risk.risk.toFixed(2)}</b>
    ${risk.model_tier && risk.model_tier !== risk.tier ? ` (model: ${esc(risk.model_tier)})` : ""}</p>
    <p>ring: ${risk.ring_id ? `<a data-ring="${esc(risk.ring_id)}">${esc(risk.ring_id)}</a>` : "none · 无"}</p>
    <h3>Reasons · 原因</h3><div id="reasons">${reasonsHtml(risk.reasons)}</div>
    <p><small>computed ${esc(risk.computed_at || "–")}</small></p>`;
}

function showNode(data) {
  const card = $("node-card");
  card.hidden = false;
  const feats = Object.entries(data.features || {}).slice(0, 8)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(typeof v === "number" ? +v.toFixed(3) : v)}</td></tr>`).join("");
  card.innerHTML = `<b id="node-card-title">${esc(data.label)}</b> <small>${esc(data.role)}</small>
    ${data.kind === "phone" ? `<p>${tierBadge(data.tier)} risk ${data.risk == null ? "–" : data.risk.toFixed(2)}</p>
      <table>${feats}</table><p><a data-number="${esc(data.id)}">open · 查看</a></p>` : ""}`;
}

function drawGraph(ev) {
  const elements = [
    ...ev.nodes.map((n) => ({ data: { ...n, colour: ROLE_COLOURS[n.role] || "#999" } })),
    ...ev.edges.map((e, i) => ({ data: { id: `e${i}`, ...e, width: Math.min(1 + Math.log2(1 + (e.calls || 1)), 8) } })),
  ];
  if (cy) cy.destroy();
  cy = cytoscape({
    container: $("graph-canvas"), elements, wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 8, width: 14, height: 14 } },
      { selector: "node[kind = 'device']", style: { shape: "round-rectangle" } },
      { selector: "node[kind = 'cell']", style: { shape: "triangle" } },
      { selector: "node[role = 'subject']", style: { width: 26, height: 26, "border-width": 3, "border-color": "#f2c94c" } },
      { selector: "node[tier = 'suspend']", style: { "border-width": 2, "border-color": "#8e1b1b" } },
      { selector: "edge", style: { width: "data(width)", "line-color": "#c3cad4", "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#c3cad4", "arrow-scale": 0.6 } },
      { selector: "edge[kind != 'called']", style: { "line-style": "dashed", "target-arrow-shape": "none" } },
      { selector: ":selected", style: { "overlay-opacity": 0.2 } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 60 },
  });
  window.cy = cy;  // for tests and the console
  cy.on("tap", "node", (evt) => showNode(evt.target.data()));
  $("legend").innerHTML = Object.entries(ROLE_COLOURS).map(([r, c]) => `<span style="background:${c}"></span>${r}`).join("") +
    (ev.truncated ? " <b>· truncated (cap)</b>" : "");
}

async function showRing(ringId, current = () => true) {
  const ring = await api(`/v1/rings/${encodeURIComponent(ringId)}`);
  if (!current()) return;
  const view = $("ring-view");
  view.hidden = false;
  view.innerHTML = `<h3>Ring ${esc(ring.ring_id)} ${tierBadge(ring.tier)}</h3>
    <p>risk ${ring.risk == null ? "–" : ring.risk.toFixed(2)} · ${ring.members.length} members · 成员</p>
    ${reasonsHtml(ring.reasons)}
    <table id="ring-members"><tr><th>number</th><th>tier</th><th>risk</th></tr>${ring.members.map((m) =>
      `<tr><td><a data-number="${esc(m.number)}">${esc(m.number)}</a></td><td>${tierBadge(m.tier)}</td>
       <td>${m.risk == null ? "–" : m.risk.toFixed(2)}</td></tr>`).join("")}</table>`;
}

// Empties every panel, so nothing on screen belongs to a number other than the one asked.
function clearPanels() {
  for (const id of ["risk-card", "node-card", "ring-view"]) { $(id).hidden = true; $(id).innerHTML = ""; }
  if (cy) cy.destroy();
  cy = window.cy = null;
  $("legend").innerHTML = "";
}

async function search(number) {
  const mine = ++searching;
  const current = () => mine === searching;
  $("number").value = number;
  clearPanels();
  status("loading…");
  let risk = null;
  try {
    risk = await api(`/v1/numbers/${encodeURIComponent(number)}/risk`);
    if (!current()) return;
    showRisk(risk);
    let ev = null;
    try {
      ev = await api(`/v1/numbers/${encodeURIComponent(risk.number)}/evidence?hops=${$("hops").value}`);
      if (!current()) return;
      drawGraph(ev);
    } catch (err) { if (current()) status(`risk shown; evidence: ${err.message}`, true); return; }
    if (risk.ring_id) await showRing(risk.ring_id, current);
    if (!current()) return;
    status(`${ev.nodes.length} nodes, ${ev.edges.length} edges${ev.truncated ? " (truncated)" : ""}`);
  } catch (err) {
    if (!current()) return;
    clearPanels();
    if (risk) showRisk(risk);  // the number's own card may stay; nothing else does
    status(err.message, true);
  }
}

document.addEventListener("click", (e) => {
  const t = e.target.closest("a[data-number], a[data-ring]");
  if (!t) return;
  if (t.dataset.number) search(t.dataset.number); else showRing(t.dataset.ring).catch((err) => status(err.message, true));
});
$("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem("graphfraud-key", $("api-key").value.trim());
  $("api-key").value = "";
  $("key-state").textContent = key() ? "key set (this tab only)" : "";
});
$("search-form").addEventListener("submit", (e) => { e.preventDefault(); if ($("number").value.trim()) search($("number").value.trim()); });
$("key-state").textContent = key() ? "key set (this tab only)" : "";
if (typeof cytoscape === "undefined") status("cytoscape.js missing: run `make install` (npm ci)", true);
