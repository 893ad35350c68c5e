// The Volume page: how much a range's records take, by worker, component, level or task (GET
// /api/volume), as `heartlog volume` lists it: which worker or logger fills the store.

const VOLUME_PARTS = 50;
const VOLUME_BY = ['worker', 'component', 'level', 'task'];

async function volumePage(view) {
  const params = hashParams();
  const by = VOLUME_BY.includes(params.get('by')) ? params.get('by') : 'worker';
  view.innerHTML = `<h1>Volume</h1><div class="sub">The records made${rangeText(params)}${params.get('worker') ? ` by worker ${esc(params.get('worker'))}` : ''}, grouped by ${by}, the most first, and the bytes of their messages and metadata as stored</div>
    <form class="filters" id="volume-filters">
      <label>By<select name="by">${VOLUME_BY.map(b => `<option ${b === by ? 'selected' : ''}>${b}</option>`).join('')}</select></label>
      <label>Worker<input name="worker" value="${esc(params.get('worker') || '')}"></label>
      <label>Since<input name="since" value="${esc(params.get('since') || '')}" placeholder="1h, 22:00 or a date" title="${TIME_FIELD_TITLE}" size="22"></label>
      <label>Until<input name="until" value="${esc(params.get('until') || '')}" placeholder="now, 30m or 22:00" title="${TIME_FIELD_TITLE}" size="22"></label>
      <label class="check"><span><input type="checkbox" name="compare" value="true" ${params.get('compare') ? 'checked' : ''}> compare with the range before</span></label>
      <button class="primary">Apply</button></form>
    <div id="volume-results"><p class="loading">Loading the volume…</p></div>`;
  view.querySelector('#volume-filters').addEventListener('submit', event => {
    event.preventDefault();
    const next = filledFields(event.target);
    location.hash = '#/volume?' + next.toString();
  });
  const query = rangeQuery(params);
  query.set('by', by);
  query.set('limit', String(VOLUME_PARTS));
  if (params.get('compare')) query.set('compare', 'true');
  const results = view.querySelector('#volume-results');
  let volume;
  try {
    volume = await api('api/volume?' + query.toString());
  } catch (error) {
    showRefusedFilter(error, results);
    return;
  }
  const store = `<div class="sub" id="store-size">The store's records take ${bytes(volume.store_bytes)} with their indexes, in ${counted(volume.partitions, 'partition')}; its heartbeats ${bytes(volume.heartbeats_bytes)}</div>`;
  if (!volume.record_count) {
    results.innerHTML = `<div class="notice" id="no-volume">No records${rangeText(params)}. Records are kept 48 hours.</div>${store}`;
    return;
  }
  const name = part => part.name === null ? `<span class="muted">${by === 'task' ? 'outside a task' : `without a ${by}`}</span>`
    : by === 'worker' || by === 'task' ? idLink(by, part.name) : esc(part.name);
  const share = (n, whole) => whole ? `${(100 * n / whole).toFixed(1)}%` : '-';
  const shown = volume.parts.length < volume.part_count ? `; the ${volume.parts.length} of the most records shown` : '';
  // Compared with the range before: each part's records then, "new" where it had none.
  const before = volume.before;
  const beforeCell = part => `<td class="num before">${part.records_before ? part.records_before.toLocaleString() : '<span class="badge new">new</span>'}</td>`;
  const growth = before && before.record_count ? ` (the range holds ${(volume.record_count / before.record_count).toFixed(2)} times as many now)` : '';
  results.innerHTML = `<table id="volume-parts"><thead><tr><th>${esc(by)}</th><th>Records</th><th>%</th>${before ? '<th>Before</th>' : ''}<th>Bytes</th><th>%</th></tr></thead>
    <tbody>${volume.parts.map(part => `<tr>
      <td class="id">${name(part)}</td><td class="num">${part.records.toLocaleString()}</td><td class="num">${share(part.records, volume.record_count)}</td>
      ${before ? beforeCell(part) : ''}<td class="num">${bytes(part.bytes)}</td><td class="num">${share(part.bytes, volume.byte_count)}</td></tr>`).join('')}</tbody></table>
    <div class="sub" id="volume-totals">${counted(volume.record_count, 'record')}, ${bytes(volume.byte_count)} of messages and metadata, of ${counted(volume.part_count, by)}${shown}</div>
    ${before ? `<div class="sub" id="volume-before">Before: each ${esc(by)}'s records in the range before, as long, from ${time(before.since)} to ${time(before.until)}: ${counted(before.record_count, 'record')}, ${bytes(before.byte_count)}${growth}; new: none then (${volume.parts.filter(part => !part.records_before).length} of the ${counted(volume.parts.length, by)} listed)</div>` : ''}
    ${store}`;
}

// "512 B", "3.9 KiB", "61.2 MiB": a size in binary units, as `heartlog volume` writes it.
function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let size = n, unit = -1;
  while (size >= 1024 && unit < units.length - 1) { size /= 1024; unit++; }
  return `${size.toFixed(1)} ${units[unit]}`;
}
