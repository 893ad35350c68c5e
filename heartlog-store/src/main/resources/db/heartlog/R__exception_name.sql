-- Whether a record's exception (metadata.exception) is a stack trace: the test of every query
-- that looks for the error that explains a task's failure, as StoredRecord.hasStackTrace and the
-- viewer's hasStackTrace are. Null, empty and white space are none: a handler that
-- writes every record's sends them where there is none. So is Python's "NoneType: None", what
-- logging writes for exc_info=True (logger.exception, logger.error(..., exc_info=True)) outside
-- an except block: a closing "Task failed" logged so would hide the traceback before it, and
-- would group unrelated errors as one kind. One of more than 64 bytes is taken for a stack trace
-- unread (no handler sends that much white space): trimmed, or cut to its first 64 characters,
-- every character of a whole traceback was read, and the task list took 1.24 to 1.30 times as
-- long, where its length in bytes costs nothing (BENCHMARKS.md §3, "No stack trace").
CREATE OR REPLACE FUNCTION heartlog_has_stack_trace(exception text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT octet_length(exception) > 64
           OR btrim(exception, E' \t\r\n') NOT IN ('', 'NoneType: None')
$$;

-- The exception a Python exception group's traceback names (3.11+; asyncio's TaskGroup raises
-- one around every task's failure): the first exception in it that is no group, where the group
-- is the last exception of the trace. "ValueError: bad frame 2", not "ExceptionGroup: unhandled
-- errors in a TaskGroup (1 sub-exception)", which every TaskGroup's failure says alike: so the
-- task list names why, and heartlog errors makes one kind of each fault, whether a group wrapped
-- it or not.
--
-- The group is boxed, each line of it after "  + Exception Group Traceback (most recent call
-- last):" indented and marked by "|" or "+". Each exception in it starts below a line
-- "+---------------- 1 ----------------" (the first of a group "+-+---------------- 1 ---..."),
-- and the box closes with a "+" and 36 dashes:
--
--       | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
--       +-+---------------- 1 ----------------
--         | Traceback (most recent call last):
--         |   File "worker.py", line 3, in work
--         | ValueError: bad frame 2
--         +------------------------------------
--
-- Python prints a group's exceptions in order, a nested group's inside it, so the first
-- " +----------------" (a "+" with a space before it: the "+" of the "+-+----" that opens a
-- group's first exception has a dash) ends the first exception that is no group. In the last
-- group of the trace (a chain may hold one before it), split_part takes the lines between it and
-- the line above them that opened the exception (which ends in 16 dashes), and reads them as a
-- Python traceback is read: the first line after its last frame that begins as an exception's
-- name does, with a letter or "_" (so of a chain inside it, "The above exception was the direct
-- cause ...", the exception raised last), or, where it has no frames, its first line (a message
-- of several lines gives its first). Where that exception is none Python printed (groups nested
-- deeper than it prints: "... (max_group_depth is 10)"), the group's own line. A trace cut
-- short, which ends in no box, is not read here, and names none, as any Python traceback cut
-- short.
--
-- A TaskGroup's traceback is named in about twice the time of a Python traceback as long: the
-- split_parts cost little, where one regular expression that found the line in the whole group,
-- the first version, took 28 times as long as they do (BENCHMARKS.md §3, "An exception group's
-- exception"). The test that the trace ends in a box reads only its last 80 characters.
CREATE OR REPLACE FUNCTION heartlog_exception_group_name(exception text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(
               CASE WHEN split_part(split_part(split_part(exception, '  + Exception Group Traceback (most recent call last):', -1),
                                               ' +----------------', 1),
                                    E'----------------\n', -1) LIKE '%|   File "%'
                    THEN substring(split_part(split_part(split_part(exception, '  + Exception Group Traceback (most recent call last):', -1),
                                                         ' +----------------', 1),
                                              E'----------------\n', -1)
                                   FROM E'^.*\n *\\|   File "[^\n]*\n(?: *\\| [ \t][^\n]*\n)* *\\| ([A-Za-z_][^\n]*)')
                    ELSE substring(split_part(split_part(split_part(exception, '  + Exception Group Traceback (most recent call last):', -1),
                                                         ' +----------------', 1),
                                              E'----------------\n', -1)
                                   FROM E'^ *\\| ([A-Za-z_][^\n]*)')
               END,
               substring(split_part(exception, '  + Exception Group Traceback (most recent call last):', -1)
                         FROM E'\n  \\| ([^ \t\n][^\n]*)'))
$$;

-- What a JavaScript error's cause says, to go after the error's own line where its trace names
-- one: ", caused by Error: connect ECONNREFUSED 127.0.0.1:8188"; else ''. Node.js's fetch fails
-- with "TypeError: fetch failed" whatever failed (a refused connection, a host not found, a
-- port refused), and says what in its cause, which Node.js prints below the error's frames as
-- "  [cause]: Error: ..." (and a cause's cause, indented further); pino's error serializer
-- appends the cause's stack to the error's as "caused by: Error: ...". Before, every such
-- failure was one kind. The cause named is the deepest, where the chain begins (the last
-- "[cause]: " or "caused by: " of the trace), its first line, without the brackets Node.js
-- prints around an error with no frames. A JVM's "Caused by: " is read by heartlog_jvm_cause,
-- below. Two searches for a text that is not there cost each trace that has no cause
-- (BENCHMARKS.md §3, "A JavaScript error's cause").
CREATE OR REPLACE FUNCTION heartlog_exception_cause(exception text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(', caused by ' || nullif(btrim(regexp_replace(
               CASE WHEN strpos(exception, E'\n  [cause]: ') > 0
                    THEN split_part(split_part(exception, '[cause]: ', -1), E'\n', 1)
                    WHEN strpos(exception, E'\ncaused by: ') > 0
                    THEN split_part(split_part(exception, E'\ncaused by: ', -1), E'\n', 1)
               END,
               E'^\\[([^\\s\\[][^\n]*)\\](?: \\{)?$', E'\\1'), E' \t\r'), ''), '')
$$;

-- What a JVM's exception's deepest cause says, to go after the exception's line: ", caused by
-- java.io.IOException: No space left on device"; else ''. A worker that wraps every failure in
-- its own exception (throw new TaskFailedException("task " + id + " failed", e)) made one kind of
-- every fault, its digits alike, and the task list said only "task 42 failed". The JVM prints the
-- chain's causes below the frames, each on a line of its own that begins with "Caused by: ", the
-- deepest last (a suppressed exception's, indented by a tab, is none of the chain's); the line of
-- the last is its exception's. Where the exception's line names it already, as a wrapper made
-- with the cause alone does ("java.lang.RuntimeException: java.io.IOException: ..."), nothing;
-- nor where the trace has no cause, whose text after its last "Caused by: " (none) is the
-- whole trace, its first line the exception's. split_part, not strpos, finds it: strpos counts
-- the characters before what it finds, and took four times as long; the search is made again
-- to write the cause, where a function of the cause that used it twice was called, not
-- inlined, and cost more (BENCHMARKS.md §3, "A JVM exception's cause").
CREATE OR REPLACE FUNCTION heartlog_jvm_cause(exception text, named text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN strpos(named, btrim(split_part(split_part(exception, E'\nCaused by: ', -1), E'\n', 1), E' \t\r')) > 0
                THEN ''
                ELSE ', caused by ' || btrim(split_part(split_part(exception, E'\nCaused by: ', -1), E'\n', 1), E' \t\r')
           END
$$;

-- The line of a record's exception (metadata.exception, a stack trace) that names the exception,
-- as the task list shows a failed task's: "ValueError: bad frame 12" for a Python traceback,
-- "java.lang.IllegalStateException: no GPU" for a JVM's stack trace. One definition for both
-- queries that show it (task-summaries.sql, worker-task-failures.sql); a SQL function of one
-- expression, so it is inlined, and costs what the expression written into each query cost.
-- Only that line is read out, not the whole stack trace.
--
-- A Python traceback (also below a line that says whose it is: "Exception in thread Thread-1
-- (work):") names its exception on the first line not indented after its last frame: most often
-- its last line, which split_part reads where the line before it is a frame's (its place,
-- '  File "...', or its source or caret, indented by four); else a regular expression finds it
-- after the last '  File "' line, as where the message goes on below it (PyTorch's CUDA errors,
-- three lines more; torchrun's report, some of its lines indented by two). A traceback cut
-- short, which ends in a frame, names none. A process pool's failure (multiprocessing's,
-- concurrent.futures', joblib's) begins with the traceback of the worker process that raised it,
-- quoted ("multiprocessing.pool.RemoteTraceback:", then '"""'), and is read as a Python
-- traceback: its last line names the exception the pool raised again, where its first would
-- name every pool's failure alike. Python's report of a log call whose arguments did not fit its
-- message ("--- Logging error ---": log.info("frame %d", "three")) goes on after its traceback
-- with the call's frames, below "Call stack:", then "Message: ..." and "Arguments: ...": named
-- by its traceback's exception ("TypeError: %d format: a real number is required, not str"),
-- where heartlog run kept the report's first line (a test of the trace's first characters; its
-- last line, read again for every trace that comes so far, cost 7% of a PyTorch CUDA error's).
--
-- Every other trace (Java, Node, Go) names it on its first line, a JVM's uncaught exception
-- without the words the JVM puts before it ('Exception in thread "main" ', up to the first
-- class name after a quote: a thread's name may hold quotes), as a logger stores the same
-- exception, so that both are one kind; a Rust panic on its first two
-- where the first ends with its place (since Rust 1.73: "thread 'main' panicked at
-- src/main.rs:4:5:", then the message); Node.js's uncaught error on the line below the place it
-- was thrown ("/app/w.js:12"), its line of source and a caret: right below the caret for a worker
-- thread's error, a thrown string or array, else after the first blank line (an error thrown in
-- the main thread has one below the caret; a file that ended too soon has a blank line for its
-- source and no caret); an error with no frames without the brackets Node.js prints it in
-- ("Error: ENOENT: ..." of "[Error: ENOENT: ...] {", where a file system call failed); a
-- C++ abort (libstdc++'s "terminate called after throwing an instance of 'c10::Error'" over
-- "  what():  CUDA error: ...") by its type and what(), as heartlog run names its record
-- ("c10::Error: CUDA error: ..."). HotSpot's report of the JVM's crash ("#" over "# A fatal
-- error has been detected by the Java Runtime Environment:", every line after a "#") by what the
-- crash was and the frame it was in, as heartlog run names its record ("SIGSEGV (0xb) in C
-- [libcuda.so.1+0x2c4f1a] cuLaunchKernel+0x1a"), not by its first line, a "#" that made every
-- crash of the JVM one kind; where and whose it was ("at pc=0x7f..., pid=4242, tid=4243") left
-- out, as they differ in every crash; an internal error by its two lines ("Internal Error
-- (debug.cpp:362): fatal error: OutOfMemory encountered: ..."); a report that the JVM ran out
-- of memory by its first two. A JavaScript error's line, logged or uncaught, is followed by
-- what its cause says, where it has one (heartlog_exception_cause, above: "TypeError: fetch
-- failed, caused by Error: getaddrinfo ENOTFOUND ..."), and a JVM's, logged or uncaught, by
-- its deepest cause's where it does not name that itself (heartlog_jvm_cause, above:
-- "java.lang.IllegalStateException: task 42 failed, caused by java.io.IOException: No space
-- left on device"). A Python exception group's
-- (heartlog_exception_group_name, below) by the first exception in it. Any other trace that
-- begins indented gives none; so does a null exception, or one that is no stack trace
-- (heartlog_has_stack_trace, above), or the stack alone that Python's logging prints below a
-- record logged with stack_info=True ("Stack (most recent call last):", then frames): where the
-- record was made, no exception.
--
-- split_part reads a trace once, where a regular expression is tried from many of its
-- characters: 1 ms more for 50 tasks anchored at the trace's end, 3 ms for the one here on every
-- trace (BENCHMARKS.md §3, "Why a failed task failed", "A Python exception whose message goes on
-- below it").
CREATE OR REPLACE FUNCTION heartlog_exception_name(exception text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN left(exception, 1) IN (' ', E'\t')
                     AND exception NOT LIKE '  + Exception Group Traceback (most recent call last):%'
                     OR NOT heartlog_has_stack_trace(exception)
                     OR exception LIKE 'Stack (most recent call last):%'
                THEN NULL
                WHEN exception LIKE '  + Exception Group Traceback (most recent call last):%'
                     AND right(exception, 80) ~ E'\n[ \t]*\\+-{36}[ \t\r\n]*$'
                THEN heartlog_exception_group_name(exception)
                WHEN exception LIKE 'terminate called after throwing an instance of ''%'
                     AND exception ~ E'^terminate called after throwing an instance of \'[^\\n]+\'\\n  what\\(\\):  [ \\t]*\\S'
                THEN substring(split_part(exception, E'\n', 1) FROM '^terminate called after throwing an instance of ''(.+)''$')
                     || ': ' || btrim(substr(split_part(exception, E'\n', 2), 12), E' \t\r')
                WHEN exception LIKE 'thread ''%'
                     AND exception ~ E'^thread \'[^\\n]*\'(?: \\(\\d+\\))? panicked at [^\\n]*:\\n'
                THEN split_part(exception, E'\n', 1) || ' ' || split_part(exception, E'\n', 2)
                WHEN (exception LIKE '/%' OR exception LIKE 'file://%' OR exception LIKE 'node:%')
                     AND exception ~ E'^(?:/|file://|node:)\\S*:\\d+\\n'
                THEN coalesce(regexp_replace(CASE WHEN ltrim(split_part(exception, E'\n', 3), E' \t') LIKE '^%'
                                                       AND btrim(split_part(exception, E'\n', 4), E' \t\r') <> ''
                                                  THEN split_part(exception, E'\n', 4)
                                                  ELSE substring(exception FROM E'\n[ \t]*\n([^\n]+)')
                                             END,
                                             E'^\\[([^\\s\\[][^\n]*)\\](?: \\{)?$', E'\\1'),
                              split_part(exception, E'\n', 1))
                     || heartlog_exception_cause(exception)
                WHEN exception LIKE E'#\n# A fatal error has been detected by the Java Runtime Environment:\n%'
                THEN coalesce(regexp_replace(regexp_replace(substring(exception FROM E'^#\n#[^\n]*\n(?:#[ \t\r]*\n)*#[ \t]*([^\n]*\\S(?:\n#[ \t]*[^\n]*\\S)?)'),
                                                            E'(?: at pc=|, pid=)[^\n]*', ''),
                                             E'\n#\\s*', ': '),
                              'A fatal error has been detected by the Java Runtime Environment:')
                     || coalesce(' in ' || regexp_replace(substring(exception FROM E'\n# Problematic frame:\n#[ \t]*([^\n]*\\S)'),
                                                          E'\\s+', ' ', 'g'),
                                 '')
                WHEN exception LIKE E'#\n# There is insufficient memory for the Java Runtime Environment to continue.\n#%'
                THEN 'There is insufficient memory for the Java Runtime Environment to continue. '
                     || btrim(substr(split_part(exception, E'\n', 3), 2), E' \t\r')
                WHEN exception LIKE 'Exception in thread "%'
                THEN coalesce(substring(split_part(exception, E'\n', 1)
                                        FROM E'^Exception in thread ".*?" ((?:[A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*(?::.*)?)$'),
                              split_part(exception, E'\n', 1))
                     || heartlog_jvm_cause(exception, split_part(exception, E'\n', 1))
                WHEN exception NOT LIKE 'Traceback (most recent call last):%'
                     AND exception NOT LIKE '  + Exception Group Traceback (most recent call last):%'
                     AND split_part(exception, E'\n', 2) NOT IN ('Traceback (most recent call last):',
                                                                '  + Exception Group Traceback (most recent call last):')
                     AND NOT (split_part(exception, E'\n', 2) = '"""'
                              AND split_part(exception, E'\n', 1) LIKE '%RemoteTraceback:%')
                THEN split_part(exception, E'\n', 1)
                     || CASE WHEN split_part(exception, E'\n', 2) LIKE '    at %' THEN heartlog_exception_cause(exception)
                             WHEN split_part(exception, E'\n', 2) LIKE E'\tat %'
                             THEN heartlog_jvm_cause(exception, split_part(exception, E'\n', 1))
                             ELSE ''
                        END
                WHEN split_part(rtrim(exception, E' \t\r\n'), E'\n', -1) !~ '^\s'
                     AND split_part(rtrim(exception, E' \t\r\n'), E'\n', -2) ~ '^(?:    |  File "|Traceback \(most recent call last\):$)'
                THEN split_part(rtrim(exception, E' \t\r\n'), E'\n', -1)
                WHEN right(exception, 80) ~ E'\n[ \t]*\\+-{36}[ \t\r\n]*$'
                     AND exception LIKE '%  + Exception Group Traceback (most recent call last):%'
                THEN heartlog_exception_group_name(exception)
                WHEN exception LIKE '--- Logging error ---%'
                THEN rtrim(substring(split_part(exception, E'\nCall stack:\n', 1)
                                     FROM E'^.*\n  File "[^\n]*\n(?:[ \t][^\n]*\n)*([^ \t\n][^\n]*)'))
                ELSE rtrim(substring(rtrim(exception, E' \t\r\n')
                                     FROM E'^.*\n  File "[^\n]*\n(?:[ \t][^\n]*\n)*([^ \t\n][^\n]*)'))
           END
$$;
