// heartlog web viewer: fleet, tasks, worker, task and explore pages over the JSON query API.
// Plain JavaScript, no build step and no CDN: the machines that run heartlog may be offline.
// This file: the key, the API, formatting, the live tail and the routing; the pages are in
// pages.js, loaded before it.
'use strict';

const KEY_STORAGE = 'heartlog.readerKey';
const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
// Each route renders into a fresh container of its own: work that finishes after the user has
// moved on (an API answer, the fleet's refresh) writes into a container no longer shown.
const main = document.getElementById('view');
let cleanup = [];          // timers and event sources of the page shown now

// ---- key and API ------------------------------------------------------------------------------

function readerKey() {
  const fromUrl = new URLSearchParams(location.search).get('key');
  if (fromUrl) {
    localStorage.setItem(KEY_STORAGE, fromUrl);
    history.replaceState(null, '', location.pathname + location.hash);
  }
  return localStorage.getItem(KEY_STORAGE);
}

class ApiError extends Error {
  constructor(status, message, hint, code, details) {
    super(message); this.status = status; this.hint = hint; this.code = code; this.details = details;
  }
}

async function api(path) {
  const key = readerKey();
  if (!key) throw new ApiError(401, 'No reader key yet');
  let response;
  try {
    response = await fetch(inBrowsersZone(path), { headers: { apikey: key } });
  } catch (e) {
    throw new ApiError(0, 'heartlog serve does not answer', 'Is it still running? Start it with bin/heartlog serve.');
  }
  const text = await response.text();
  if (!response.ok) {
    let body = {};
    try { body = JSON.parse(text); } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, body.message || response.statusText, body.hint, body.code, body.details);
  }
  return JSON.parse(text);
}

// The times a page's form takes (since, until, around) are typed as the page shows its times, in
// the browser's zone; the API reads a time without an offset as UTC, as the command line does.
// So a time of day, a date, a timestamp without an offset, today and yesterday are given the
// browser's offset before they are sent: in Berlin in winter, Since 18:00 is 17:00 UTC, the 18:00
// of the page's times. Ages, record ids, times with Z or an offset, and what is none of these (for
// the API to refuse, saying why) go as typed.
function inBrowsersZone(path) {
  const start = path.indexOf('?');
  if (start < 0) return path;
  const query = new URLSearchParams(path.slice(start + 1));
  let zoned = false;
  ['since', 'until', 'around'].forEach(name => {
    const typed = query.get(name);
    const local = typed && localTimeWithOffset(typed.trim());
    if (local) { query.set(name, local); zoned = true; }
  });
  return zoned ? path.slice(0, start + 1) + query.toString() : path;
}

// What a Since or Until field takes, said on hover.
const TIME_FIELD_TITLE = 'An age (30m, 2h, 1d), a time of day (22:00: its last time), a date and time (2026-12-07 22:00), '
  + 'today or yesterday: in this browser\'s time zone, as the page shows times, unless given with Z or an offset (+01:00)';

// "18:00" as 18:00+01:00, "2026-12-07 18:00" as 2026-12-07T18:00+01:00: the time in the browser's
// zone with its offset then; null where the text is not such a time.
function localTimeWithOffset(text) {
  const pad = n => String(n).padStart(2, '0');
  const offset = at => {
    const east = -at.getTimezoneOffset();
    return `${east < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(east) / 60))}:${pad(Math.abs(east) % 60)}`;
  };
  const clock = /^(\d{1,2}):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?$/.exec(text);
  if (clock) {
    return Number(clock[1]) < 24 && Number(clock[2]) < 60 && Number(clock[3] || 0) < 60 ? text + offset(new Date()) : null;
  }
  const day = /^(today|yesterday)$/i.exec(text);
  if (day) {
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    if (day[1].toLowerCase() === 'yesterday') midnight.setDate(midnight.getDate() - 1);
    return `${midnight.getFullYear()}-${pad(midnight.getMonth() + 1)}-${pad(midnight.getDate())}T00:00${offset(midnight)}`;
  }
  const stamp = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d{1,2}):(\d\d)(:\d\d(?:\.\d{1,9})?)?)?$/.exec(text);
  if (!stamp) return null;
  const [year, month, date, hours = 0, minutes = 0] = stamp.slice(1, 6).map(part => Number(part || 0));
  const at = new Date(2000, month - 1, date, hours, minutes);
  at.setFullYear(year);   // years below 100 too, which the constructor takes for 19xx
  if (at.getMonth() !== month - 1 || at.getDate() !== date || hours > 23 || minutes > 59) return null;
  return `${stamp[1]}-${stamp[2]}-${stamp[3]}T${pad(hours)}:${pad(minutes)}${stamp[6] || ''}${offset(at)}`;
}

// ---- formatting -------------------------------------------------------------------------------

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// A Date as the page writes it in local time, whatever the browser's locale: 2026-12-07 14:03:12.481
// with both options, 14:03:12 with neither (the table's times and the charts' axes alike).
function localTime(at, { date = false, milliseconds = false } = {}) {
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return (date ? `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ` : '')
    + `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
    + (milliseconds ? `.${pad(at.getMilliseconds(), 3)}` : '');
}

// Local time on the page; the UTC value and the worker's clock skew on hover.
function time(iso, receivedIso) {
  if (!iso) return '<span title="never">-</span>';
  const at = new Date(iso);
  // Past the year 9999 (a worker's clock, or a time sent as "infinity"), the server writes
  // +10000-01-01T00:00:00Z, which a Date cannot read: shown as written, not NaN-NaN-NaN.
  if (isNaN(at)) return `<span title="UTC">${esc(iso)}</span>`;
  const local = localTime(at, { date: true, milliseconds: true });
  let title = `UTC ${iso}`;
  if (receivedIso) {
    const skew = (new Date(receivedIso) - at) / 1000;
    title += `\nreceived ${receivedIso} (${skew >= 0 ? skew.toFixed(3) + ' s after' : (-skew).toFixed(3) + ' s before'} the worker's time)`;
  }
  return `<span title="${esc(title)}">${local}</span>`;
}

function age(seconds) {
  if (seconds === null || seconds === undefined) return 'never';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s ago`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m ago`;
}

/** How far a clock is off, whichever way: 3 h 0 min. */
function skewSpan(skewMs) {
  return span(new Date(0).toISOString(), new Date(Math.abs(skewMs)).toISOString());
}

/**
 * A worker's clock against the store's (clock_skew_ms), where it is off by 2 s or more: its
 * records carry its own times, so a clock behind puts them back in time. Empty otherwise.
 */
/** A note that the orchestrator's workers table refused the worker's row, with the database's reason. */
function rowRefused(reason, id) {
  if (!reason) return '';
  return `<span class="skew row-refused" ${id ? `id="${id}" ` : ''}title="The orchestrator's workers table refused this `
    + `worker's row at its latest heartbeats: ${esc(reason)}. Its records are stored.">row refused</span>`;
}

/** A worker id several processes send heartbeats as at once (shared_id_at, within 10 minutes). */
function sharedId(at, id) {
  if (!at) return '';
  return `<span class="skew shared-id" ${id ? `id="${id}" ` : ''}title="Several processes send heartbeats as this worker `
    + `at once (last at ${esc(at)}): replicas given one worker id, or a worker started twice. Its status, task and VRAM `
    + `are whichever sent last. Give each process its own worker id.">shared id</span>`;
}

function clockSkew(skewMs, id) {
  if (skewMs === null || skewMs === undefined || Math.abs(skewMs) < 2000) return '';
  const off = skewSpan(skewMs);
  return `<span class="skew" ${id ? `id="${id}" ` : ''}title="The worker's clock is ${off} ${skewMs < 0 ? 'behind' : 'ahead of'} the store's. `
    + `Its records carry its own times, so they show ${off} ${skewMs < 0 ? 'earlier' : 'later'} than they came; the last hour's counts allow for it.">`
    + `clock ${off} ${skewMs < 0 ? 'behind' : 'ahead'}</span>`;
}

/**
 * A notice naming the workers (from /api/clocks) whose clocks put their records a minute or more
 * off a range of times, the furthest three; `only`: that worker alone. Empty where none is.
 */
function skewedClocksNotice(clocks, only) {
  const shown = only ? clocks.filter(c => c.worker_id === only) : clocks;
  if (!shown.length) return '';
  const off = c => `${skewSpan(c.clock_skew_ms)} ${c.clock_skew_ms < 0 ? 'behind' : 'ahead'}`;
  const link = c => `<a href="#/worker/${encodeURIComponent(c.worker_id)}">${esc(c.worker_id)}</a>`;
  const named = shown.slice(0, 3).map(c => `${link(c)} (${off(c)})`).join(', ')
    + (shown.length > 3 ? ` and ${(shown.length - 3).toLocaleString()} more` : '');
  return `<div class="notice" id="skewed-clocks">${shown.length === 1 ? "A worker's clock is" : `${shown.length.toLocaleString()} workers' clocks are`}
    a minute or more off the store's: ${named}. Records carry their workers' own times, so ${shown.length === 1 ? 'its records' : 'theirs'}
    sit as far off this range; the Fleet page counts ${shown.length === 1 ? 'its' : 'their'} errors in the last hour all the same.</div>`;
}

/** How long from one time to another: 4.2 s, 12 min 5 s, 47 h 45 min. */
function span(fromIso, toIso) {
  const seconds = (new Date(toIso) - new Date(fromIso)) / 1000;
  if (isNaN(seconds)) return '-';   // a time past the year 9999, as above
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor(whole % 3600 / 60)} min`;
}

function vramBar(used, total) {
  if (used == null || total == null || total === 0) return '<span class="sub">-</span>';
  const share = used / total;
  const cls = share > 0.95 ? 'full' : share > 0.8 ? 'high' : '';
  return `<span class="bar ${cls}" title="${used} of ${total} MiB"><span style="width:${(share * 100).toFixed(1)}%"></span></span>
          <span class="num"> ${used.toLocaleString()} / ${total.toLocaleString()} MiB</span>`;
}

function levelBadge(level) { return `<span class="badge lvl-${esc(level)}">${esc(level)}</span>`; }

/** A record's metadata but its exception (shown on its own): logger, thread, MDC fields, ... */
function metadataList(metadata) {
  const entries = Object.entries(metadata || {}).filter(([key]) => key !== 'exception');
  if (entries.length === 0) return '';
  const value = v => typeof v === 'string' ? v : JSON.stringify(v);
  // A logger or component opens Explore on the records of it and those below it; any other
  // string, number or boolean on the records whose metadata has the same.
  const scalar = v => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  const shown = (key, v) => (key === 'logger' || key === 'component') && typeof v === 'string'
    ? `<a class="component" href="#/explore?component=${encodeURIComponent(v)}" title="the records of ${esc(v)} and below it">${esc(v)}</a>`
    : scalar(v) ? metaLink(key, v) : esc(value(v));
  return `<details class="meta"><summary>${esc(entries.map(([key]) => key).join(', '))}</summary>
    <dl class="kv">${entries.map(([key, v]) => `<dt>${esc(key)}</dt><dd>${shown(key, v)}</dd>`).join('')}</dl></details>`;
}

// Metadata that says where a record came from, not what the work was about.
const ORIGIN_KEYS = new Set(['logger', 'thread', 'class', 'method', 'line', 'exception', 'component', 'kind',
  'markers', 'stream', 'source', 'file', 'function', 'process', 'caller']);

/** A link to the records whose metadata has this key with this value (as `heartlog logs --meta`). */
function metaLink(key, v, max = Infinity) {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const shown = text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  return `<a class="meta-value" href="#/explore?${new URLSearchParams([['meta', `${key}=${text}`]])}" title="the records whose ${esc(key)} is ${esc(text)}">${esc(shown)}</a>`;
}

// The most of a value the task's Context shows; the whole on hover and in each record's metadata.
const CONTEXT_CHARS = 100;

/**
 * What a task's records say it was about: each metadata key but those of origin, with the
 * string, number or boolean values its records gave it (the model, the frames), each a link.
 */
function taskContext(records) {
  const values = new Map();
  for (const r of records) {
    for (const [key, v] of Object.entries(r.metadata || {})) {
      if (ORIGIN_KEYS.has(key) || !['string', 'number', 'boolean'].includes(typeof v)) continue;
      if (!values.has(key)) values.set(key, new Set());
      values.get(key).add(v);
    }
  }
  if (values.size === 0) return '';
  const shown = [...values].map(([key, set]) => {
    const list = [...set];
    const more = list.length > 3 ? ` <span class="sub">+${list.length - 3} more</span>` : '';
    return `<dt>${esc(key)}</dt><dd>${list.slice(0, 3).map(v => metaLink(key, v, CONTEXT_CHARS)).join(', ')}${more}</dd>`;
  });
  return `<h2>Context</h2><dl class="kv" id="task-context">${shown.join('')}</dl>`;
}

/**
 * Text a worker chose (its id, a task's, a status) cut to {@code max} characters, with "…" and
 * the whole text on hover when it was cut: a status of 60,000 characters sent by one worker
 * filled the Fleet page's first screen, and the table's other columns went off its edge.
 */
// The most of a worker's status, and of an id, a table shows; the rest on hover, the whole on the
// worker's or the task's own page. Statuses are free text: "error: CUDA out of memory. Tried to ..."
const STATUS_CHARS = 40;
const ID_CHARS = 100;
const WHOLE_ID_CHARS = 24;

function clipped(text, max) {
  if (text.length <= max) return esc(text);
  return `<span title="${esc(text)}">${esc(text.slice(0, max - 1))}…</span>`;
}

// A link to a task's or a worker's page, its id cut to ID_CHARS; nothing where there is no id.
function idLink(page, id) {
  if (!id) return '';
  // A short id stays on one line: a narrow column broke "demo-gpu-4" after its hyphen. A longer
  // one still breaks (its cell's overflow-wrap) rather than widen its column off the page.
  const whole = id.length <= WHOLE_ID_CHARS ? ' class="whole"' : '';
  return `<a href="#/${page}/${encodeURIComponent(id)}"${whole}>${clipped(id, ID_CHARS)}</a>`;
}

/**
 * A task id where a column is narrow: a UUID's first two groups (13 characters), with "…" and
 * the whole id on hover when it was cut, so that "render/shot-12" is not shown as "render/shot-1".
 */
function shortTaskId(id) {
  return clipped(id, 14);
}

// The text without the line breaks at its end. A loop, not /[\r\n]+$/, which a regular
// expression engine without Chromium's linear fallback tries from each line break in turn: a
// message of 60,000 line breaks then text took 2.1 s in Node 20's V8.
function withoutTrailingLineBreaks(text) {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return text.slice(0, end);
}

// A filter form's fields that hold something, trimmed, as a page's query: blank ones are no filter.
function filledFields(form) {
  const fields = new URLSearchParams();
  new FormData(form).forEach((value, key) => { if (String(value).trim()) fields.append(key, String(value).trim()); });
  return fields;
}

// A record's row. Its time links to its worker's records around it, across tasks (Explore's
// around=): what the worker did just before and after it.
function recordRow(r, { showWorker = true, showTask = true } = {}) {
  const exception = r.metadata && r.metadata.exception;
  const around = new URLSearchParams({ worker: r.worker_id, around: r.id });
  return `<tr class="row-${esc(r.level)}" data-id="${r.id}">
    <td class="time"><a class="around" href="#/explore?${around}" title="its worker's records around it">${time(r.timestamp, r.received_at)}</a></td>
    <td>${levelBadge(r.level)}</td>
    ${showWorker ? `<td><a href="#/worker/${encodeURIComponent(r.worker_id)}">${clipped(r.worker_id, ID_CHARS)}</a></td>` : ''}
    ${showTask ? `<td class="task">${r.task_id ? `<a href="#/task/${encodeURIComponent(r.task_id)}">${shortTaskId(r.task_id)}</a>` : ''}</td>` : ''}
    <td class="msg"><span class="text">${esc(withoutTrailingLineBreaks(String(r.message ?? '')))}</span>${exception ? `<details><summary>exception</summary><pre>${esc(exception)}</pre></details>` : ''}${metadataList(r.metadata)}</td>
  </tr>`;
}

function recordsTable(records, options = {}) {
  return recordsTableOf(records.map(r => recordRow(r, options)).join(''), options);
}

/** The table of recordsTable around rows already made (recordRow's, with the same options). */
function recordsTableOf(rows, options = {}) {
  const { showWorker = true, showTask = true, id = 'records' } = options;
  return `<table id="${id}" class="records"><thead><tr><th>Time</th><th>Level</th>${showWorker ? '<th>Worker</th>' : ''}${showTask ? '<th>Task</th>' : ''}<th>Message</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

// ---- states -----------------------------------------------------------------------------------

function showError(error, view) {
  if (error.status === 401 || error.status === 403) {
    view.innerHTML = `<div class="notice error" id="key-prompt">
      <h1>This page needs a reader key</h1>
      <p>${esc(error.status === 403 ? 'That key cannot read (is it a writer key?).' : 'heartlog serve printed a reader key at its first start; HEARTLOG_READER_KEYS can hold more.')}</p>
      <form id="key-form"><input id="key-input" size="60" placeholder="hlr_..." autocomplete="off"> <button class="primary">Use this key</button></form>
    </div>`;
    document.getElementById('key-form').addEventListener('submit', event => {
      event.preventDefault();
      localStorage.setItem(KEY_STORAGE, document.getElementById('key-input').value.trim());
      route();
    });
    return;
  }
  // Unreachable: the server, or its database (PGRST001). Busy or short of a resource (503 too many
  // requests waiting, 504 no connection free in time, 503 a full disk): the database answers.
  const unreachable = error.status === 0 || error.code === 'PGRST001';
  const busy = !unreachable && (error.status === 503 || error.status === 504);
  const heading = unreachable ? 'The store is unreachable' : busy ? 'The store cannot answer now'
    : error.status === 404 ? 'Not found' : 'Something went wrong';
  const fallback = unreachable ? 'Check that PostgreSQL is running; heartlog serve retries by itself.'
    : busy ? 'Try again in a few seconds.' : '';
  view.innerHTML = `<div class="notice error" id="page-error"><h1>${heading}</h1>
    <p>${esc(error.message)}</p>${error.details ? `<p class="details">${esc(error.details)}</p>` : ''}
    <p>${esc(error.hint || fallback)}</p>
    <p><button id="try-again" onclick="route()">Try again</button></p></div>`;
}

// A filter the server refused (400: a time it cannot read, a range that ends before it begins):
// its reason where the results go, the form left as it was to mend it. Anything else is the page's.
// A time it cannot read is said in the page's terms, what its field takes: the API's reason says
// a time of day is UTC, which it is in the API, but the page gives it the browser's offset.
function showRefusedFilter(error, results) {
  if (error.status !== 400) throw error;
  const time = /^Invalid value for (since|until): '(.*)' is neither /s.exec(error.message);
  const reason = time ? `${time[1] === 'since' ? 'Since' : 'Until'}: '${time[2]}' is not a time this page reads.` : error.message;
  const hint = time ? TIME_FIELD_TITLE + '.' : error.hint || error.details;
  results.innerHTML = `<div class="notice error" id="filter-error"><p>${esc(reason)}</p>${hint ? `<p>${esc(hint)}</p>` : ''}</div>`;
}

function loading(what, view) { view.innerHTML = `<p class="loading">Loading ${esc(what)}…</p>`; }

// ---- live tail (server-sent events fed by PostgreSQL LISTEN/NOTIFY) ----------------------------

function liveTail(params, onRecord, control) {
  let source = null;
  let lastId = null;
  const label = control.querySelector('.live');
  const button = control.querySelector('button');
  function open() {
    if (!control.isConnected) return;  // the page was left before it finished loading
    const query = new URLSearchParams(params);
    query.set('apikey', readerKey());
    if (lastId !== null) query.set('after', lastId);
    source = new EventSource('api/tail?' + query.toString());
    source.addEventListener('record', event => {
      const record = JSON.parse(event.data);
      lastId = Math.max(lastId ?? 0, record.id);
      onRecord(record);
    });
    source.onopen = () => { label.classList.add('on'); label.lastChild.textContent = ' live'; };
    source.onerror = () => { label.classList.remove('on'); label.lastChild.textContent = ' reconnecting…'; };
  }
  function close() {
    if (source) source.close();
    source = null;
    label.classList.remove('on');
    label.lastChild.textContent = ' paused';
  }
  button.addEventListener('click', () => {
    if (source) { close(); button.textContent = 'Resume'; } else { open(); button.textContent = 'Pause'; }
  });
  cleanup.push(close);
  return { open, setLastId: id => { lastId = id; } };
}

function tailControl() {
  return `<div class="toolbar" id="tail-control"><span class="live"><span class="dot"></span> connecting…</span><button id="tail-toggle">Pause</button>
    <span id="tail-trimmed" hidden></span></div>`;
}

// A page left following a busy worker keeps only its newest rows: a table of tens of thousands
// of rows takes a browser seconds to lay out (BENCHMARKS.md §3, "A long task's page"), and
// would grow for as long as the page stays open.
const TAIL_KEEP = 2000;

/** Adds a record's row at the end of a followed table, dropping its oldest past TAIL_KEEP rows. */
function appendLiveRow(table, html) {
  const body = table.tBodies[0];
  const keep = Math.max(TAIL_KEEP, Number(table.dataset.keep ??= body.rows.length));
  body.insertAdjacentHTML('beforeend', html);
  body.lastElementChild.classList.add('fresh');
  if (body.rows.length <= keep) return;
  while (body.rows.length > keep) body.firstElementChild.remove();
  const note = document.getElementById('tail-trimmed');
  note.hidden = false;
  note.textContent = `the newest ${keep.toLocaleString()} records are kept here; older ones are left out`;
}

// ---- routing ----------------------------------------------------------------------------------

async function route() {
  cleanup.forEach(stop => stop());
  cleanup = [];
  const hash = location.hash || '#/fleet';
  const [path] = hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === parts[0]));
  const view = document.createElement('div');
  main.replaceChildren(view);
  try {
    if (parts[0] === 'worker' && parts[1]) { loading('worker', view); await workerPage(parts[1], view); }
    else if (parts[0] === 'task' && parts[1]) { loading('task', view); await taskPage(parts[1], view); }
    else if (parts[0] === 'explore') { await explorePage(view); }
    else if (parts[0] === 'tasks') { await tasksPage(view); }
    else if (parts[0] === 'errors' && parts[1]) { await errorKindPage(parts[1], view); }
    else if (parts[0] === 'errors') { await errorsPage(view); }
    else if (parts[0] === 'volume') { await volumePage(view); }
    else { loading('fleet', view); await fleetPage(view); }
  } catch (error) {
    showError(error, view);
  }
}

document.getElementById('forget-key').addEventListener('click', () => { localStorage.removeItem(KEY_STORAGE); route(); });
window.addEventListener('hashchange', route);
route();
