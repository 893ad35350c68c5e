-- The first version of fleet health's counts (2026-11-28) read the agent's counts with a
-- jsonpath check in this function; the ingest function reads them itself now. (IF EXISTS
-- raises a notice a migration tool would print as a warning.)
SET LOCAL client_min_messages = warning;
DROP FUNCTION IF EXISTS heartlog_problem_counts(jsonb);

-- A worker's health as the fleet view and the worker view show it: its own status, except that a
-- worker saying 'active' whose last heartbeat is older than stale_after (or missing) is 'stale'.
-- One definition for both queries (worker.sql, workers.sql); a SQL function, so it is inlined.
CREATE OR REPLACE FUNCTION heartlog_worker_health(status text, last_heartbeat timestamptz, stale_after interval)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN status = 'active'
                     AND (last_heartbeat IS NULL OR last_heartbeat < now() - stale_after)
                THEN 'stale' ELSE status END
$$;

-- workers.last_heartbeat as a point in time. heartlog's own column is a timestamptz; an
-- orchestrator's may be a `timestamp` without a zone, which heartbeats write in UTC (the ingest
-- function runs in UTC, as the seed's function ran in Supabase's UTC sessions). Compared with
-- now() as it is, such a column is read in the caller's session zone, which pgjdbc sets to the
-- machine's: on a machine in New York a worker that had just sent a heartbeat was 5 hours in the
-- future, in Berlin an hour stale. The overload for the column's type is picked when a query
-- is planned; both are inlined, so heartlog's own column costs nothing.
CREATE OR REPLACE FUNCTION heartlog_heartbeat_time(at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT at
$$;

CREATE OR REPLACE FUNCTION heartlog_heartbeat_time(at timestamp)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT at AT TIME ZONE 'UTC'
$$;

-- A worker's clock against the store's at one heartbeat (worker_heartbeats' metadata and
-- received_at), as the ingest function reads it into workers.clock_skew_ms (V12): for fleet
-- health's workers shown from their heartbeats rather than their row. NULL for a heartbeat
-- without the agent's clock (the seed's Python workers send none).
CREATE OR REPLACE FUNCTION heartlog_heartbeat_skew_ms(metadata jsonb, received_at timestamptz)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE   -- STABLE as extract() on a timestamptz is, so that it is inlined
AS $$
    SELECT CASE WHEN jsonb_typeof(metadata -> 'sent_at_ms') = 'number'
                     AND (metadata ->> 'sent_at_ms')::numeric BETWEEN 0 AND 1e14
                THEN round((metadata ->> 'sent_at_ms')::numeric - extract(epoch FROM received_at) * 1000)::bigint
           END
$$;

-- The 5-minute period a time falls in, as the problem counts of workers number them
-- (migration V7): seconds since 1970 divided by 300, rounded down. STABLE like date_part() on a
-- timestamptz: declared IMMUTABLE, PostgreSQL would not inline it, nor then the function below,
-- and the fleet view would call both as functions for every worker (31 ms instead of 2 for
-- 1,000 workers in BENCHMARKS.md §3).
CREATE OR REPLACE FUNCTION heartlog_period(at timestamptz)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT floor(date_part('epoch', at) / 300)::bigint
$$;

-- The period a stored record counts in: its own, or the one it was stored in if that is
-- earlier (a record stamped in the future).
CREATE OR REPLACE FUNCTION heartlog_count_period(stamped timestamptz)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT least(heartlog_period(stamped), heartlog_period(now()))
$$;

-- A worker's problems (problem_errors or problem_warnings, migration V7) stamped in the periods
-- from first_period up to now: one subtraction. A SQL function, so it is inlined into the
-- fleet view.
CREATE OR REPLACE FUNCTION heartlog_recent_problems(counts bigint[], first_period bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(CASE WHEN counts[1] >= first_period
                         THEN counts[2] - counts[3 + counts[1] - first_period] END, 0)
$$;

-- A batch's problems as the functions below take and give them: a two-dimensional bigint array,
-- one row {period, errors, warnings} per 5-minute period (heartlog_count_period), errors being
-- ERROR and CRITICAL. An empty array: a batch without problems.

-- Adds a batch's problems (one column of them: 2 errors, 3 warnings) to a worker's counts of that
-- level group (layout in V7__problem_counts_per_worker.sql) and returns the new counts. The rows
-- may come in any order. A period after the current one counts in the current one (a worker's
-- clock that runs fast); problems more than 11 periods older than the newest counted are left
-- out: no window fleet health asks for reaches them (it counts that far back from the records).
-- Anything but a two-dimensional array of three columns adds nothing.
CREATE OR REPLACE FUNCTION heartlog_add_problems_loop(counts bigint[], problems bigint[], col integer)
RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    current_period bigint := heartlog_period(now());
    newest bigint;
    total  bigint;
    ends   bigint[];   -- the total at the end of period newest - j
    period bigint;
    added  bigint;
    shift  integer;
BEGIN
    IF problems IS NULL OR array_ndims(problems) IS DISTINCT FROM 2 OR array_length(problems, 2) <> 3 THEN
        RETURN counts;
    END IF;
    IF counts IS NULL THEN
        newest := NULL;
        total := 0;
        ends := array_fill(0::bigint, ARRAY[12]);
    ELSE
        newest := counts[1];
        total := counts[2];
        ends := counts[3:14];
    END IF;
    FOR i IN 1 .. array_length(problems, 1) LOOP
        period := least(problems[i][1], current_period);
        added := problems[i][col];
        CONTINUE WHEN period IS NULL OR added IS NULL OR added <= 0;
        IF newest IS NULL THEN
            newest := period;
        ELSIF period > newest THEN
            -- The periods between end with the total as it is.
            shift := least(period - newest, 12);
            ends := array_fill(total, ARRAY[shift]) || ends[1:12 - shift];
            newest := period;
        END IF;
        IF newest - period < 12 THEN
            total := total + added;
            -- A period before the newest (records arriving late): the totals at the ends of the
            -- periods since then take them in too.
            FOR j IN 1 .. newest - period LOOP
                ends[j] := ends[j] + added;
            END LOOP;
        END IF;
    END LOOP;
    IF newest IS NULL THEN
        RETURN counts;
    END IF;
    RETURN ARRAY[newest, total] || ends;
END;
$$;

-- heartlog_add_problems_loop, with what nearly every heartbeat brings answered first: no
-- problems, or one period's problems in the worker's newest period or the one after it.
-- PL/pgSQL rather than an inlined SQL CASE: PostgreSQL sets up every expression of a statement
-- at each execution, all branches of an inlined CASE included, and for the ingest function's
-- two additions that was 3.4% of its instructions per call. PL/pgSQL sets up only the
-- statements it reaches, once per transaction for both additions: 2.1% fewer instructions per
-- call for the whole function (callgrind; BENCHMARKS.md, "Part 2 by instruction counts").
CREATE OR REPLACE FUNCTION heartlog_add_problems(counts bigint[], problems bigint[], col integer)
RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    period bigint;
    added  bigint;
BEGIN
    IF problems IS NULL OR cardinality(problems) = 0 THEN
        RETURN counts;
    END IF;
    IF array_length(problems, 1) <> 1 OR array_length(problems, 2) <> 3 THEN
        RETURN heartlog_add_problems_loop(counts, problems, col);
    END IF;
    added := problems[1][col];
    IF problems[1][1] IS NULL OR added IS NULL OR added <= 0 THEN
        RETURN counts;
    END IF;
    period := least(problems[1][1], heartlog_period(now()));
    IF counts IS NULL THEN
        RETURN ARRAY[period, added] || array_fill(0::bigint, ARRAY[12]);
    ELSIF period = counts[1] THEN
        RETURN counts[1:1] || (counts[2] + added) || counts[3:14];
    ELSIF period = counts[1] + 1 THEN
        RETURN ARRAY[period, counts[2] + added, counts[2]] || counts[3:13];
    END IF;
    RETURN heartlog_add_problems_loop(counts, problems, col);
END;
$$;

-- A batch's problems (rows {period, errors, warnings}) moved by a number of periods: an agent
-- counts them in its own clock's periods, and the ingest function moves them into the store's
-- when the agent's clock is off by 2.5 minutes or more (workers.clock_skew_ms, migration V12),
-- so that a worker whose clock runs behind still has its errors of the last hour counted in it.
-- Anything but a two-dimensional array of three columns is returned as it is.
CREATE OR REPLACE FUNCTION heartlog_shift_problems(problems bigint[], periods bigint)
RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    shifted bigint[] := problems;
BEGIN
    IF periods IS NULL OR periods = 0 OR problems IS NULL
       OR array_ndims(problems) IS DISTINCT FROM 2 OR array_length(problems, 2) <> 3 THEN
        RETURN problems;
    END IF;
    FOR i IN array_lower(problems, 1) .. array_upper(problems, 1) LOOP
        shifted[i][array_lower(problems, 2)] := problems[i][array_lower(problems, 2)] + periods;
    END LOOP;
    RETURN shifted;
END;
$$;

-- Stored problem records (the periods they count in, their levels and, for a flood's count, the
-- errors it stands for: heartlog_repeat_count, NULL for any other record) as a batch's problems
-- (rows {period, errors, warnings}, periods ascending). For a batch whose agent did not count
-- them, a batch stored one by one, and the recount.
-- PL/pgSQL because PostgreSQL cannot inline a SQL function with a subquery and would plan its
-- query anew in every heartbeat's transaction; PL/pgSQL keeps the plan for the session (with
-- the counting written as SQL functions, the ingest function stored 17% fewer records per
-- second: IngestLoad, BENCHMARKS.md §2, run T).
-- It took no repeats before: a flood's count counted as one error until the next recount.
DROP FUNCTION IF EXISTS heartlog_problems_by_period(bigint[], text[]);
CREATE OR REPLACE FUNCTION heartlog_problems_by_period(stored_periods bigint[], stored_levels text[],
                                                       stored_repeats bigint[])
RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    problems bigint[];
BEGIN
    SELECT coalesce(array_agg(ARRAY[p.period, p.errors, p.warnings] ORDER BY p.period), '{}')
    INTO problems
    FROM (SELECT t.period,
                 coalesce(sum(coalesce(t.repeats, 1)) FILTER (WHERE t.level IN ('ERROR', 'CRITICAL')), 0)::bigint AS errors,
                 count(*) FILTER (WHERE t.level = 'WARNING')                                                   AS warnings
          FROM unnest(stored_periods, stored_levels, stored_repeats) AS t(period, level, repeats)
          WHERE t.level IN ('WARNING', 'ERROR', 'CRITICAL')
          GROUP BY 1) AS p;
    RETURN problems;
END;
$$;

-- Counts every worker's problems of the last hour again from the stored records. Run by every
-- `heartlog migrate` (afterMigrate.sql): the counts start right after migration V7, and records
-- written into system_logs other than through the ingest function (a bulk load) count after
-- the next one. Heartbeats wait meanwhile (a fraction of a second for 1,000 workers): the lock
-- lets those under way commit first, so that the count sees their records and none of their
-- own counting is overwritten. Returns the number of workers counted.
CREATE OR REPLACE FUNCTION heartlog_recount_problems()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    counted integer;
BEGIN
    LOCK TABLE workers IN SHARE ROW EXCLUSIVE MODE;
    UPDATE workers w
    SET problem_errors   = heartlog_add_problems(NULL, p.problems, 2),
        problem_warnings = heartlog_add_problems(NULL, p.problems, 3)
    FROM (SELECT w2.id,
                 heartlog_problems_by_period(
                     array_agg(heartlog_count_period(l.timestamp - w2.skew)) FILTER (WHERE l.level IS NOT NULL),
                     array_agg(l.level) FILTER (WHERE l.level IS NOT NULL),
                     array_agg(heartlog_repeat_count(l.message, l.metadata)) FILTER (WHERE l.level IS NOT NULL)) AS problems
          -- A worker's records in the store's time: its own, less its clock's skew (V12).
          FROM (SELECT w3.id, make_interval(secs => coalesce(w3.clock_skew_ms, 0) / 1000.0) AS skew
                FROM workers w3) AS w2
          LEFT JOIN system_logs l
                 ON l.source_id = w2.id
                AND l.timestamp >= to_timestamp((heartlog_period(now()) - 11) * 300) + w2.skew
                AND l.level IN ('WARNING', 'ERROR', 'CRITICAL')
          GROUP BY w2.id) AS p
    WHERE w.id = p.id;
    GET DIAGNOSTICS counted = ROW_COUNT;
    RETURN counted;
END;
$$;
