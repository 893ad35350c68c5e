// heartlog web viewer, its pages: fleet, tasks, worker, task and explore, each drawn from the JSON
// query API. The helpers they use (api, esc, time, recordsTable, liveTail, ...) and the routing
// that picks a page are in app.js, which loads after this file and shows the first page.
'use strict';

let fleetSort = { column: 'worker_id', ascending: true };

// The Fleet page draws the first 500 workers of its order unless asked for all: a browser took
// 2.6–2.9 s to draw 10,000, again at every refresh (BENCHMARKS.md §3, "The Fleet page of a large
// fleet"). Counts by health, and the filters, cover every worker.
const FLEET_ROWS = 500;

/**
 * How full the GPUs of the running workers are, from what each reported last, as heartlog workers
 * adds it up: a stopped, crashed, stale or unknown worker holds none now (the server says which
 * run: {@code running}). Empty where no running worker reported any.
 */
function runningGpuMemory(workers) {
  const running = workers.filter(w => w.running && w.vram_total_mb != null);
  const total = running.reduce((sum, w) => sum + w.vram_total_mb, 0);
  if (!total) return '';
  const used = running.reduce((sum, w) => sum + (w.vram_used_mb ?? 0), 0);
  return `· <span id="fleet-gpu-memory">GPU memory of the ${running.length === 1 ? 'running worker' : `${running.length.toLocaleString()} running workers`}:
    ${used.toLocaleString()} of ${total.toLocaleString()} MiB used (${Math.round(100 * used / total)}%)</span>`;
}

// heartlog's healths, always named in the Fleet page's counts; of the statuses workers send of
// their own, the 5 most common are, and the rest added up: a fleet whose workers put their task
// in their status ("rendering job 4711") had a count for every worker, as heartlog workers does.
const HEALTHS = ['active', 'stale', 'stopped', 'crashed', 'unknown'];
const OTHER_STATUSES_SHOWN = 5;

function namedHealths(counts) {
  const others = [...counts.keys()].filter(h => !HEALTHS.includes(h))
    .sort((a, b) => counts.get(b) - counts.get(a) || (a < b ? -1 : a > b ? 1 : 0));
  const left = new Set(others.length <= OTHER_STATUSES_SHOWN + 1 ? [] : others.slice(OTHER_STATUSES_SHOWN));
  return {
    named: [...counts].filter(([h]) => !left.has(h)),
    others: { statuses: left.size, workers: [...left].reduce((sum, h) => sum + counts.get(h), 0) },
  };
}

async function fleetPage(view) {
  const params = hashParams();
  const health = params.get('health') || '';
  const match = (params.get('worker') || '').trim();
  let showAll = false;
  view.innerHTML = `<h1>Fleet</h1><div class="sub" id="fleet-summary"></div>
    <form class="filters" id="fleet-filters"><label>Worker<input name="worker" value="${esc(match)}" placeholder="part of its id"></label>
      <input type="hidden" name="health" value="${esc(health)}"><button class="primary">Apply</button></form>
    <div id="fleet-results"><p class="loading">Loading fleet…</p></div>`;
  view.querySelector('#fleet-filters').addEventListener('submit', event => {
    event.preventDefault();
    const next = filledFields(event.target);
    location.hash = '#/fleet' + (next.toString() ? '?' + next : '');
  });
  const summary = view.querySelector('#fleet-summary');
  const results = view.querySelector('#fleet-results');
  const render = async () => {
    const workers = await api('api/workers');
    if (!workers.length) {
      results.innerHTML = `<div class="notice" id="empty-fleet">No workers yet: none has sent a heartbeat to this store.
        <p>Point a worker here with <code>HEARTLOG_URL=${esc(location.origin)}</code> and a writer key, or run <code>bin/heartlog demo</code>.</p></div>`;
      return;
    }
    const counts = new Map();
    workers.forEach(w => counts.set(w.health, (counts.get(w.health) || 0) + 1));
    const filterLink = h => new URLSearchParams([...(match ? [['worker', match]] : []), ...(h ? [['health', h]] : [])]).toString();
    const { named, others } = namedHealths(counts);
    summary.innerHTML = `${workers.length.toLocaleString()} worker${workers.length === 1 ? '' : 's'}: ${named.map(([h, n]) =>
      `<a href="#/fleet?${filterLink(h)}" class="health-${esc(h)}" data-health="${esc(h)}">${n.toLocaleString()} ${clipped(h, STATUS_CHARS)}</a>`).join(', ')}${others.statuses
      ? `, <span id="other-statuses">and ${others.workers.toLocaleString()} worker${others.workers === 1 ? '' : 's'} of ${others.statuses.toLocaleString()} other statuses</span>` : ''}${health
      ? ` · showing the ${esc(health)} ones, <a href="#/fleet?${filterLink('')}" id="all-health">show every health</a>` : ''}
      ${runningGpuMemory(workers)} · refreshes every 5 s · <a href="#/tasks?failed=true" id="failed-tasks">the last hour's failed tasks</a>, <a href="#/errors" id="error-kinds-link">its errors by kind</a>`;
    const needle = match.toLowerCase();
    const shown = workers.filter(w => (!health || w.health === health) && (!needle || w.worker_id.toLowerCase().includes(needle)));
    const column = fleetSort.column;
    shown.sort((a, b) => {
      const x = a[column] ?? -1, y = b[column] ?? -1;
      return (x < y ? -1 : x > y ? 1 : 0) * (fleetSort.ascending ? 1 : -1);
    });
    const drawn = showAll ? shown : shown.slice(0, FLEET_ROWS);
    const header = (key, label) => `<th data-sort="${key}" class="${column === key ? 'sorted' + (fleetSort.ascending ? ' asc' : '') : ''}">${label}</th>`;
    results.innerHTML = `<table id="fleet"><thead><tr>${header('worker_id', 'Worker')}${header('health', 'Health')}${header('heartbeat_age_s', 'Heartbeat')}
        ${header('current_task_id', 'Current task')}${header('vram_used_mb', 'VRAM')}${header('errors_last_hour', 'Errors 1h')}${header('warnings_last_hour', 'Warnings 1h')}</tr></thead>
      <tbody>${drawn.map(w => `<tr class="${w.health === 'stale' ? 'stale' : ''}" data-worker="${esc(w.worker_id)}">
        <td><a href="#/worker/${encodeURIComponent(w.worker_id)}">${clipped(w.worker_id, ID_CHARS)}</a></td>
        <td class="health health-${esc(w.health)}">${clipped(w.health, STATUS_CHARS)}${rowRefused(w.worker_row_error)}${sharedId(w.shared_id_at)}</td>
        <td class="num" title="${esc(w.last_heartbeat || '')}">${age(w.heartbeat_age_s)}${clockSkew(w.clock_skew_ms)}</td>
        <td>${w.current_task_id ? `<a href="#/task/${encodeURIComponent(w.current_task_id)}">${clipped(w.current_task_id, ID_CHARS)}</a>` : '<span class="sub">idle</span>'}</td>
        <td${w.gpu_problem ? ` class="gpu-unread" title="${esc(w.gpu_problem)}"` : ''}>${vramBar(w.vram_used_mb, w.vram_total_mb)}</td>
        <td class="num ${w.errors_last_hour ? 'lvl-ERROR' : ''}">${errorsLink(w)}</td>
        <td class="num ${w.warnings_last_hour ? 'lvl-WARNING' : ''}">${w.warnings_last_hour}</td></tr>`).join('')}</tbody></table>
      ${drawn.length < shown.length ? `<div class="toolbar" id="fleet-more">the first ${drawn.length.toLocaleString()} of ${shown.length.toLocaleString()} in this order
        <button id="fleet-all">Show all</button> (slow for thousands, at every refresh)</div>` : ''}
      ${shown.length === 0 ? '<div class="notice" id="no-workers">No worker matches.</div>' : ''}`;
    results.querySelectorAll('th[data-sort]').forEach(th => th.addEventListener('click', () => {
      fleetSort = { column: th.dataset.sort, ascending: fleetSort.column === th.dataset.sort ? !fleetSort.ascending : true };
      render().catch(error => showError(error, results));
    }));
    results.querySelector('#fleet-all')?.addEventListener('click', () => {
      showAll = true;
      render().catch(error => showError(error, results));
    });
  };
  await render();
  const timer = setInterval(() => {
    if (!view.isConnected) { clearInterval(timer); return; }  // left before it finished loading
    render().catch(error => showError(error, results));
  }, 5000);
  cleanup.push(() => clearInterval(timer));
}

/** A task's id as its span's label: whole where it fits (about 6 units a character), else cut with an ellipsis. */
function fitted(id, width) {
  const chars = Math.max(4, Math.floor((width - 6) / 6));
  return id.length <= chars ? id : `${id.slice(0, chars - 1)}…`;
}

/**
 * A task's tooltip on the VRAM chart: its id, and where it failed, the first line of its last
 * error, with the line naming its exception where that line does not say it.
 */
function spanTitle(t) {
  if (!t.errors) return `task ${esc(t.task_id)}`;
  if (!t.failure) return `task ${esc(t.task_id)} (failed)`;
  const first = headingLine(t.failure);
  const exception = unsaidException({ failure: first, failure_exception: t.failure_exception });
  return `task ${esc(t.task_id)} (failed: ${esc(first)}${exception ? ` (${esc(exception)})` : ''})`;
}

/** VRAM used over time, a line for each worker of the heartbeats, with the tasks drawn as spans. */
function vramChart(heartbeats, tasks, around = null) {
  const points = heartbeats.filter(h => h.vram_used_mb != null);
  if (!heartbeats.length) return '<div class="notice">No heartbeats in the last 6 hours.</div>';
  const width = 1000, height = 240, left = 56, right = 10, top = 28, bottom = 24;
  // Folded, not spread into Math.max: a call's arguments overflow the stack past about 100,000.
  const times = heartbeats.map(h => new Date(h.received_at).getTime());
  const t0 = times.reduce((m, t) => Math.min(m, t)), t1 = times.reduce((m, t) => Math.max(m, t), t0 + 1000);
  const total = heartbeats.reduce((m, h) => Math.max(m, h.vram_total_mb || 0, h.vram_used_mb || 0), 1);
  const x = t => left + (t - t0) / (t1 - t0) * (width - left - right);
  const y = mb => top + (1 - mb / total) * (height - top - bottom);
  // Without a figure (no GPU, or nvidia-smi failed) there is no scale: the tasks alone, and why.
  const grid = points.length ? [0, 0.25, 0.5, 0.75, 1].map(f => `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(total * f)}" y2="${y(total * f)}"/>
      <text class="axis" x="4" y="${y(total * f) + 4}">${Math.round(total * f / 1024)} GiB</text>`).join('')
    : `<text class="axis" id="no-vram" x="${left}" y="${top + (height - top - bottom) / 2}">No VRAM figures in these heartbeats: no GPU seen, or nvidia-smi failed</text>`;
  const workers = [...new Set(points.map(p => p.worker_id))];
  const lines = workers.map(worker => `<polyline class="used" data-worker="${esc(worker)}" points="${points
    .filter(p => p.worker_id === worker)
    .map(p => `${x(new Date(p.received_at).getTime()).toFixed(1)},${y(p.vram_used_mb).toFixed(1)}`).join(' ')}"><title>${esc(worker)}</title></polyline>`).join('');
  const spans = tasks.filter(t => new Date(t.last_at).getTime() >= t0).map(t => {
    const a = Math.max(left, x(new Date(t.first_at).getTime())), b = Math.max(a + 3, x(new Date(t.last_at).getTime()));
    // The band of its name opens the task; the chart below it, the records around a time.
    return `<g class="task-span" data-task="${esc(t.task_id)}"><title>${spanTitle(t)}</title>
      <rect class="span ${t.errors ? 'failed' : ''}" x="${a}" y="4" width="${b - a}" height="${height - bottom - 4}"/>
      <rect class="span-band" x="${a}" y="4" width="${b - a}" height="16"/>
      <text class="span-label" x="${a + 3}" y="16">${esc(fitted(t.task_id, b - a))}</text></g>`;
  }).join('');
  // In the timeline's 24-hour local time; a chart over more than a day names the days too.
  const label = d => localTime(new Date(d), { date: t1 - t0 > 86400000 });
  const clickable = around ? ` data-around="${esc(new URLSearchParams(around).toString())}" data-t0="${t0}" data-t1="${t1}"`
    + ` data-x0="${left / width}" data-x1="${(width - right) / width}"` : '';
  return `<svg class="chart${around ? ' around' : ''}" id="vram-chart" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none"${clickable}>
    ${around ? '<title>Click for the records around that time</title>' : ''}
    ${grid}${spans}${lines}
    <text class="axis" x="${left}" y="${height - 6}">${label(t0)}</text>
    <text class="axis" x="${width - right}" y="${height - 6}" text-anchor="end">${label(t1)}</text></svg>`;
}

// A click on a VRAM chart made with `around` (below a task's name band, which opens the task):
// Explore around the time under the pointer, of the chart's worker or task. VRAM that rose or
// fell at 14:03 is asked about in the records of 14:03.
function openAroundOnClick(view) {
  const chart = view.querySelector('#vram-chart.around');
  if (!chart) return;
  chart.addEventListener('click', event => {
    if (event.target.closest('.span-band, .span-label')) return;
    const box = chart.getBoundingClientRect();
    const { t0, t1, x0, x1 } = Object.fromEntries(['t0', 't1', 'x0', 'x1'].map(k => [k, Number(chart.dataset[k])]));
    const share = Math.min(1, Math.max(0, ((event.clientX - box.left) / box.width - x0) / (x1 - x0)));
    const query = new URLSearchParams(chart.dataset.around);
    query.set('around', new Date(t0 + share * (t1 - t0)).toISOString());
    location.hash = '#/explore?' + query;
  });
}

// A worker's errors of the last hour, opening them by kind on the Errors page where there are any.
function errorsLink(w) {
  if (!w.errors_last_hour) return String(w.errors_last_hour);
  return `<a class="errors-link" href="#/errors?worker=${encodeURIComponent(w.worker_id)}" title="the last hour's errors of ${esc(w.worker_id)} by kind">${w.errors_last_hour.toLocaleString()}</a>`;
}

async function workerPage(id, view) {
  let detail, heartbeats;
  try {
    [detail, heartbeats] = await Promise.all([
      api(`api/workers/${encodeURIComponent(id)}`),
      api(`api/workers/${encodeURIComponent(id)}/heartbeats?since=6h`)]);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.innerHTML = unknownWorker(id, error);
    return;
  }
  const w = detail.worker;
  view.innerHTML = `<h1>Worker ${esc(w.worker_id)}</h1>
    <div class="cards">
      <div class="card"><div class="k">Health</div><div class="v health health-${esc(w.health)}"${w.health === 'unknown'
        ? ' title="No row in workers: the orchestrator removed it. Its records and heartbeats are kept."' : ''}>${clipped(w.health, STATUS_CHARS)}${rowRefused(w.worker_row_error, 'worker-row-refused')}${sharedId(w.shared_id_at, 'worker-shared-id')}</div></div>
      <div class="card"><div class="k">Last heartbeat</div><div class="v"><span title="${esc(w.last_heartbeat || '')}">${age(w.heartbeat_age_s)}</span>${clockSkew(w.clock_skew_ms, 'worker-clock')}</div></div>
      <div class="card"><div class="k">VRAM</div><div class="v">${vramBar(w.vram_used_mb, w.vram_total_mb)}${w.gpu_problem
        ? `<span class="gpu-problem" id="worker-gpu-problem">${esc(w.gpu_problem)}</span>` : ''}</div></div>
      <div class="card"><div class="k">Current task</div><div class="v">${w.current_task_id ? `<a href="#/task/${encodeURIComponent(w.current_task_id)}">${shortTaskId(w.current_task_id)}</a>` : 'idle'}</div></div>
      <div class="card"><div class="k">Last hour</div><div class="v" id="worker-last-hour"><span class="lvl-ERROR">${errorsLink(w)}</span> error${w.errors_last_hour === 1 ? '' : 's'} · <span class="lvl-WARNING">${w.warnings_last_hour.toLocaleString()}</span> warning${w.warnings_last_hour === 1 ? '' : 's'}</div></div>
    </div>
    <h2>VRAM used over the last 6 hours, with the tasks it ran</h2>
    <div class="sub">A task's name opens it; the chart below, the worker's records around that time.</div>
    ${vramChart(heartbeats, detail.recent_tasks, { worker: w.worker_id })}
    <h2>Records</h2>${tailControl()}${recordsTable(detail.records, { showWorker: false, id: 'worker-records' })}`;
  view.querySelectorAll('.task-span .span-band').forEach(band => band.addEventListener('click', () => {
    location.hash = '#/task/' + encodeURIComponent(band.closest('.task-span').dataset.task);
  }));
  openAroundOnClick(view);
  const table = view.querySelector('#worker-records');
  const tail = liveTail({ worker: id }, record => appendLiveRow(table, recordRow(record, { showWorker: false })),
    view.querySelector('#tail-control'));
  const newest = detail.records.reduce((m, r) => Math.max(m, r.id), 0);
  if (newest) tail.setLastId(newest);
  tail.open();
}

/**
 * The ids an unknown task's or worker's 404 names (one a line in details): the tasks whose id starts
 * with the one asked for, the workers whose id is nearest it.
 */
function idsNamedBy(error) {
  return error.status === 404 ? (error.details || '').split('\n').filter(Boolean) : [];
}

/** A worker the store knows nothing of (an address edited by hand): the fleet's ids nearest it, to open. */
function unknownWorker(id, error) {
  const ids = idsNamedBy(error);
  return `<div class="notice" id="unknown-worker"><h1>No worker ${esc(id)}</h1>
    ${ids.length ? `<p>Did you mean ${ids.map(w => `<a href="#/worker/${encodeURIComponent(w)}">${esc(w)}</a>`).join(' or ')}?</p>`
      : '<p>The store has no heartbeats or records of it. <a href="#/fleet">The Fleet page</a> lists the workers.</p>'}</div>`;
}

/**
 * Where Explore's task filter matched nothing: the tasks whose id starts with it (one cut to the
 * 13 characters the pages show), each a link to the same filters with that task's whole id.
 */
async function startedTasksNotice(params, notice) {
  let ids = [];
  try {
    await api(`api/tasks/${encodeURIComponent(params.get('task'))}?first=1&last=0`);
  } catch (error) {
    ids = idsNamedBy(error);
  }
  if (!ids.length) return;
  const link = id => { const next = new URLSearchParams(params); next.set('task', id); return `<a href="#/explore?${next}">${esc(id)}</a>`; };
  notice.insertAdjacentHTML('beforeend', `<p id="started-tasks">Tasks whose id starts with ${esc(params.get('task'))}: ${ids.map(link).join(', ')}</p>`);
}

/**
 * A task the store has nothing of: where the id is the start of tasks' ids (one cut to the 13
 * characters shown, an address edited by hand), those tasks to open, which the server names.
 */
function unknownTask(id, error) {
  const ids = idsNamedBy(error);
  const more = (error.hint || '').startsWith('More than') ? ` (the first ${ids.length}; give more of the id)` : '';
  return `<div class="notice" id="unknown-task"><h1>No task ${esc(id)}</h1>
    ${ids.length ? `<p>Tasks whose id starts so${more}:</p>
      <ul>${ids.map(t => `<li><a href="#/task/${encodeURIComponent(t)}">${esc(t)}</a></li>`).join('')}</ul>`
      : `<p>The store has no records or heartbeats for it.${error.hint ? ` ${esc(error.hint)}.` : ''}</p>`}</div>`;
}

async function taskPage(id, view) {
  let task;
  try {
    task = await api(`api/tasks/${encodeURIComponent(id)}?first=${TIMELINE_EDGE}&last=${TIMELINE_EDGE}`);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.innerHTML = unknownTask(id, error);
    return;
  }
  const failed = task.outcome === 'failed';
  const peak = task.heartbeats.reduce((m, h) => Math.max(m, h.vram_used_mb ?? 0), 0);
  const total = task.heartbeats.reduce((m, h) => Math.max(m, h.vram_total_mb ?? 0), 0);
  const failure = task.failure;
  // Where the failure has no stack trace (a worker's closing "Task failed" after the
  // logger.exception that said why), the last error's before it that had one: the store's, of the
  // whole task, which may be among the records a long task's page leaves out.
  const explaining = task.explaining_error;
  const traced = failure && explaining && explaining.id !== failure.id ? explaining : null;
  // The workers that logged for it, else (a task that logged nothing) those that reported it as their task.
  const ranOn = task.workers.length ? task.workers.map(w => w.worker_id) : [...new Set(task.heartbeats.map(h => h.worker_id))];
  view.innerHTML = `<h1>Task ${esc(task.task_id)} <span class="badge ${failed ? 'lvl-ERROR' : ''}" id="task-outcome">${failed ? 'FAILED' : 'OK'}</span></h1>
    <div class="cards">
      <div class="card"><div class="k">Ran on</div><div class="v" id="task-workers">${ranOn.map(w => `<a href="#/worker/${encodeURIComponent(w)}">${esc(w)}</a>`).join(', ') || '-'}</div></div>
      <div class="card"><div class="k">Started</div><div class="v">${time(task.first_at)}</div></div>
      <div class="card"><div class="k">Duration</div><div class="v" id="task-duration">${task.first_at ? span(task.first_at, task.last_at) : '-'}</div></div>
      <div class="card"><div class="k">VRAM peak</div><div class="v" id="task-vram-peak">${peak ? `${peak.toLocaleString()} / ${total.toLocaleString()} MiB` : 'unknown'}</div></div>
      <div class="card"><div class="k">Records</div><div class="v" id="task-record-count">${task.record_count.toLocaleString()}</div></div>
    </div>
    ${failure ? `<div class="failure" id="task-failure"><strong class="lvl-ERROR">Failed:</strong> ${esc(failure.message)}
      <div class="sub">${time(failure.timestamp, failure.received_at)} on ${esc(failure.worker_id)}${kindLink(task.failure_kind, traced || failure)}${aroundLink(traced || failure)}</div>
      ${hasStackTrace(failure) ? `<details open><summary>Stack trace</summary><pre id="stack-trace">${esc(failure.metadata.exception)}</pre></details>` : ''}
      ${traced ? `<details open id="earlier-trace"><summary>Stack trace of the last error before it that had one: ${esc(traced.message)}, ${time(traced.timestamp, traced.received_at)}</summary><pre id="stack-trace">${esc(traced.metadata.exception)}</pre></details>` : ''}</div>` : ''}
    ${task.heartbeats.filter(h => h.vram_used_mb != null).length > 1
      ? `<h2>VRAM used while it ran</h2><div class="sub">Click for the task's records around that time.</div>${vramChart(task.heartbeats, [], { task: task.task_id })}` : ''}
    ${taskContext(task.records)}
    <h2>Timeline</h2>${tailControl()}${timeline(task)}`;
  openAroundOnClick(view);
  const follow = followTimeline(view, task);
  const tail = liveTail({ task: id }, follow.append, view.querySelector('#tail-control'));
  const newest = task.records.reduce((m, r) => Math.max(m, r.id), 0);
  if (newest) tail.setLastId(newest);
  tail.open();
}

// Whether a record carries a stack trace, as the store reads it (StoredRecord.hasStackTrace): a
// handler that writes every record's sends an empty or blank one where there is none, and
// Python's logging "NoneType: None" for exc_info=True outside an except block; one of more than
// 64 bytes is one.
function hasStackTrace(record) {
  const exception = record.metadata && record.metadata.exception;
  if (typeof exception !== 'string') return false;
  if (exception.length > 64) return true;   // more bytes too; fewer with others are no white space
  return !['', 'NoneType: None'].includes(exception.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
}

// A link to what the worker did around the error that explains a failure, across its tasks:
// Explore around that record (heartlog task prints the same as a logs --around command).
function aroundLink(error) {
  const around = new URLSearchParams({ worker: error.worker_id, around: error.id });
  return ` · <a id="failure-around" href="#/explore?${around}">its worker's records around it</a>`;
}

// A link to where else the kind of error that explains a failure was made (its kind's page), in
// the two hours around that error; nothing where the failure has no kind (the store found none).
function kindLink(kind, error) {
  if (!kind) return '';
  const at = Date.parse(error.timestamp);
  const second = ms => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const range = new URLSearchParams({ since: second(at - 3600e3), until: second(at + 3600e3) });
  return ` · <a id="failure-kind" href="#/errors/${encodeURIComponent(kind)}?${range}">where else this kind of error was made</a>`;
}

// The query after the page's path in the hash: #/explore?level=ERROR.
function hashParams() {
  const query = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
  return new URLSearchParams(query);
}

async function explorePage(view) {
  const params = hashParams();
  const field = (name, label, attrs = '') => `<label>${label}<input name="${name}" value="${esc(params.get(name) || '')}" ${attrs}></label>`;
  view.innerHTML = `<h1>Explore</h1>
    <form class="filters" id="filters">${field('worker', 'Worker')}${field('task', 'Task')}
      <label>Minimum level<select name="level"><option value="">any</option>${LEVELS.map(l => `<option ${params.get('level') === l ? 'selected' : ''}>${l}</option>`).join('')}</select></label>
      ${field('since', 'Since', `placeholder="2h, 22:00 or a date" title="${TIME_FIELD_TITLE}" size="22"`)}${field('until', 'Until', `title="${TIME_FIELD_TITLE}" size="18"`)}${field('grep', 'Text')}
      ${field('component', 'Component', 'placeholder="logger or component" size="14"')}${field('kind', 'Error kind', 'placeholder="8 hex digits" size="9"')}
      ${(params.getAll('meta').length ? params.getAll('meta') : ['']).map(pair => `<label>Metadata<input name="meta" value="${esc(pair)}" placeholder="key=value" size="16"></label>`).join('')}
      ${aroundFields(params, field)}<button class="primary">Apply</button></form>
    <div id="results"><p class="loading">Loading records…</p></div>`;
  view.querySelector('#filters').addEventListener('submit', event => {
    event.preventDefault();
    const next = filledFields(event.target);
    location.hash = '#/explore' + (next.toString() ? '?' + next.toString() : '');
  });
  // A range of times reads records by their workers' own times: whose clocks put theirs off it.
  const ranged = params.get('since') || params.get('until');
  const results = view.querySelector('#results');
  let records, clocks;
  try {
    [records, clocks] = await Promise.all([api('api/logs?' + params.toString()), ranged ? api('api/clocks') : []]);
  } catch (error) {
    if (error.status === 404 && params.get('around')) {   // the record is gone
      results.innerHTML = `<div class="notice" id="no-results">${esc(error.message)}. ${esc(error.hint || '')}.</div>`;
      return;
    }
    showRefusedFilter(error, results);
    return;
  }
  if (params.get('around')) {
    aroundResults(params, records, results);
    return;
  }
  // A kind's errors are those of the Errors page's range, the last hour unless since says otherwise.
  const kind = params.get('kind');
  const kindRange = kind ? `<div class="sub" id="kind-range">The errors of kind <a href="${withQuery(`#/errors/${encodeURIComponent(kind)}`, rangeQuery(params))}">${esc(kind)}</a>${rangeText(params)}, as the Errors page groups them</div>` : '';
  const clockNotice = kindRange + skewedClocksNotice(clocks, params.get('worker'));
  if (!records.length) {
    results.innerHTML = `<div class="notice" id="no-results">No records match. Records are kept 48 hours; widen the filters.</div>${clockNotice}${tailControl()}<table id="explore-records" class="records" hidden><tbody></tbody></table>`;
    if (params.get('task')) startedTasksNotice(params, results.querySelector('#no-results'));
  } else {
    const pageSize = Number(params.get('limit') || 100);
    const full = records.length >= pageSize;
    results.innerHTML = `${clockNotice}<div class="sub" id="result-count">${records.length} record${records.length === 1 ? '' : 's'}${full ? ', the newest; <a href="#" id="older">older…</a>' : ''}</div>
      ${tailControl()}${recordsTable(records, { id: 'explore-records' })}`;
    if (full) view.querySelector('#older').addEventListener('click', event => {
      event.preventDefault();
      // After the oldest record shown, by its id: records of its very time not shown yet come
      // next, which until=<its time> would skip.
      const next = new URLSearchParams(params);
      next.set('before', records[0].id);
      location.hash = '#/explore?' + next.toString();
    });
  }
  const table = view.querySelector('#explore-records');
  const tailParams = [];
  ['worker', 'task', 'level', 'grep', 'component', 'meta'].forEach(k => params.getAll(k).filter(v => v).forEach(v => tailParams.push([k, v])));
  const tail = liveTail(tailParams, record => {
    table.hidden = false;
    appendLiveRow(table, recordRow(record));
  }, view.querySelector('#tail-control'));
  const newest = records.reduce((m, r) => Math.max(m, r.id), 0);
  if (newest) tail.setLastId(newest);
  // A kind is that of the errors of a range grouped: records stored from now on are of none yet.
  if (!params.get('until') && !params.get('before') && !params.get('kind')) tail.open(); else view.querySelector('#tail-control').hidden = true;
}

// Explore's last fields: the page size, or around a point, the point kept (the filters applied
// around it: the warnings around a crash) and the records on each side.
function aroundFields(params, field) {
  if (!params.get('around')) return field('limit', 'Page size', 'size="5" placeholder="100"');
  return `<input type="hidden" name="around" value="${esc(params.get('around'))}">${field('context', 'Each side', 'size="5" placeholder="20"')}`;
}

// Explore around a record or a time (around=, as heartlog logs --around): the records on each
// side of it, the record itself marked and scrolled to, and links that move the point to the
// first or the last record shown. Nothing is tailed: the records are of a point, not of now.
function aroundResults(params, records, results) {
  const around = params.get('around');
  const byId = /^\s*\d+\s*$/.test(around);
  // A time the page can read (an ISO time, as the VRAM chart links): shown as the pages show
  // times, and marked between the records before it and those from it on.
  const at = byId || !/^\d{4}-\d\d-\d\dT/.test(around) ? NaN : Date.parse(around);
  const worker = params.get('worker');
  const task = params.get('task');
  const context = Number(params.get('context') || 20);
  const moved = record => { const next = new URLSearchParams(params); next.set('around', record.id); return '#/explore?' + next; };
  const point = byId ? `record ${esc(around.trim())}` : isNaN(at) ? esc(around) : time(around);
  const line = `Records around ${point}${worker ? ` of worker ${esc(worker)}` : ''}${task ? ` of task ${esc(task)}` : ''}, `
    + `${context.toLocaleString()} on each side`;
  if (!records.length) {
    results.innerHTML = `<div class="sub" id="around-line">${line}</div><div class="notice" id="no-results">No records match. Records are kept 48 hours; widen the filters.</div>`;
    return;
  }
  results.innerHTML = `<div class="sub" id="around-line">${line} · <a id="earlier" href="${moved(records[0])}">earlier…</a> · `
    + `<a id="later" href="${moved(records[records.length - 1])}">later…</a></div>${recordsTable(records, { id: 'explore-records' })}`;
  let marked = byId ? results.querySelector(`tr[data-id="${Number(around)}"]`) : null;
  if (marked) {
    marked.classList.add('point');
  } else if (!isNaN(at)) {
    const from = records.findIndex(r => Date.parse(r.timestamp) >= at);
    const body = results.querySelector('#explore-records tbody');
    body.insertAdjacentHTML(from < 0 ? 'beforeend' : 'afterbegin', `<tr id="around-time"><td colspan="5">${time(around)}</td></tr>`);
    marked = body.querySelector('#around-time');
    if (from > 0) body.rows[from + 1].before(marked);
  }
  if (marked) marked.scrollIntoView({ block: 'center' });
}

async function tasksPage(view) {
  const params = hashParams();
  const failed = params.get('failed') === 'true';
  const since = params.get('since') || '1h';
  view.innerHTML = `<h1>Tasks</h1><div class="sub">The tasks with records since ${esc(since)}, the most recently active first${failed ? ' (failed: the latest failure first)' : ''}</div>
    <form class="filters" id="task-filters"><label>Worker<input name="worker" value="${esc(params.get('worker') || '')}"></label>
      <label>Since<input name="since" value="${esc(since)}" placeholder="1h, 22:00 or a date" title="${TIME_FIELD_TITLE}" size="22"></label>
      ${(params.getAll('meta').length ? params.getAll('meta') : ['']).map(pair => `<label>Metadata<input name="meta" value="${esc(pair)}" placeholder="key=value" size="16"></label>`).join('')}
      <label class="check"><span><input type="checkbox" name="failed" value="true" ${failed ? 'checked' : ''}> failed only</span></label>
      <button class="primary">Apply</button></form>
    <div id="task-results"><p class="loading">Loading tasks…</p></div>`;
  view.querySelector('#task-filters').addEventListener('submit', event => {
    event.preventDefault();
    const next = filledFields(event.target);
    location.hash = '#/tasks?' + next.toString();
  });
  const query = new URLSearchParams({ since, limit: '200' });
  if (params.get('worker')) query.set('worker', params.get('worker'));
  if (failed) query.set('failed', 'true');
  params.getAll('meta').filter(pair => pair).forEach(pair => query.append('meta', pair));
  const results = view.querySelector('#task-results');
  let tasks, clocks;
  try {
    [tasks, clocks] = await Promise.all([api('api/tasks?' + query.toString()), api('api/clocks')]);
  } catch (error) {
    showRefusedFilter(error, results);
    return;
  }
  const clockNotice = skewedClocksNotice(clocks, params.get('worker'));
  if (!tasks.length) {
    results.innerHTML = `<div class="notice" id="no-tasks">No ${failed ? 'failed ' : ''}tasks logged since ${esc(since)}. Records are kept 48 hours.</div>${clockNotice}`;
    return;
  }
  results.innerHTML = `${clockNotice}<table id="tasks"><thead><tr><th>Task</th><th>Outcome</th><th>Started</th><th>Duration</th><th>Records</th><th>Workers</th><th>Failure</th></tr></thead>
    <tbody>${tasks.map(task => `<tr class="${task.outcome === 'failed' ? 'row-ERROR' : ''}" data-task="${esc(task.task_id)}">
      <td>${idLink('task', task.task_id)}</td>
      <td>${task.outcome === 'failed' ? '<span class="badge lvl-ERROR">FAILED</span>' : '<span class="badge">ok</span>'}</td>
      <td class="time">${time(task.first_at)}</td><td class="num">${span(task.first_at, task.last_at)}</td>
      <td class="num">${task.records.toLocaleString()}</td><td>${task.workers.map(w => idLink('worker', w)).join(', ')}</td>
      <td class="msg">${esc(task.failure || '')}${explained(task)}</td></tr>`).join('')}</tbody></table>`;
}

// The line naming the exception that explains a task's failure (the failure's own, or in the
// task list, where it has none, as a worker's closing "Task failed", the last error's before it
// that had one), below the failure's message.
function explained(task) {
  const exception = unsaidException(task);
  return exception ? `<div class="exception">${esc(exception)}</div>` : '';
}

// A message's first line, or where that line says nothing (a rule of asterisks over Spring
// Boot's "APPLICATION FAILED TO START"), its first line that does: as the store names a kind.
function headingLine(message) {
  const lines = message.trim().split('\n');
  return lines.find(line => /[\p{L}\p{N}_]/u.test(line)) ?? lines[0];
}

// A task's failure_exception, or '' where there is none or the failure's message says it
// already ("Task failed: " + e).
function unsaidException(task) {
  const exception = task.failure_exception;
  if (!exception) return '';
  const colon = exception.indexOf(': ');
  const said = colon < 0 ? exception : exception.slice(colon + 2);
  return (task.failure || '').includes(said) ? '' : exception;
}
