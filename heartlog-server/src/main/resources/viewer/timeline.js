// The Task page's timeline. A long task's shows its first and last records and the rest on
// demand: a browser took about 14 s to show 32,000 rows of it, most of that laying out the table,
// and the page then still read every record (BENCHMARKS.md §3, "A long task's page"). The API
// answers with the task's ends and counts what lies between them; the gap reads it a page at a
// time. A running task's new records are added at the end as they are stored.

const TIMELINE_EDGE = 500;    // records shown at each end of a longer task
const TIMELINE_STEP = 1000;   // and this many more at each "show the next"
const TIMELINE_PAGE = 9999;   // the most one read of the gap shows: with the one after it, the API's largest page
const TIMELINE_KEEP = 2000;   // rows a followed timeline keeps; past it, those after its first 500 go into the gap
const TIMELINE_OPTIONS = { showTask: false, id: 'task-records' };

function timeline(task) {
  if (task.records_left_out === 0) return recordsTable(task.records, TIMELINE_OPTIONS);
  const rows = list => list.map(r => recordRow(r, TIMELINE_OPTIONS)).join('');
  return recordsTableOf(rows(task.records.slice(0, task.left_out_at)) + gapRow()
    + rows(task.records.slice(task.left_out_at)), TIMELINE_OPTIONS);
}

function gapRow() {
  return '<tr id="timeline-gap"><td colspan="4"></td></tr>';
}

/**
 * The timeline's gap, with what it hides and the buttons that read it, and its live end: returns
 * append(record), for the records the live tail brings. A followed timeline keeps TIMELINE_KEEP
 * rows, or as many as its reader asked to see (every one, once they asked for all): past that,
 * the rows after the gap (after the first TIMELINE_EDGE, where there is none yet) go into the
 * gap, which reads them again on demand.
 */
function followTimeline(view, task) {
  const body = view.querySelector('#task-records').tBodies[0];
  const countCard = view.querySelector('#task-record-count');
  const shown = new Set(task.records.map(r => r.id));
  const hiddenOf = { ...task.levels };                 // the gap's count of each level
  task.records.forEach(r => { hiddenOf[r.level] -= 1; });
  let hidden = task.records_left_out;
  let recordCount = task.record_count;
  let keep = TIMELINE_KEEP;   // rows kept as records come: more once the reader asked to see more, all once all
  let gap = body.querySelector('#timeline-gap');
  let cursor = null;   // the last of the gap's records read, shown or skipped; null: the row before the gap
  if (gap) describe();

  function describe() {
    const problems = ['WARNING', 'ERROR', 'CRITICAL'].filter(level => hiddenOf[level] > 0);
    gap.firstElementChild.innerHTML = `<div class="toolbar">${hidden.toLocaleString()} records not shown${problems.length
      ? ` (${problems.map(level => `${hiddenOf[level].toLocaleString()} ${level}`).join(', ')})` : ''}
      <button id="timeline-next">Show the next ${Math.min(TIMELINE_STEP, hidden).toLocaleString()}</button>
      <button id="timeline-all">Show all ${hidden.toLocaleString()}</button>
      <a href="#/explore?task=${encodeURIComponent(task.task_id)}">Search them in Explore</a></div>`;
  }

  /**
   * Reads and shows up to count more of the gap's records, and one more to see whether the gap is
   * closed: it is when the page reaches the first row after the gap, or the task's end, and all of
   * it is shown; false once it is. Records shown already (a late one the live tail brought) are
   * skipped.
   */
  async function show(count) {
    const after = cursor ?? gap.previousElementSibling.dataset.id;
    const end = Number(gap.nextElementSibling?.dataset.id);
    const page = await api(`api/tasks/${encodeURIComponent(task.task_id)}/records?after=${after}&limit=${count + 1}`);
    const ending = page.findIndex(r => r.id === end);
    const read = ending < 0 ? page : page.slice(0, ending);
    const inGap = read.filter(r => !shown.has(r.id));
    const revealed = inGap.slice(0, count);
    cursor = revealed.length < inGap.length ? revealed[revealed.length - 1].id : (read[read.length - 1]?.id ?? cursor);
    gap.insertAdjacentHTML('beforebegin', revealed.map(r => recordRow(r, TIMELINE_OPTIONS)).join(''));
    revealed.forEach(r => { hiddenOf[r.level] -= 1; shown.add(r.id); });
    hidden = Math.max(0, hidden - revealed.length);
    keep = Math.max(keep, body.rows.length - 1);
    if (revealed.length === inGap.length && (ending >= 0 || page.length <= count)) {
      gap.remove();
      gap = null;
      cursor = null;
      keep = Infinity;   // the reader asked to see every record: none goes back into a gap
      return false;
    }
    describe();
    return true;
  }

  body.addEventListener('click', async event => {
    if (!gap || !['timeline-next', 'timeline-all'].includes(event.target.id)) return;
    gap.querySelectorAll('button').forEach(b => { b.disabled = true; });
    try {
      if (event.target.id === 'timeline-next') await show(TIMELINE_STEP);
      else while (await show(TIMELINE_PAGE)) { /* the next page */ }
    } catch (e) {
      gap.firstElementChild.insertAdjacentHTML('beforeend', `<span class="lvl-ERROR"> ${esc(e.message)}</span>`);
      gap.querySelectorAll('button').forEach(b => { b.disabled = false; });
    }
  });

  /** Moves the rows past those it keeps that follow the gap into it. */
  function keepRows() {
    let over = body.rows.length - (gap ? 1 : 0) - keep;
    if (over <= 0) return;
    if (!gap) {
      body.rows[TIMELINE_EDGE - 1].insertAdjacentHTML('afterend', gapRow());
      gap = body.querySelector('#timeline-gap');
    }
    for (; over > 0 && gap.nextElementSibling; over--) {
      const row = gap.nextElementSibling;
      const level = [...row.classList].find(c => c.startsWith('row-')).slice(4);
      hiddenOf[level] = (hiddenOf[level] ?? 0) + 1;
      shown.delete(Number(row.dataset.id));
      hidden += 1;
      row.remove();
    }
    describe();
  }

  return {
    append(record) {
      if (shown.has(record.id)) return;
      shown.add(record.id);
      body.insertAdjacentHTML('beforeend', recordRow(record, TIMELINE_OPTIONS));
      body.lastElementChild.classList.add('fresh');
      countCard.textContent = (recordCount += 1).toLocaleString();
      keepRows();
    },
  };
}
