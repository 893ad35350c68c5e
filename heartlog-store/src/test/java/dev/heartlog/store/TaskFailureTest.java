package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the task list sums up a task that several workers logged for: its errors, its workers and
 * its failure, the message of its latest error, even where errors share a time; and the line that
 * names the exception explaining the failure.
 */
class TaskFailureTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private static Store store;

  private static Map<String, RecentTask> tasks;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "gpu-b", records(
          record(30, "INFO", "claimed t-split", "t-split"),
          record(20, "ERROR", "shard 1 failed", "t-split"),
          // Two errors of one task made at the same time: the one stored second is its failure.
          record(5, "ERROR", "tie stored first", "t-tie"),
          record(5, "ERROR", "tie stored second", "t-tie")));
      TestDatabase.heartbeat(c, "gpu-a", records(
          record(25, "INFO", "claimed t-split's second shard", "t-split"),
          record(10, "CRITICAL", "shard 2 lost its GPU", "t-split"),
          record(8, "INFO", "cleaned up shard 2", "t-split"),
          // Another task's error at the same time as t-tie's, stored after both of them.
          record(5, "ERROR", "another task's failure", "t-other"),
          record(4, "INFO", "t-tie's record after its errors", "t-tie")));
      TestDatabase.heartbeat(c, "gpu-c", records(
          // A Python worker's logger.exception, then its closing line, which has no traceback.
          traced(15, "ERROR", "render failed", "t-closing", PYTHON_TRACEBACK),
          // A warning's exception after it explains no failure.
          traced(14, "WARNING", "retrying without the cache", "t-closing", JAVA_TRACE),
          record(13, "ERROR", "Task failed", "t-closing"),
          traced(14, "ERROR", "first attempt failed", "t-java",
              "java.lang.IllegalStateException: first attempt\\n\\tat ex.Main.main(Main.java:9)"),
          traced(12, "ERROR", "render failed", "t-java", JAVA_TRACE),
          // An exception raised while handling another: the traceback's last line names it.
          traced(11, "CRITICAL", "worker crashed", "t-chained", CHAINED_TRACEBACK),
          // A traced warning is no failure, and so explains none.
          traced(10, "WARNING", "slow frame", "t-warned", JAVA_TRACE),
          record(9, "ERROR", "Task failed", "t-warned"),
          // Two traced errors made at the same time: the one stored second explains the failure.
          traced(7, "ERROR", "tie stored first", "t-tie-traced", "java.lang.RuntimeException: stored first"),
          traced(7, "ERROR", "tie stored second", "t-tie-traced", "java.lang.RuntimeException: stored second"),
          // A traceback cut short, ending in a line of code: no line names its exception.
          traced(6, "ERROR", "render failed", "t-cut", "Traceback (most recent call last):\\n"
              + "  File \\\"worker.py\\\", line 410, in process_single_task\\n    frames = pipeline(prompt)"),
          // An exception group's boxed traceback: named by the first exception in the box.
          traced(5, "ERROR", "ExceptionGroup: render failed (2 sub-exceptions)", "t-group",
              "  + Exception Group Traceback (most recent call last):\\n  |   File \\\"worker.py\\\", line 9, in <module>\\n"
              + "  | ExceptionGroup: render failed (2 sub-exceptions)\\n  +-+---------------- 1 ----------------\\n"
              + "    | ValueError: frame 1\\n    +------------------------------------"),
          // A C++ abort (heartlog run's record of the worker's exit): named by the exception's
          // type and what(), as heartlog run names the abort's own record. An abort over no
          // exception, or whose what() says nothing, by its first line.
          traced(3, "ERROR", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)", "t-abort",
              "terminate called after throwing an instance of 'c10::Error'\\n  what():  CUDA error: out of memory \\n"
              + "Exception raised from malloc at CUDACachingAllocator.cpp:1131 (most recent call first):"),
          traced(3, "ERROR", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)", "t-abort-bare",
              "terminate called without an active exception"),
          traced(3, "ERROR", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)", "t-abort-silent",
              "terminate called after throwing an instance of 'render::Empty'\\n  what():  \\nframe #0: main + 0x9"),
          // HotSpot's report of the JVM's crash: named by what it was and its frame, not by its
          // first line, "#"; an internal error by both its lines; a lack of memory by its first two.
          traced(3, "ERROR", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)", "t-jvm-crash",
              "#\\n# A fatal error has been detected by the Java Runtime Environment:\\n#\\n"
              + "#  SIGSEGV (0xb) at pc=0x00007f3a2c4f1a2b, pid=4242, tid=4243\\n#\\n"
              + "# JRE version: OpenJDK Runtime Environment (17.0.15+6)\\n# Problematic frame:\\n"
              + "# C  [libcuda.so.1+0x2c4f1a]  cuLaunchKernel+0x1a\\n#"),
          traced(3, "ERROR", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)", "t-jvm-internal",
              "#\\n# A fatal error has been detected by the Java Runtime Environment:\\n#\\n"
              + "#  Internal Error (debug.cpp:362), pid=4242, tid=4243\\n"
              + "#  fatal error: OutOfMemory encountered: Java heap space\\n#\\n# JRE version: OpenJDK"),
          traced(3, "ERROR", "the worker process exited with code 1", "t-jvm-memory",
              "#\\n# There is insufficient memory for the Java Runtime Environment to continue.\\n"
              + "# Native memory allocation (mmap) failed to map 65536 bytes for committing reserved memory.\\n"
              + "# An error report file with more information is saved as:\\n# /app/hs_err_pid4242.log"),
          // PyTorch's CUDA error, whose message goes on for three lines below its exception line;
          // and a validation error whose message does, indented.
          traced(2, "ERROR", "the worker process exited with code 1", "t-cuda", CUDA_TRACEBACK),
          traced(2, "ERROR", "the worker process exited with code 1", "t-pydantic", "Traceback (most recent call last):\\n"
              + "  File \\\"w.py\\\", line 3, in <module>\\n    M(a=\\\"x\\\")\\n"
              + "pydantic_core._pydantic_core.ValidationError: 1 validation error for M\\na\\n"
              + "  Input should be a valid integer [type=int_parsing]\\n"
              + "    For further information visit https://errors.pydantic.dev/2.5/v/int_parsing"),
          // A Rust panic, whose message comes on the line after its first since Rust 1.73, and
          // one before, whose message is on its first line.
          traced(2, "ERROR", "the worker process exited with code 101", "t-rust",
              "thread 'main' (8589) panicked at src/queue.rs:1:30:\\n"
              + "index out of bounds: the len is 3 but the index is 5\\nstack backtrace:\\n   0: worker::claim"),
          traced(2, "ERROR", "the worker process exited with code 101", "t-rust-old",
              "thread 'render' panicked at 'CUDA device not found', src/gpu.rs:12:9\\n"
              + "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"),
          // Node.js's uncaught error, below the place it was thrown, that line of source and a
          // caret; and a package not installed, thrown from Node.js's own loader.
          traced(2, "ERROR", "the worker process exited with code 1", "t-node", "/app/worker.js:12\\n"
              + "    throw new Error(\\\"out of host memory\\\");\\n    ^\\n\\nError: out of host memory\\n"
              + "    at render (/app/worker.js:12:11)\\n\\nNode.js v20.11.1"),
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-module",
              "node:internal/modules/cjs/loader:1080\\n  throw err;\\n  ^\\n\\nError: Cannot find module 'sharp'\\n"
              + "Require stack:\\n- /app/worker.js\\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)"),
          // An error with no frames, which Node.js prints in brackets over its properties (a
          // file system call's); and a thrown array, which is no error.
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-fs", "/app/worker.js:2\\n"
              + "fs.readFile(p, (err) => { if (err) throw err; });\\n                                ^\\n\\n"
              + "[Error: ENOENT: no such file or directory, open '/models/sd.bin'] {\\n  errno: -2,\\n"
              + "  code: 'ENOENT'\\n}\\n\\nNode.js v20.20.2"),
          // What Node.js 20 prints with no blank line below the caret: a thrown array, a thrown
          // string (and its note), a worker thread's error; and a file that ended too soon, whose
          // line of source is blank, and no caret.
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-array", "/app/worker.js:1\\n"
              + "throw [\\\"frame 3\\\"];\\n^\\n[ 'frame 3' ]\\n\\nNode.js v20.20.2"),
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-string", "/app/worker.js:1\\n"
              + "setTimeout(() => { throw \\\"oops\\\"; }, 10);\\n                   ^\\noops\\n"
              + "(Use `node --trace-uncaught ...` to show where the exception was thrown)\\n\\nNode.js v20.20.2"),
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-thread", "node:internal/event_target:1105\\n"
              + "  process.nextTick(() => { throw err; });\\n                           ^\\n"
              + "RangeError [Error]: frame 9 out of range\\n    at Object.<anonymous> (/app/worker.js:6:9)\\n"
              + "Emitted 'error' event on Worker instance at:\\n    at [kOnErrorMessage] (node:internal/worker:333:10)\\n\\n"
              + "Node.js v20.20.2"),
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-syntax", "/app/worker.js:2\\n\\n\\n\\n"
              + "SyntaxError: Unexpected end of input\\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)\\n\\n"
              + "Node.js v20.20.2"),
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-syntax-short", "/app/worker.js:2\\n\\n"
              + "SyntaxError: Unexpected end of input\\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)"),
          // A JavaScript error with a cause: Node.js's fetch failing uncaught, as Node.js prints it
          // (the cause below the error's frames, an error with no frames in brackets); logged
          // (console.error), its cause's cause deepest; as pino's serializer writes its stack.
          traced(2, "ERROR", "the worker process exited with code 1", "t-node-cause", "/app/worker.js:4\\n"
              + "    await fetch(url);\\n    ^\\n\\nTypeError: fetch failed\\n"
              + "    at async /app/worker.js:4:5 {\\n  [cause]: [Error: bad port] {\\n    code: 'ERR_BAD_PORT'\\n  }\\n}\\n\\n"
              + "Node.js v20.20.2"),
          traced(2, "ERROR", "render failed", "t-node-causes", "Error: render failed\\n    at render (/app/worker.js:9:11) {\\n"
              + "  [cause]: TypeError: fetch failed\\n      at async post (/app/api.js:3:3) {\\n"
              + "    [cause]: Error: connect ECONNREFUSED 127.0.0.1:8188\\n"
              + "        at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {\\n"
              + "      errno: -111,\\n      code: 'ECONNREFUSED'\\n    }\\n  }\\n}"),
          traced(2, "ERROR", "fetch failed: getaddrinfo ENOTFOUND api.example.com", "t-pino-cause",
              "TypeError: fetch failed\\n    at async post (/app/api.js:3:3)\\n"
              + "caused by: Error: getaddrinfo ENOTFOUND api.example.com\\n    at GetAddrInfoReqWrap.onlookupall (node:dns:122:26)"),
          // torchrun's failure: its exception's message is a report of many lines, some of them
          // indented as a frame's lines are.
          traced(2, "ERROR", "the worker process exited with code 1", "t-torchrun", "Traceback (most recent call last):\\n"
              + "  File \\\"/usr/local/bin/torchrun\\\", line 8, in <module>\\n    sys.exit(main())\\n"
              + "torch.distributed.elastic.multiprocessing.errors.ChildFailedError: \\n"
              + "============================================================\\ntrain.py FAILED\\n"
              + "Root Cause (first observed failure):\\n[0]:\\n  time      : 2026-12-05_07:39:06\\n"
              + "  exitcode  : -6 (pid: 37881)\\n"
              + "  traceback : To enable traceback see: https://pytorch.org/docs/stable/elastic/errors.html\\n"
              + "============================================================"),
          // A JVM's uncaught exception, after the words the JVM puts before it on its line.
          traced(2, "ERROR", "the worker process exited with code 1", "t-java-thread",
              "Exception in thread \\\"DefaultDispatcher-worker-1 @render#2\\\" java.lang.IllegalStateException: "
              + "CUDA device 0 not found\\n\\tat Main.main(Main.java:4)"),
          // Causes: the deepest named after the exception, unless the exception names it, and
          // not a suppressed exception's; an uncaught exception's too.
          traced(2, "ERROR", "task failed", "t-java-causes",
              "com.example.TaskFailedException: task 42 failed\\n\\tat com.example.Worker.run(Worker.java:30)\\n"
              + "Caused by: java.lang.RuntimeException: decode failed\\n\\tat com.example.Decoder.decode(Decoder.java:9)\\n"
              + "\\t... 1 more\\nCaused by: java.io.IOException: No space left on device\\n"
              + "\\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)\\n\\t... 2 more"),
          traced(2, "ERROR", "task failed", "t-java-wrapped",
              "java.util.concurrent.ExecutionException: java.io.IOException: No space left on device\\n"
              + "\\tat java.base/java.util.concurrent.FutureTask.report(FutureTask.java:122)\\n"
              + "Caused by: java.io.IOException: No space left on device\\n\\t... 4 more"),
          traced(2, "ERROR", "task failed", "t-java-suppressed",
              "java.lang.IllegalStateException: CUDA out of memory\\n\\tat Main.main(Main.java:4)\\n"
              + "Caused by: java.io.IOException: device lost\\n\\tat Main.read(Main.java:9)\\n"
              + "\\tSuppressed: java.io.IOException: close failed\\n\\t\\tat Main.main(Main.java:5)\\n"
              + "\\tCaused by: java.lang.Error: socket reset\\n\\t\\t... 1 more"),
          traced(2, "ERROR", "the worker process exited with code 1", "t-java-thread-cause",
              "Exception in thread \\\"main\\\" java.lang.IllegalStateException: task 43 failed\\n"
              + "\\tat Main.main(Main.java:4)\\nCaused by: java.io.IOException: device lost\\n\\t... 1 more"),
          // A thread's name may hold quotes; an exception's message too.
          traced(2, "ERROR", "the worker process exited with code 1", "t-java-quoted",
              "Exception in thread \\\"render \\\" 2\\\" java.lang.NullPointerException\\n\\tat Main.main(Main.java:4)"),
          // A process pool's failure: the worker process's traceback, quoted, then the pool's
          // own, which raised the worker's exception again (as Python prints it; heartlog run
          // stores it without the space after "RemoteTraceback:").
          traced(2, "ERROR", "the worker process exited with code 1", "t-pool",
              "multiprocessing.pool.RemoteTraceback: \\n\\\"\\\"\\\"\\nTraceback (most recent call last):\\n"
              + "  File \\\"/usr/lib/python3.11/multiprocessing/pool.py\\\", line 125, in worker\\n"
              + "    result = (True, func(*args, **kwds))\\nValueError: bad frame 2\\n\\\"\\\"\\\"\\n\\n"
              + "The above exception was the direct cause of the following exception:\\n\\n"
              + "Traceback (most recent call last):\\n  File \\\"w.py\\\", line 8, in <module>\\n"
              + "    print(p.map(render, range(4)))\\n"
              + "  File \\\"/usr/lib/python3.11/multiprocessing/pool.py\\\", line 774, in get\\n"
              + "    raise self._value\\nValueError: bad frame 2\\n"),
          traced(2, "ERROR", "ValueError: bad frame 3", "t-futures",
              "concurrent.futures.process._RemoteTraceback:\\n\\\"\\\"\\\"\\nTraceback (most recent call last):\\n"
              + "  File \\\"w.py\\\", line 6, in render\\n    raise ValueError(f\\\"bad frame {n}\\\")\\n"
              + "ValueError: bad frame 3\\n\\\"\\\"\\\"\\n\\n"
              + "The above exception was the direct cause of the following exception:\\n\\n"
              + "Traceback (most recent call last):\\n"
              + "  File \\\"/usr/lib/python3.11/concurrent/futures/_base.py\\\", line 401, in __get_result\\n"
              + "    raise self._exception\\nValueError: bad frame 3"),
          // Python's report of a log call whose arguments did not fit its message: its
          // traceback, then the call's frames, its message and its arguments.
          traced(2, "ERROR", "TypeError: %d format: a real number is required, not str", "t-log-call",
              "--- Logging error ---\\nTraceback (most recent call last):\\n"
              + "  File \\\"/usr/lib/python3.11/logging/__init__.py\\\", line 377, in getMessage\\n"
              + "    msg = msg % self.args\\nTypeError: %d format: a real number is required, not str\\n"
              + "Call stack:\\n  File \\\"w.py\\\", line 5, in <module>\\n"
              + "    log.info(\\\"frame %d rendered\\\", \\\"three\\\")\\n"
              + "Message: 'frame %d rendered'\\nArguments: ('three',)\\n"),
          // A record logged with stack_info=True: the stack where it was made, and no exception.
          traced(2, "ERROR", "frame 3 took 40 s", "t-stack-info", "Stack (most recent call last):\\n"
              + "  File \\\"w.py\\\", line 6, in <module>\\n    render()\\n"
              + "  File \\\"w.py\\\", line 5, in render\\n    log.error(\\\"frame 3 took 40 s\\\", stack_info=True)"),
          // Any other exception whose message goes on in quotes is named by its first line.
          traced(2, "ERROR", "prompt rejected", "t-quoted",
              "java.lang.IllegalArgumentException: bad prompt:\\n\\\"\\\"\\\"\\n{\\\"steps\\\": -1}\\n\\\"\\\"\\\"\\n"
              + "\\tat Render.parse(Render.java:12)"),
          // A thread's uncaught exception, below the line Python prints of whose it is.
          traced(2, "ERROR", "Task failed", "t-thread", "Exception in thread Thread-1 (work):\\n"
              + "Traceback (most recent call last):\\n  File \\\"w.py\\\", line 4, in work\\n"
              + "RuntimeError: CUDA error: an illegal memory access was encountered"),
          // A worker whose handler writes every record's exception, null where there is none
          // (Python's {"exception": record.exc_text}): the null explains nothing, nor does an
          // empty one, or one of white space.
          traced(4, "ERROR", "render failed", "t-null", PYTHON_TRACEBACK),
          withMetadata(4, "ERROR", "render retried", "t-null", "{\"exception\": \"\\t\"}"),
          withMetadata(3, "ERROR", "frame 3 failed", "t-null", "{\"exception\": \"\"}"),
          withMetadata(3, "ERROR", "frame 4 failed", "t-null", "{\"exception\": \" \\n\"}"),
          withMetadata(2, "ERROR", "Task failed", "t-null", "{\"exception\": null}")));
      return null;
    });
    tasks = store.tasks(new TaskFilter(null, NOW.minus(Duration.ofHours(1)), null, false, 50)).stream()
        .collect(Collectors.toMap(RecentTask::id, Function.identity()));
  }

  private static String record(int minutesAgo, String level, String message, String task) {
    return TestRecords.record(NOW.minus(Duration.ofMinutes(minutesAgo)), level, message, task);
  }

  private static String traced(int minutesAgo, String level, String message, String task, String exception) {
    return TestRecords.traced(NOW.minus(Duration.ofMinutes(minutesAgo)), level, message, task, exception);
  }

  private static String withMetadata(int minutesAgo, String level, String message, String task, String metadata) {
    return TestRecords.withMetadata(NOW.minus(Duration.ofMinutes(minutesAgo)), level, message, task, metadata);
  }

  private static String records(String... records) {
    return TestRecords.records(records);
  }

  private static final String PYTHON_TRACEBACK = "Traceback (most recent call last):\\n"
      + "  File \\\"worker.py\\\", line 410, in process_single_task\\n"
      + "    frames = pipeline(prompt)\\n"
      + "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n";

  private static final String CUDA_TRACEBACK = "Traceback (most recent call last):\\n"
      + "  File \\\"worker.py\\\", line 12, in render\\n"
      + "    frames = decode(latents)\\n"
      + "RuntimeError: CUDA error: device-side assert triggered\\n"
      + "CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be"
      + " incorrect.\\n"
      + "For debugging consider passing CUDA_LAUNCH_BLOCKING=1\\n"
      + "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\\n";

  private static final String JAVA_TRACE = "java.lang.IllegalStateException: CUDA out of memory\\n"
      + "\\tat ex.Render.frame(Render.java:12)\\n"
      + "Caused by: java.io.IOException: device lost\\n\\t... 3 more";

  private static final String CHAINED_TRACEBACK = "Traceback (most recent call last):\\n"
      + "  File \\\"worker.py\\\", line 20, in run\\n"
      + "KeyError: 'frames'\\n\\n"
      + "During handling of the above exception, another exception occurred:\\n\\n"
      + "Traceback (most recent call last):\\n"
      + "  File \\\"worker.py\\\", line 22, in run\\n"
      + "RuntimeError: no frames to encode";

  /**
   * The line naming the exception is read by one SQL function (R__exception_name.sql) that both
   * queries call. Inlined, it is the expression it holds, planned into each query; called, it
   * would be run through the SQL function executor once per task, and a change that stopped
   * PostgreSQL inlining it (a STRICT, a SET clause, a second statement) says so only here.
   */
  @Test
  void bothQueriesHaveTheFunctionThatNamesTheExceptionInlined() {
    Map<String, String> plans = store.withConnection(c -> {
      Array tasks = c.createArrayOf("text", new String[] {"t-cuda"});
      return Map.of(
          "task-summaries", verbosePlan(c, "task-summaries", Map.of("tasks", tasks)),
          "worker-task-failures", verbosePlan(c, "worker-task-failures", Map.of("tasks", tasks,
              "failed_at", c.createArrayOf("timestamptz", new Object[] {java.sql.Timestamp.from(NOW)}),
              "traced_at", c.createArrayOf("timestamptz", new Object[] {java.sql.Timestamp.from(NOW.minusSeconds(60))}),
              "worker", "gpu-c")));
    });

    plans.forEach((query, plan) -> assertThat(plan).as(query)
        .contains("split_part(")
        .doesNotContain("heartlog_exception_name")
        .doesNotContain("heartlog_exception_group_name")
        .doesNotContain("heartlog_exception_cause"));
  }

  /** EXPLAIN VERBOSE of the store's query {@code name}, each of its parameters bound from {@code values}. */
  private static String verbosePlan(Connection connection, String name, Map<String, Object> values) throws SQLException {
    return TestDatabase.explain(connection, "VERBOSE", name, values);
  }

  @Test
  void aTaskSplitOverTwoWorkersIsSummedUpOverBothWithTheLatestErrorOfEitherAsItsFailure() {
    RecentTask split = tasks.get("t-split");

    assertThat(split.workers()).as("in byte order").containsExactly("gpu-a", "gpu-b");
    assertThat(split.records()).isEqualTo(5);
    assertThat(split.errors()).as("ERROR and CRITICAL, from both workers").isEqualTo(2);
    assertThat(split.firstAt()).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
    assertThat(split.lastAt()).isEqualTo(NOW.minus(Duration.ofMinutes(8)));
    assertThat(split.failure()).as("gpu-a's error, later than gpu-b's").isEqualTo("shard 2 lost its GPU");
  }

  @Test
  void ofTwoErrorsMadeAtTheSameTimeTheOneStoredLastIsTheFailureNeverAnotherTasksError() {
    assertThat(tasks.get("t-tie").failure()).isEqualTo("tie stored second");
    assertThat(tasks.get("t-tie").errors()).isEqualTo(2);
    assertThat(tasks.get("t-other").failure()).isEqualTo("another task's failure");
  }

  @Test
  void aClosingLineWithoutATracebackIsExplainedByTheLastErrorBeforeItThatHadOne() {
    assertThat(tasks.get("t-closing").failure()).isEqualTo("Task failed");
    assertThat(tasks.get("t-closing").failureException())
        .as("a Python traceback names its exception on its last line")
        .isEqualTo("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB");
  }

  @Test
  void aFailureWithAnExceptionOfItsOwnIsExplainedByItNotByAnEarlierError() {
    assertThat(tasks.get("t-java").failure()).isEqualTo("render failed");
    assertThat(tasks.get("t-java").failureException())
        .as("a Java stack trace names its exception on its first line, its deepest cause after it")
        .isEqualTo("java.lang.IllegalStateException: CUDA out of memory, caused by java.io.IOException: device lost");
    assertThat(tasks.get("t-chained").failureException())
        .as("of chained exceptions, the one raised last").isEqualTo("RuntimeError: no frames to encode");
    assertThat(tasks.get("t-tie-traced").failureException()).isEqualTo("java.lang.RuntimeException: stored second");
  }

  /**
   * A Python exception whose message goes on below its line: named by that line, the first after
   * the last frame, where the trace's last line was taken (PyTorch's "Compile with
   * `TORCH_USE_CUDA_DSA` ...", torchrun's line of "="), or none where it was indented.
   */
  @Test
  void aPythonExceptionWhoseMessageGoesOnIsNamedByItsLineAfterTheLastFrame() {
    assertThat(tasks.get("t-cuda").failureException()).isEqualTo("RuntimeError: CUDA error: device-side assert triggered");
    assertThat(tasks.get("t-pydantic").failureException())
        .isEqualTo("pydantic_core._pydantic_core.ValidationError: 1 validation error for M");
    assertThat(tasks.get("t-torchrun").failureException()).as("not the report's last line, after its indented ones")
        .isEqualTo("torch.distributed.elastic.multiprocessing.errors.ChildFailedError:");
  }

  /** Python's report of a log call that failed is named by its traceback's exception, not by the call's message after it. */
  @Test
  void aLogCallsFailureIsNamedByItsTracebacksExceptionNotByTheLinesAfterIt() {
    assertThat(tasks.get("t-log-call").failureException()).isEqualTo("TypeError: %d format: a real number is required, not str");
  }

  /** A thread's traceback is read as any Python traceback, not named by the line above it that says whose it is. */
  @Test
  void aThreadsTracebackIsNamedByItsException() {
    assertThat(tasks.get("t-thread").failureException())
        .isEqualTo("RuntimeError: CUDA error: an illegal memory access was encountered");
  }

  /** A JVM's uncaught exception is named as a logger stores it, without the thread it ended. */
  @Test
  void aJvmsUncaughtExceptionIsNamedWithoutTheWordsBeforeIt() {
    assertThat(tasks.get("t-java-thread").failureException())
        .isEqualTo("java.lang.IllegalStateException: CUDA device 0 not found");
    assertThat(tasks.get("t-java-quoted").failureException()).isEqualTo("java.lang.NullPointerException");
  }

  /**
   * A process pool's failure is named by the exception the pool raised again, on its last line,
   * not by the quoted traceback of the worker process that begins it, which every pool's says.
   */
  @Test
  void aProcessPoolsFailureIsNamedByItsExceptionNotByTheWorkerProcesssTracebackBeforeIt() {
    assertThat(tasks.get("t-pool").failureException()).isEqualTo("ValueError: bad frame 2");
    assertThat(tasks.get("t-futures").failureException()).isEqualTo("ValueError: bad frame 3");
    assertThat(tasks.get("t-quoted").failureException()).as("no pool's: no RemoteTraceback above its quotes")
        .isEqualTo("java.lang.IllegalArgumentException: bad prompt:");
  }

  /** Node.js's uncaught error is named by its error's line, not by the place above it. */
  @Test
  void nodesUncaughtErrorIsNamedByItsErrorNotItsPlace() {
    assertThat(tasks.get("t-node").failureException()).isEqualTo("Error: out of host memory");
    assertThat(tasks.get("t-node-module").failureException()).isEqualTo("Error: Cannot find module 'sharp'");
    assertThat(tasks.get("t-node-fs").failureException()).as("without the brackets of an error with no frames")
        .isEqualTo("Error: ENOENT: no such file or directory, open '/models/sd.bin'");
    assertThat(tasks.get("t-node-array").failureException()).isEqualTo("[ 'frame 3' ]");
    assertThat(tasks.get("t-node-string").failureException()).isEqualTo("oops");
    assertThat(tasks.get("t-node-thread").failureException()).as("not Node.js's version, after the first blank line")
        .isEqualTo("RangeError [Error]: frame 9 out of range");
    assertThat(tasks.get("t-node-syntax").failureException()).isEqualTo("SyntaxError: Unexpected end of input");
    assertThat(tasks.get("t-node-syntax-short").failureException()).as("no caret: not the frame on the fourth line")
        .isEqualTo("SyntaxError: Unexpected end of input");
  }

  /**
   * A JavaScript error that has a cause is named by its line and what its deepest cause says:
   * Node.js's fetch fails as "TypeError: fetch failed" whatever failed.
   */
  @Test
  void aJavaScriptErrorWithACauseIsNamedByItsLineAndItsDeepestCausesLine() {
    assertThat(tasks.get("t-node-cause").failureException()).as("uncaught; the cause without its brackets")
        .isEqualTo("TypeError: fetch failed, caused by Error: bad port");
    assertThat(tasks.get("t-node-causes").failureException()).as("logged; the cause of its cause")
        .isEqualTo("Error: render failed, caused by Error: connect ECONNREFUSED 127.0.0.1:8188");
    assertThat(tasks.get("t-pino-cause").failureException()).as("pino's stack, its cause's appended")
        .isEqualTo("TypeError: fetch failed, caused by Error: getaddrinfo ENOTFOUND api.example.com");
  }

  /**
   * A JVM's exception is followed by its deepest cause, where it does not name that itself: a
   * worker's own wrapper ("task 42 failed") made every fault one kind before.
   */
  @Test
  void aJvmsExceptionIsNamedByItsLineAndItsDeepestCausesUnlessItNamesItAlready() {
    assertThat(tasks.get("t-java-causes").failureException())
        .isEqualTo("com.example.TaskFailedException: task 42 failed, caused by java.io.IOException: No space left on device");
    assertThat(tasks.get("t-java-wrapped").failureException()).as("the wrapper made of its cause names it")
        .isEqualTo("java.util.concurrent.ExecutionException: java.io.IOException: No space left on device");
    assertThat(tasks.get("t-java-suppressed").failureException()).as("a suppressed exception's cause is none of the chain's")
        .isEqualTo("java.lang.IllegalStateException: CUDA out of memory, caused by java.io.IOException: device lost");
    assertThat(tasks.get("t-java-thread-cause").failureException())
        .isEqualTo("java.lang.IllegalStateException: task 43 failed, caused by java.io.IOException: device lost");
  }

  /** A Rust panic is named as heartlog run names its record: its first line, and its message where that comes after. */
  @Test
  void aRustPanicIsNamedByItsPlaceAndItsMessage() {
    assertThat(tasks.get("t-rust").failureException())
        .isEqualTo("thread 'main' (8589) panicked at src/queue.rs:1:30: index out of bounds: the len is 3 but the index is 5");
    assertThat(tasks.get("t-rust-old").failureException())
        .isEqualTo("thread 'render' panicked at 'CUDA device not found', src/gpu.rs:12:9");
  }

  @Test
  void aCppAbortIsNamedByItsExceptionsTypeAndWhatAndWithoutWhatByItsFirstLine() {
    assertThat(tasks.get("t-abort").failureException()).isEqualTo("c10::Error: CUDA error: out of memory");
    assertThat(tasks.get("t-abort-bare").failureException()).isEqualTo("terminate called without an active exception");
    assertThat(tasks.get("t-abort-silent").failureException())
        .isEqualTo("terminate called after throwing an instance of 'render::Empty'");
  }

  @Test
  void theJvmsCrashIsNamedByWhatItWasAndWhereNotByItsReportsFirstLine() {
    assertThat(tasks.get("t-jvm-crash").failureException()).isEqualTo("SIGSEGV (0xb) in C [libcuda.so.1+0x2c4f1a] cuLaunchKernel+0x1a");
    assertThat(tasks.get("t-jvm-internal").failureException())
        .isEqualTo("Internal Error (debug.cpp:362): fatal error: OutOfMemory encountered: Java heap space");
    assertThat(tasks.get("t-jvm-memory").failureException()).isEqualTo("There is insufficient memory for the Java Runtime"
        + " Environment to continue. Native memory allocation (mmap) failed to map 65536 bytes for committing reserved memory.");
  }

  @Test
  void anExceptionThatIsNullEmptyOrWhiteSpaceExplainsNothingAndTheErrorBeforeItDoes() {
    assertThat(tasks.get("t-null").failure()).isEqualTo("Task failed");
    assertThat(tasks.get("t-null").failureException())
        .isEqualTo("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB");
  }

  /** An exception group's is named by the first exception in it (ExceptionGroupTest), not by its box. */
  @Test
  void anExceptionGroupIsNamedByTheFirstExceptionInIt() {
    assertThat(tasks.get("t-group").failureException()).isEqualTo("ValueError: frame 1");
  }

  @Test
  void noLineIsShownWhereNoErrorNamesItsException() {
    assertThat(tasks.get("t-split").failureException()).isNull();
    assertThat(tasks.get("t-warned").failureException()).as("its only exception is a warning's").isNull();
    assertThat(tasks.get("t-cut").failureException()).as("not a line of the worker's code").isNull();
    assertThat(tasks.get("t-stack-info").failureException()).as("a stack alone, where the record was made, names none")
        .isNull();
    assertThat(tasks.get("t-stack-info").failure()).isEqualTo("frame 3 took 40 s");
  }

  @Test
  void everyTaskWithARecordInTheRangeIsListed() {
    assertThat(tasks.keySet()).containsExactlyInAnyOrder(
        "t-split", "t-tie", "t-other", "t-closing", "t-java", "t-chained", "t-warned", "t-tie-traced", "t-cut", "t-group",
        "t-null", "t-java-causes", "t-java-wrapped", "t-java-suppressed", "t-java-thread-cause", "t-abort", "t-abort-bare", "t-abort-silent", "t-jvm-crash", "t-jvm-internal", "t-jvm-memory", "t-cuda", "t-pydantic", "t-rust",
        "t-rust-old", "t-node", "t-node-module", "t-thread", "t-java-thread", "t-java-quoted",
        "t-torchrun", "t-pool", "t-futures", "t-quoted", "t-node-fs", "t-node-array",
        "t-log-call", "t-stack-info", "t-node-string", "t-node-thread", "t-node-syntax",
        "t-node-syntax-short", "t-node-cause", "t-node-causes", "t-pino-cause");
    assertThat(tasks.values()).extracting(RecentTask::failed).containsOnly(true);
    assertThat(List.of(tasks.get("t-tie").workers(), tasks.get("t-other").workers()))
        .containsExactly(List.of("gpu-a", "gpu-b"), List.of("gpu-a"));
  }
}
