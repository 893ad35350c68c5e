// The Errors pages: the errors of a range by kind, and one kind's workers and tasks.

// The errors of a range by kind (GET /api/errors): errors alike but for their numbers are one
// kind, shown by its latest error, with its task and worker linked.
async function errorsPage(view) {
  const params = hashParams();
  view.innerHTML = `<h1>Errors</h1><div class="sub">The errors made${rangeText(params)} by kind, the most frequent first; errors alike but for their numbers are one kind, shown by its latest</div>
    <form class="filters" id="error-filters"><label>Worker<input name="worker" value="${esc(params.get('worker') || '')}"></label>
      <label>Since<input name="since" value="${esc(params.get('since') || '')}" placeholder="1h, 22:00 or a date" title="${TIME_FIELD_TITLE}" size="22"></label>
      <label>Until<input name="until" value="${esc(params.get('until') || '')}" placeholder="now, 30m or 22:00" title="${TIME_FIELD_TITLE}" size="22"></label>
      <label class="check"><span><input type="checkbox" name="compare" value="true" ${params.get('compare') ? 'checked' : ''}> compare with the range before</span></label>
      <button class="primary">Apply</button></form>
    <div id="error-results"><p class="loading">Loading errors…</p></div>`;
  view.querySelector('#error-filters').addEventListener('submit', event => {
    event.preventDefault();
    const next = filledFields(event.target);
    location.hash = '#/errors?' + next.toString();
  });
  const query = rangeQuery(params);
  query.set('limit', String(ERROR_KINDS));
  if (params.get('compare')) query.set('compare', 'true');
  const results = view.querySelector('#error-results');
  let errors, clocks;
  try {
    [errors, clocks] = await Promise.all([api('api/errors?' + query.toString()), api('api/clocks')]);
  } catch (error) {
    showRefusedFilter(error, results);
    return;
  }
  const clockNotice = skewedClocksNotice(clocks, params.get('worker'));
  if (!errors.kinds.length) {
    results.innerHTML = `<div class="notice" id="no-errors">No errors${rangeText(params)}. Records are kept 48 hours.</div>${clockNotice}`;
    return;
  }
  const shown = errors.kinds.length < errors.kind_count ? `; the ${errors.kinds.length} most frequent shown` : '';
  const kindLink = kind => `<a href="${withQuery(`#/errors/${kind.id}`, rangeQuery(params))}" title="the workers and tasks this kind hit">${kind.errors.toLocaleString()}</a>`;
  // Compared with the range before: each kind's errors then, "new" where it made none.
  const before = errors.before;
  const beforeCell = kind => `<td class="num before">${kind.errors_before ? kind.errors_before.toLocaleString() : '<span class="badge new">new</span>'}</td>`;
  results.innerHTML = `${clockNotice}<table id="error-kinds"><thead><tr><th>Errors</th>${before ? '<th>Before</th>' : ''}<th>Workers</th><th>Tasks</th><th>Latest</th><th>Latest task</th><th>Worker</th><th>Error</th></tr></thead>
    <tbody>${errors.kinds.map(kind => `<tr data-kind="${esc(kind.id)}">
      <td class="num">${kindLink(kind)}</td>${before ? beforeCell(kind) : ''}<td class="num">${kind.workers.toLocaleString()}</td><td class="num">${kind.tasks.toLocaleString()}</td>
      <td class="time">${time(kind.last_at)}</td><td>${idLink('task', kind.latest.task_id)}</td><td>${idLink('worker', kind.latest.worker_id)}</td>
      <td class="msg">${latestError(kind)}</td></tr>`).join('')}</tbody></table>
    <div class="sub" id="error-totals">${counted(errors.error_count, 'error')} of ${counted(errors.kind_count, 'kind')}${rangeText(params)}${shown}; a kind's count opens the workers and tasks it hit</div>
    ${before ? `<div class="sub" id="error-before">Before: each kind's errors in the range before, as long, from ${time(before.since)} to ${time(before.until)}; new: none then (${errors.kinds.filter(kind => !kind.errors_before).length} of the ${counted(errors.kinds.length, 'kind')} listed)</div>` : ''}`;
}

// One kind of error (GET /api/errors/{kind}) in the Errors page's range: its latest error's stack
// trace, the workers it hit and the tasks it was made in, the most errors first, each with its
// latest error.
async function errorKindPage(id, view) {
  const params = hashParams();
  const worker = params.get('worker');
  const back = `<a href="${withQuery('#/errors', rangeQuery(params))}" id="all-kinds">all kinds</a>`;
  view.innerHTML = `<h1>Error kind ${esc(id)}</h1><div class="sub">Where it was made${rangeText(params)}${worker ? ` by ${esc(worker)}` : ''} · ${back}</div>
    <div id="kind-results"><p class="loading">Loading the kind…</p></div>`;
  const query = rangeQuery(params);
  query.set('limit', String(params.get('all') ? KIND_PARTS_ALL : KIND_PARTS));
  const results = view.querySelector('#kind-results');
  const errorsQuery = rangeQuery(params);
  errorsQuery.set('kind', id);
  let detail, latest;
  try {
    [detail, latest] = await Promise.all([api(`api/errors/${encodeURIComponent(id)}?${query.toString()}`),
      api(`api/logs?${errorsQuery.toString()}&limit=${KIND_ERRORS}`)]);
  } catch (error) {
    if (error.status !== 404) return showRefusedFilter(error, results);
    results.innerHTML = `<div class="notice" id="no-kind">No errors of kind ${esc(id)}${rangeText(params)}${worker ? ` by ${esc(worker)}` : ''}. Records are kept 48 hours; ${back} lists the range's kinds.</div>`;
    return;
  }
  const kind = detail.kind;
  const tasksShown = detail.tasks.filter(part => part.latest.task_id).length;
  const outsideShown = tasksShown < detail.tasks.length;
  const listed = (shown, count, noun) => shown < count ? `the ${shown} with the most errors, of ${counted(count, noun)}` : counted(count, noun);
  const table = (tableId, parts, idTitle, idOf, spanTitle, spanOf, otherTitle, otherOf) => `<table id="${tableId}">
    <thead><tr><th>${idTitle}</th><th>Errors</th><th>${spanTitle}</th><th>First</th><th>Latest</th><th>${otherTitle}</th><th>Error</th></tr></thead>
    <tbody>${parts.map(part => `<tr>
      <td class="id">${idOf(part)}</td><td class="num">${part.errors.toLocaleString()}</td><td class="num">${spanOf(part).toLocaleString()}</td>
      <td class="time">${time(part.first_at)}</td><td class="time">${time(part.last_at)}</td><td class="id">${otherOf(part)}</td>
      <td class="msg">${latestError(part)}</td></tr>`).join('')}</tbody></table>`;
  results.innerHTML = `<div class="card" id="kind-summary"><div class="v">${counted(kind.errors, 'error')} on ${counted(kind.workers, 'worker')} in ${counted(kind.tasks, 'task')}, from ${time(kind.first_at)} to ${time(kind.last_at)}</div>
      <div class="msg">${latestError(kind)}</div>
      ${overTimeChart(detail)}
      ${detail.stack_trace && detail.stack_trace.trim() ? `<details open><summary>Stack trace of the latest, ${time(kind.last_at)} on ${esc(kind.latest.worker_id)}</summary><pre id="kind-stack-trace">${esc(detail.stack_trace)}</pre></details>` : ''}</div>
    <h2>Workers</h2>
    ${table('kind-workers', detail.workers, 'Worker', part => idLink('worker', part.latest.worker_id), 'Tasks', part => part.tasks,
      'Latest task', part => idLink('task', part.latest.task_id))}
    <div class="sub" id="kind-worker-count">${listed(detail.workers.length, detail.worker_count, 'worker')}</div>
    <h2>Tasks</h2>
    ${table('kind-tasks', detail.tasks, 'Task', part => part.latest.task_id ? idLink('task', part.latest.task_id) : '<span class="muted">outside a task</span>',
      'Workers', part => part.workers, 'Latest worker', part => idLink('worker', part.latest.worker_id))}
    <div class="sub" id="kind-task-count">${listed(tasksShown, kind.tasks, 'task')}${outsideShown ? '; "outside a task": the errors made outside one' : ''}</div>
    ${detail.workers.length < detail.worker_count || detail.tasks.length < detail.task_count
      ? `<div class="toolbar"><button id="kind-show-all">Show all</button> (up to ${KIND_PARTS_ALL.toLocaleString()} of each)</div>` : ''}
    <h2>Latest errors</h2>
    ${recordsTable(latest, { id: 'kind-errors' })}
    <div class="sub" id="kind-error-count">${latest.length < KIND_ERRORS ? `all ${counted(latest.length, 'record')}` : `the newest ${latest.length} records`} of the kind, each whole${latest.length < KIND_ERRORS ? '' : ` · <a href="${withQuery('#/explore', errorsQuery)}" id="kind-explore">all of them in Explore</a>`}</div>`;
  const showAll = view.querySelector('#kind-show-all');
  if (showAll) {
    showAll.addEventListener('click', () => {
      const next = rangeQuery(params);
      next.set('all', '1');
      location.hash = withQuery(`#/errors/${encodeURIComponent(id)}`, next);
    });
  }
}

// A kind's errors in each span of its range (errors_over_time), a bar each, the highest for the
// most: when it began, peaked and stopped. Each bar's tooltip says its count and when its span began.
function overTimeChart(detail) {
  const counts = detail.errors_over_time;
  const most = Math.max(0, ...counts);
  if (!most) return '';
  const barWidth = 8, gap = 2, height = 40;
  const start = Date.parse(detail.since);
  const bars = counts.map((n, i) => {
    if (!n) return '';
    const h = Math.max(2, Math.round(n / most * height));
    const from = new Date(start + i * detail.span_seconds * 1000).toISOString();
    return `<rect x="${i * (barWidth + gap)}" y="${height - h}" width="${barWidth}" height="${h}"><title>${counted(n, 'error')} from ${time(from)}</title></rect>`;
  }).join('');
  return `<div class="sub over-time-label">errors per ${spanWidth(detail.span_seconds)}, the highest ${most.toLocaleString()}</div>
    <svg id="kind-over-time" class="over-time" width="${counts.length * (barWidth + gap)}" height="${height + 1}" role="img">
      <line x1="0" y1="${height + 0.5}" x2="${counts.length * (barWidth + gap)}" y2="${height + 0.5}"/>${bars}</svg>`;
}

// "10s", "5m", "2h", "1d": a span's width, a whole number of its unit.
function spanWidth(seconds) {
  return seconds % 86400 === 0 ? `${seconds / 86400}d` : seconds % 3600 === 0 ? `${seconds / 3600}h`
    : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

// The range of the Errors pages (since, until, worker), as the API takes it: without since, the
// hour before until, else the last hour, as `heartlog errors` reads them.
function rangeQuery(params) {
  const query = new URLSearchParams();
  if (params.get('since')) query.set('since', params.get('since'));
  if (params.get('until')) query.set('until', params.get('until'));
  if (params.get('worker')) query.set('worker', params.get('worker'));
  return query;
}

// A page's address with its query, where it has one.
function withQuery(path, query) {
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

// " since 1h", " since 13:50:07Z until 15:50:07Z", " in the hour before 2h": the Errors pages'
// range, as their text says it.
function rangeText(params) {
  const since = params.get('since'), until = params.get('until');
  if (!since && until) return ` in the hour before ${esc(until)}`;
  return ` since ${esc(since || '1h')}${until ? ` until ${esc(until)}` : ''}`;
}

// "1 error", "1,204 errors".
function counted(n, noun) {
  return `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;
}

// A kind's (or its worker's or task's) latest error: its message's first line (that says
// something: headingLine), and below it, in grey, the line naming its exception where that line
// does not say it (asyncio's "Task exception was never retrieved" says it on its second).
function latestError(kind) {
  const first = headingLine(kind.latest.message);
  return `${esc(first)}${explained({ failure: first, failure_exception: kind.latest.exception })}`;
}

// The kinds the Errors page asks for, the most frequent.
const ERROR_KINDS = 50;

// The workers and the tasks a kind's page asks for, of each the most errors.
const KIND_PARTS = 100;

// What "Show all" asks for: as many as the API answers.
const KIND_PARTS_ALL = 10000;

// The newest errors of a kind its page lists whole; Explore pages through them all.
const KIND_ERRORS = 20;
