// The console page: sources, the live view (server-sent events from /api/live), charts drawn with
// uPlot, the registry and the results search. Data goes into the page as text, never as HTML.
'use strict';

const WINDOW_POINTS = 240; // two minutes of half-second snapshots

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function table(headers, rows) {
  const t = element('table');
  const head = t.createTHead().insertRow();
  headers.forEach(h => head.appendChild(element('th', h)));
  const body = t.createTBody();
  rows.forEach(cells => {
    const row = body.insertRow();
    cells.forEach(c => row.appendChild(element('td', c)));
  });
  return t;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.status);
  return body;
}

async function showSources() {
  const status = await getJson('/api/status');
  const list = document.getElementById('sources');
  list.replaceChildren();
  for (const [name, source] of Object.entries({ models: status.models, flink: status.flink, results: status.results })) {
    const item = element('li', source.connected ? `${name}: ${source.where}` : `${name}: not connected (${source.connect})`,
      source.connected ? 'on' : 'off');
    item.dataset.source = name;
    list.appendChild(item);
  }
  return status;
}

// Actions (only when the console offers them): each asks for confirmation, and sends the token the
// person typed and the CSRF token the console gave this page.
let actionsOn = false;
let csrf = null;

async function act(action, body, question) {
  const state = document.getElementById('action-state');
  if (!window.confirm(question)) return;
  try {
    if (csrf === null) csrf = (await getJson('/api/csrf')).csrf;
    const response = await fetch('/api/actions/' + action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf,
                 'Authorization': 'Bearer ' + document.getElementById('token').value },
      body: JSON.stringify({ ...body, confirm: true }),
    });
    const answer = await response.json();
    state.textContent = response.ok ? `${action} of ${answer.name}: published version ${answer.published}`
      : `${action} refused (${response.status}): ${answer.error}`;
  } catch (e) {
    state.textContent = `${action} failed: ${e.message}`;
  }
  showRegistry();
}

function button(text, onClick) {
  const b = element('button', text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

async function showRegistry() {
  const target = document.getElementById('models');
  try {
    const registry = await getJson('/api/models');
    target.replaceChildren();
    if (registry.names.length === 0) target.appendChild(element('p', 'no model published yet', 'note'));
    for (const name of registry.names) {
      target.appendChild(element('h3', name.name));
      const t = table(['version', 'role', 'type', 'published', 'promoted from', 'rollout', 'AUC', 'features'],
        name.versions.map(v => [v.version, v.unreadable ? 'unreadable: ' + v.unreadable : v.role, v.type, v.createdAt,
          v.promotedFrom ?? '', v.rollout ?? '', v.evaluation && v.evaluation.auc !== undefined ? v.evaluation.auc.toFixed(4) : '',
          (v.features || []).join(', ')]));
      t.dataset.name = name.name;
      target.appendChild(t);
      if (!actionsOn) continue;
      const rows = t.tBodies[0].rows;
      name.versions.forEach((v, i) => {
        const cell = rows[i].insertCell();
        if (v.role !== 'champion' && !v.unreadable) {
          cell.appendChild(button('promote', () => act('promote', { name: name.name, version: v.version },
            `Publish version ${v.version} of ${name.name} again, as the new champion?`)));
        }
        if (v.role === 'challenger') {
          cell.appendChild(button('retire', () => act('retire', { name: name.name, version: v.version },
            `Retire challenger version ${v.version} of ${name.name}?`)));
        }
      });
      target.appendChild(button('roll back ' + name.name, () => act('rollback', { name: name.name },
        `Roll ${name.name} back to the version before its champion?`)));
    }
  } catch (e) {
    target.replaceChildren(element('p', 'registry: ' + e.message, 'note'));
  }
}

// The live view: per job, a table of subtasks and two charts over the last snapshots.
const history = { times: [], rates: [], versions: new Map(), lastScored: null, lastChange: null, lastRate: 0 };
let throughputPlot = null;
let versionsPlot = null;

function record(snapshot) {
  const jobs = snapshot.jobs || [];
  const subtasks = jobs.flatMap(job => (job.scorer ? job.scorer.subtasks.map(s => ({ job: job.name, ...s })) : []));
  const scored = subtasks.reduce((sum, s) => sum + (s.recordsScored || 0), 0);
  const time = snapshot.time / 1000;
  // Flink refreshes the counters less often than snapshots come: a rate is taken between two changes,
  // and held until the next one (or dropped to 0 when the counters stay still for 3 s).
  let rate = 0;
  if (history.lastScored !== null && scored !== history.lastScored && time > history.lastChange) {
    rate = Math.max(0, (scored - history.lastScored) / (time - history.lastChange));
  } else if (history.lastScored !== null && time - history.lastChange < 3) {
    rate = history.lastRate;
  }
  if (history.lastScored === null || scored !== history.lastScored) {
    history.lastScored = scored;
    history.lastChange = time;
  }
  history.lastRate = rate;
  history.times.push(time);
  history.rates.push(rate);
  for (const s of subtasks) {
    const key = `${s.job} #${s.subtask}`;
    if (!history.versions.has(key)) history.versions.set(key, new Array(history.times.length - 1).fill(null));
  }
  for (const [key, values] of history.versions) {
    const s = subtasks.find(t => `${t.job} #${t.subtask}` === key);
    values.push(s && s.modelVersion !== undefined ? s.modelVersion : null);
  }
  if (history.times.length > WINDOW_POINTS) {
    history.times.shift();
    history.rates.shift();
    history.versions.forEach(values => values.shift());
  }
  return subtasks;
}

function drawCharts() {
  if (typeof uPlot === 'undefined') return;
  const width = Math.min(560, window.innerWidth - 80);
  const throughputData = [history.times, history.rates];
  if (!throughputPlot) {
    throughputPlot = new uPlot({ width, height: 220, series: [{}, { label: 'records/s', stroke: '#1f77b4', width: 2 }] },
      throughputData, document.getElementById('throughput-chart'));
  } else {
    throughputPlot.setData(throughputData);
  }
  const keys = [...history.versions.keys()];
  const versionData = [history.times, ...keys.map(k => history.versions.get(k))];
  if (!versionsPlot || versionsPlot.series.length !== keys.length + 1) {
    if (versionsPlot) versionsPlot.destroy();
    const colors = ['#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];
    versionsPlot = new uPlot({
      width, height: 220, scales: { y: { range: (u, min, max) => [Math.max(0, min - 1), max + 1] } },
      series: [{}, ...keys.map((k, i) => ({ label: k, stroke: colors[i % colors.length], width: 2, paths: uPlot.paths.stepped({ align: 1 }) }))]
    }, versionData, document.getElementById('versions-chart'));
  } else {
    versionsPlot.setData(versionData);
  }
}

function showLive(snapshot) {
  const subtasks = record(snapshot);
  const state = document.getElementById('live-state');
  const jobs = document.getElementById('jobs');
  jobs.replaceChildren();
  if (snapshot.jobsError) state.textContent = 'Flink: ' + snapshot.jobsError;
  else if (snapshot.jobs === undefined) state.textContent = 'Flink is not connected: start bin/console with --flink-rest URL';
  else if (snapshot.jobs.length === 0) state.textContent = 'no running job';
  else state.textContent = `updated ${new Date(snapshot.time).toLocaleTimeString()}`;
  for (const job of snapshot.jobs || []) {
    jobs.appendChild(element('h3', `${job.name} (${job.id})`));
    if (!job.scorer) { jobs.appendChild(element('p', 'no scoring operator found', 'note')); continue; }
    const t = table(['subtask', 'model version', 'swaps', 'records scored', 'rejected', 'model names'],
      job.scorer.subtasks.map(s => [s.subtask, s.modelVersion ?? '…', s.modelSwaps ?? '', s.recordsScored ?? '', s.recordsRejected ?? '', s.modelNames ?? '']));
    t.className = 'subtasks';
    t.dataset.job = job.id;
    jobs.appendChild(t);
  }
  if (snapshot.models) {
    const newest = Object.entries(snapshot.models).map(([name, v]) => `${name}: ${v}`).join(', ');
    jobs.appendChild(element('p', 'newest published: ' + (newest || 'none'), 'note'));
  }
  drawCharts();
  return subtasks;
}

// Evidence: the job's evaluations, drift records and rollout reports, as the console follows them.
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const evidencePlots = {};
let lastEvidence = '';

/** x values (seconds) and one series per key, aligned for uPlot: null where a series has no point. */
function aligned(points) {
  const xs = [...new Set(points.map(p => p.x))].sort((a, b) => a - b);
  const keys = [...new Set(points.map(p => p.key))];
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = keys.map(() => new Array(xs.length).fill(null));
  points.forEach(p => { series[keys.indexOf(p.key)][index.get(p.x)] = p.y; });
  return { keys, data: [xs, ...series] };
}

function plot(id, keys, data, options = {}) {
  const width = Math.min(420, window.innerWidth - 80);
  if (evidencePlots[id]) evidencePlots[id].destroy();
  evidencePlots[id] = new uPlot({
    width, height: 200, scales: options.scales || {},
    series: [options.x || {}, ...keys.map((k, i) => ({ label: k, stroke: COLORS[i % COLORS.length], width: 2,
      fill: options.fill ? COLORS[i % COLORS.length] + '55' : undefined, paths: options.paths, spanGaps: true,
      points: { show: true } }))]
  }, data, document.getElementById(id));
}

async function showEvidence(counts) {
  const state = document.getElementById('evidence-state');
  if (!counts) { state.textContent = 'not followed: start bin/console with --lines FILE or the job\'s topics'; return; }
  const key = JSON.stringify(counts);
  if (key === lastEvidence || typeof uPlot === 'undefined') return;
  lastEvidence = key;
  state.textContent = `${counts.evaluations} evaluation(s), ${counts.drift} drift record(s), ${counts.reports} report(s) read`;
  const [evaluations, drift, reports] = await Promise.all(['evaluations', 'drift', 'reports']
    .map(kind => getJson(`/api/${kind}?limit=500`).then(a => a.records)));
  if (evaluations.length > 0) {
    const auc = aligned(evaluations.filter(e => e.auc !== undefined && e.auc !== null).map(e => ({
      x: e.windowEnd / 1000, y: e.auc, key: `${e.model} v${e.modelVersion}${e.role && e.role !== 'only' ? ' ' + e.role : ''}` })));
    plot('auc-chart', auc.keys, auc.data, { scales: { y: { range: [0, 1] } } });
  }
  if (drift.length > 0) {
    // Per feature (f0, f1, …) and the score, of the newest version with drift records.
    const newest = drift[drift.length - 1];
    const mine = drift.filter(d => d.model === newest.model && d.modelVersion === newest.modelVersion);
    const psi = aligned(mine.flatMap(d => [
      ...(Array.isArray(d.featurePsi) ? d.featurePsi : [d.maxFeaturePsi]).map((p, f) => ({ x: d.windowEnd / 1000, y: p, key: `f${f}` })),
      { x: d.windowEnd / 1000, y: d.scorePsi, key: 'score' }]));
    plot('drift-chart', psi.keys, psi.data);
  }
  const latest = reports[reports.length - 1];
  if (latest && Array.isArray(latest.championScores)) {
    const bins = latest.championScores.map((_, i) => i / latest.championScores.length);
    const share = counts => { const total = counts.reduce((a, b) => a + b, 0) || 1; return counts.map(c => c / total); };
    plot('scores-chart', [`champion v${latest.champion}`, `challenger v${latest.challenger}`],
      [bins, share(latest.championScores), share(latest.challengerScores || [])],
      { x: { label: 'score' }, scales: { x: { time: false } }, fill: true, paths: uPlot.paths.stepped({ align: 1 }) });
    const target = document.getElementById('reports');
    target.replaceChildren(table(['model', 'champion', 'challenger', 'challenger records', 'error rate', 'score shift', 'agreement', 'suspended'],
      reports.slice(-5).reverse().map(r => [r.model, r.champion, r.challenger, r.challengerRecords, r.challengerErrorRate,
        r.scoreShift, r.agreement, r.suspended])));
  }
}

async function search(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const query = new URLSearchParams();
  for (const [name, value] of form) if (value) query.set(name, value);
  const state = document.getElementById('results-state');
  const body = document.querySelector('#results-table tbody');
  body.replaceChildren();
  try {
    const answer = await getJson('/api/results?' + query);
    state.textContent = `${answer.results.length} result(s)${answer.more ? ', more on the next page' : ''}`;
    for (const r of answer.results) {
      const row = body.insertRow();
      [r.writtenAt, `${r.source}/${r.partition}/${r.offset}`, r.input, r.output ?? r.reason ?? '', r.score ?? '', r.model ?? '',
        r.modelVersion ?? '', r.status].forEach((c, i) => row.appendChild(element('td', c, i === 2 ? 'input' : undefined)));
    }
  } catch (e) {
    state.textContent = 'results: ' + e.message;
  }
}

async function main() {
  const status = await showSources();
  actionsOn = status.actions === true;
  document.getElementById('actions').hidden = !actionsOn;
  await showRegistry();
  document.getElementById('search').addEventListener('submit', search);
  const events = new EventSource('/api/live');
  let lastModels = '';
  events.addEventListener('live', message => {
    const snapshot = JSON.parse(message.data);
    showLive(snapshot);
    const models = JSON.stringify(snapshot.models || {});
    if (models !== lastModels) { lastModels = models; showRegistry(); }
    showEvidence(snapshot.evidence).catch(e => { document.getElementById('evidence-state').textContent = 'evidence: ' + e.message; });
  });
  events.onerror = () => { document.getElementById('live-state').textContent = 'live feed interrupted; reconnecting…'; };
}

document.addEventListener('DOMContentLoaded', main);
