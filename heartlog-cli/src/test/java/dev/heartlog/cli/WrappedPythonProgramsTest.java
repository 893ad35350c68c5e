package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.exitRecord;
import static dev.heartlog.cli.WrappedWorkers.records;
import static dev.heartlog.cli.WrappedWorkers.stderrRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python workers run for real under {@code heartlog run}: what Python and its logging print as a
 * worker logs, fails and dies, and what becomes of it in the store. Debian's {@code python3};
 * a test whose library is missing is skipped ({@code .ci/run} installs them).
 */
@Timeout(60)
class WrappedPythonProgramsTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /**
   * The first ten lines of a program whose loggers each have a format of their own: {@code
   * logger(name, fmt)} makes one, printing on stderr.
   */
  private static final String ONE_FORMAT_A_LOGGER = """
      import logging, sys

      def logger(name, fmt, datefmt=None, style="%"):
          handler = logging.StreamHandler(sys.stderr)
          handler.setFormatter(logging.Formatter(fmt, datefmt=datefmt, style=style))
          log = logging.getLogger(name)
          log.handlers, log.propagate = [handler], False
          log.setLevel(logging.INFO)
          return log

      """;

  @TempDir Path folder;

  /** {@code heartlog run} of {@code command} as {@code worker}, storing into {@code url}. */
  private Cli.Result heartlogRun(String worker, String url, String... command) {
    return WrappedWorkers.heartlogRun(folder, worker, url, List.of(), command);
  }

  /** {@code heartlog run} with {@code options} before the command. */
  private Cli.Result heartlogRun(String worker, String url, List<String> options, String... command) {
    return WrappedWorkers.heartlogRun(folder, worker, url, options, command);
  }

  @Test
  void aWrappedPythonWorkersStructlogLinesTakeTheirLevelsAndItsLoggedExceptionIsOneError() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import structlog").start().waitFor() == 0,
        "Python's structlog is needed (Debian's python3-structlog)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // structlog's default configuration: its console renderer, on stdout. Where rich is
    // installed, structlog draws its tracebacks in boxes instead, which are not joined: hidden.
    Path worker = Files.writeString(folder.resolve("render.py"), """
        import sys; sys.modules["rich"] = None
        import structlog

        log = structlog.get_logger()
        log.info("frame rendered", frame=7)
        log = log.bind(task_id="t-42")
        log.warning("low VRAM", free_mb=512)
        try:
            {}["frame"]
        except KeyError:
            log.exception("render failed")
        """);

    Cli.Result result = heartlogRun("wrapped-structlog", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-structlog");
    // Before, each message was the whole line, and the task the logger was bound to not the record's.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "frame rendered", null), tuple("WARNING", "low VRAM", "t-42"), tuple("ERROR", "render failed", "t-42"));
    assertThat(records.get(0).metadataJson()).contains("\"frame\": \"7\"");
    assertThat(records.get(2).exception()).startsWith("Traceback (most recent call last):\n")
        .contains("render.py\", line 9, in <module>").endsWith("KeyError: 'frame'");
  }

  @Test
  void aWorkerLoggingInTheFormatsPythonsCookbookAndDjangosDocumentationGiveGetsItsLevelsLoggersAndMessages()
      throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // Each logger its own format, as workers copy them; before, each line was stored whole.
    Path worker = Files.writeString(folder.resolve("formats.py"), ONE_FORMAT_A_LOGGER + """
        logger("render", "%(asctime)s %(name)-12s %(levelname)-8s %(message)s").info("frame 7 done")
        logger("upload", "%(asctime)s | %(name)s | %(levelname)s | %(message)s").warning("slow upload")
        logger("myapp.area1", "%(name)-12s: %(levelname)-8s %(message)s").info("area ready")
        logger("cache", "%(asctime)s:%(levelname)s:%(name)s:%(message)s").warning("cache miss: 3")
        logger("trainer", "[%(asctime)s][%(name)s][%(levelname)s] %(message)s").info("epoch 3")
        logger("loader", "%(asctime)s - %(name)s:%(lineno)d - %(levelname)s - %(message)s").error("bad file")
        logger("misc", "[%(levelname)s] %(asctime)s - %(message)s").warning("disk low")
        logger("placed", "%(asctime)s %(levelname)s %(filename)s:%(lineno)d %(message)s").info("placed")
        logger("fn", "%(asctime)s - %(name)s - %(levelname)s - %(funcName)s:%(lineno)d - %(message)s").info("in fn")
        logger("piped", "%(asctime)s | %(levelname)s | %(module)s:%(funcName)s:%(lineno)d - %(message)s").info("piped")
        logger("pid", "%(asctime)s %(process)d %(levelname)s %(message)s").warning("with its pid")
        tasks = logger("tasks", "{levelname} {asctime} {module} {process:d} {thread:d} {message}", style="{")
        try:
            raise RuntimeError("CUDA out of memory")
        except RuntimeError:
            tasks.exception("task failed")
        """);

    Cli.Result result = heartlogRun("wrapped-formats", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-formats");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::component).containsExactly(
        tuple("INFO", "frame 7 done", "render"), tuple("WARNING", "slow upload", "upload"),
        tuple("INFO", "area ready", "myapp.area1"), tuple("WARNING", "cache miss: 3", "cache"),
        tuple("INFO", "epoch 3", "trainer"), tuple("ERROR", "bad file", "loader"), tuple("WARNING", "disk low", null),
        tuple("INFO", "placed", null), tuple("INFO", "in fn", "fn"), tuple("INFO", "piped", "formats"),
        tuple("WARNING", "with its pid", null), tuple("ERROR", "task failed", null));
    assertThat(records.get(5).metadataJson()).contains("\"line\": 16");
    assertThat(records.get(7).metadataJson()).contains("\"file\": \"formats.py\"", "\"line\": 18");
    assertThat(records.get(8).metadataJson()).contains("\"function\": \"<module>\"", "\"line\": 19");
    assertThat(records.get(9).metadataJson()).contains("\"function\": \"<module>\"", "\"line\": 20");
    assertThat(records.get(10).metadataJson()).contains("\"pid\": ");
    assertThat(records.get(11).metadataJson()).contains("\"module\": \"formats\"", "\"pid\": ");
    assertThat(records.get(11).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory");
  }

  @Test
  void aWorkerGivingPythonsTimeTheDatefmtOfItsDocumentationGetsItsLevelsLoggersAndMessages() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // The datefmt of Python's logging HOWTO and cookbook, and of tutorials; before, each line was stored whole.
    Path worker = Files.writeString(folder.resolve("datefmts.py"), ONE_FORMAT_A_LOGGER + """
        logger("clock", "%(asctime)s %(levelname)s %(message)s", "%H:%M:%S").info("started")
        logger("millis", "%(asctime)s.%(msecs)03d %(levelname)s %(message)s", "%H:%M:%S").info("model loaded")
        logger("howto", "%(asctime)s - %(name)s - %(levelname)s - %(message)s", "%m/%d/%Y %I:%M:%S %p").warning("VRAM at 95%")
        logger("cookbook", "%(asctime)s %(name)-12s %(levelname)-8s %(message)s", "%m-%d %H:%M").info("frame 7 done")
        logger("first", "%(levelname)s %(asctime)s %(message)s", "%m/%d/%Y %I:%M:%S %p").warning("disk low")
        logger("placed", "%(asctime)s,%(msecs)d %(levelname)-8s [%(filename)s:%(lineno)d] %(message)s",
               "%Y-%m-%d:%H:%M:%S").info("placed")
        logger("zoned", "%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z").info("zoned")
        tutorial = logger("tutorial", "%(asctime)s - %(levelname)s - %(message)s", "%d-%b-%y %H:%M:%S")
        try:
            raise RuntimeError("CUDA out of memory")
        except RuntimeError:
            tutorial.exception("render failed")
        """);

    Cli.Result result = heartlogRun("wrapped-datefmts", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-datefmts");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::component).containsExactly(
        tuple("INFO", "started", null), tuple("INFO", "model loaded", null), tuple("WARNING", "VRAM at 95%", "howto"),
        tuple("INFO", "frame 7 done", "cookbook"), tuple("WARNING", "disk low", null), tuple("INFO", "placed", null),
        tuple("INFO", "zoned", null), tuple("ERROR", "render failed", null));
    assertThat(records.get(5).metadataJson()).contains("\"file\": \"datefmts.py\"", "\"line\": 17");
    assertThat(records.get(7).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory");
  }

  @Test
  void aWorkerGivingPythonsTimeItsZoneOrItsDaysNameGetsItsLevelsLoggersPlacesAndMessages() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A zone of POSIX's TZ syntax, which needs no tz database: %Z prints JST, %z +0900.
    // Before, the zone's name was the first record's logger, and every other line was stored whole.
    Path worker = Files.writeString(folder.resolve("zones.py"), ONE_FORMAT_A_LOGGER + """
        import os, time
        os.environ["TZ"] = "JST-9"
        time.tzset()
        logger("named", "%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S %Z").info("zone named")
        logger("offset", "[%(asctime)s] [%(levelname)s] - %(message)s", "%Y-%m-%d %H:%M:%S %z").info("offset")
        logger("twice", "%(asctime)s,%(msecs)03d %(levelname)s %(message)s").info("millis twice")
        logger("placed", "%(asctime)s %(filename)s[line:%(lineno)d] %(levelname)s %(message)s",
               "%a, %d %b %Y %H:%M:%S").warning("VRAM at 95%")
        logger("render", "%(asctime)s %(name)s[%(process)d] %(levelname)s %(message)s", "%b %d %H:%M:%S").info("frame 7")
        logger("first", "%(levelname)s %(asctime)s [%(name)s]: %(message)s", "%b %d %H:%M:%S").info("frame 8")
        logger("locale", "[%(asctime)s] %(levelname)s %(message)s", "%c").info("frame 9")
        """);

    Cli.Result result = heartlogRun("wrapped-zones", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-zones");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::component).containsExactly(
        tuple("INFO", "zone named", null), tuple("INFO", "offset", null), tuple("INFO", "millis twice", null),
        tuple("WARNING", "VRAM at 95%", null), tuple("INFO", "frame 7", "render"), tuple("INFO", "frame 8", "first"),
        tuple("INFO", "frame 9", null));
    assertThat(records.get(3).metadataJson()).contains("\"file\": \"zones.py\"", "\"line\": 18");
    assertThat(records.get(4).metadataJson()).contains("\"pid\": ");
  }

  @Test
  void aWorkerRunWithItsPythonFormatGetsTheLoggerAfterTheLevelAndItsTracebackJoinsItsError() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    String format = "%(asctime)s %(levelname)s %(name)s %(message)s";
    Path worker = Files.writeString(folder.resolve("queue.py"), """
        import logging
        logging.basicConfig(level=logging.INFO, format="%s")
        log = logging.getLogger("queue-worker")
        log.info("claimed job 7")
        print("Loading model FROM s3 bucket", flush=True)
        try:
            raise RuntimeError("CUDA out of memory")
        except RuntimeError:
            log.exception("job 7 failed")
        """.formatted(format));

    Cli.Result result = heartlogRun("wrapped-python-format", url, List.of("--python-format", format),
        PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-python-format");
    // logging's lines on stderr, in order; the print() on stdout, which may come before or after them
    assertThat(records).filteredOn(record -> "queue-worker".equals(record.component()))
        .extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("INFO", "claimed job 7"), tuple("ERROR", "job 7 failed"));
    assertThat(records).filteredOn(record -> record.component() == null)
        .extracting(StoredRecord::level, StoredRecord::message).containsExactly(tuple("INFO", "Loading model FROM s3 bucket"));
    assertThat(records).filteredOn(record -> "ERROR".equals(record.level())).singleElement()
        .satisfies(error -> assertThat(error.exception()).startsWith("Traceback (most recent call last):\n")
            .endsWith("RuntimeError: CUDA out of memory"));
  }

  @Test
  void theFurtherLinesOfAPythonLogMessageOnStderrAreOneRecordWithIt() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // logging.basicConfig writes to stderr, each record in one write; the pauses make the later
    // lines writes, and reads, of their own.
    Path worker = Files.writeString(folder.resolve("config.py"), """
        import logging, sys, time
        logging.basicConfig(level=logging.DEBUG)
        log = logging.getLogger("render")
        log.info("config loaded:\\n  model=wan2.1\\n  frames=81")
        time.sleep(0.3)
        log.warning("slow frame\\n\\n  took=12.3s\\n")
        time.sleep(0.3)
        log.debug("cache:\\n  hits=12")   # below heartlog run's least level: no line of it stored
        time.sleep(0.3)
        log.error("upload failed:\\n  status=503")
        time.sleep(0.3)
        try:
            raise RuntimeError("CUDA out of memory")
        except RuntimeError:
            log.exception("shot 12 failed:\\n  model=wan2.1")
        time.sleep(0.3)
        print("  printed on its own", file=sys.stderr, flush=True)
        """);

    Cli.Result result = heartlogRun("wrapped-lines", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(stderrRecords(store, "wrapped-lines")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(
            // A message's further lines are its: one record, at its level. Before, each was a
            // record of its own; an ERROR's a warning, and the traceback after them an error of its own.
            tuple("INFO", "config loaded:\n  model=wan2.1\n  frames=81"),
            tuple("WARNING", "slow frame\n\n  took=12.3s"),
            tuple("ERROR", "upload failed:\n  status=503"), tuple("ERROR", "shot 12 failed:\n  model=wan2.1"),
            tuple("WARNING", "  printed on its own"));
    assertThat(stderrRecords(store, "wrapped-lines").get(3).exception())
        .startsWith("Traceback (most recent call last):").endsWith("RuntimeError: CUDA out of memory");
  }

  @Test
  void aWorkerThatDoesNotCompileIsOneErrorThatItsExitNames() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A deploy of a worker that does not compile: Python prints where, with no traceback before it.
    Path unclosed = Files.writeString(folder.resolve("unclosed.py"), "import os\nframes = (\n");
    Path tabs = Files.writeString(folder.resolve("tabs.py"), "def render():\n\treturn 1\n        return 2\n");

    Cli.Result first = heartlogRun("wrapped-unclosed", url, PYTHON.toString(), unclosed.toString());
    Cli.Result second = heartlogRun("wrapped-tabs", url, PYTHON.toString(), tabs.toString());

    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    // Before, two warnings: the location with its source and caret, and the exception line.
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-unclosed");
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "SyntaxError: '(' was never closed"));
    assertThat(stderr.get(0).exception()).isEqualTo(
        "  File \"" + unclosed + "\", line 2\n    frames = (\n             ^\nSyntaxError: '(' was never closed");
    assertThat(exitRecord(store, "wrapped-unclosed").exception()).isEqualTo(stderr.get(0).exception());
    assertThat(second.exitCode()).as(second.err()).isEqualTo(1);
    assertThat(stderrRecords(store, "wrapped-tabs")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "TabError: inconsistent use of tabs and spaces in indentation"));
  }

  @Test
  void aLoggedExceptionsMessageOfSeveralLinesAndItsNoteArePartOfItsTraceback() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A validation error's message of several lines (pydantic's are so), and a note 3.11's
    // add_note adds, after the exception line; then a line the worker prints on its own, a
    // write, and a read, of its own.
    Path worker = Files.writeString(folder.resolve("payload.py"), """
        import logging, sys, time
        logging.basicConfig()
        log = logging.getLogger("jobs")
        try:
            raise ValueError("1 validation error for Config\\nmodel\\n  Field required [type=missing]")
        except ValueError:
            log.exception("bad task payload")
        try:
            error = RuntimeError("CUDA out of memory")
            error.add_note("while rendering frame 7")
            raise error
        except RuntimeError:
            log.exception("render failed")
        time.sleep(0.3)
        print("retrying on the next GPU", file=sys.stderr, flush=True)
        """);

    Cli.Result result = heartlogRun("wrapped-payload", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-payload");
    // Before, each further line of the exception's message was a warning of its own: 1 error and
    // 2 warnings for the first failure, 1 and 1 for the second.
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "bad task payload"), tuple("ERROR", "render failed"), tuple("WARNING", "retrying on the next GPU"));
    assertThat(stderr.get(0).exception()).endsWith("ValueError: 1 validation error for Config\nmodel\n  Field required [type=missing]");
    assertThat(stderr.get(1).exception()).endsWith("RuntimeError: CUDA out of memory\nwhile rendering frame 7");
  }

  @Test
  void aLoguruWorkersLinesGiveTheirMessagesAndItsLoggedExceptionIsOneErrorWithItsTraceback() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import loguru").start().waitFor() == 0,
        "Python's loguru is needed (Debian's python3-loguru)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // loguru's default configuration: its format, on stderr, and its traceback, which puts blank
    // lines between the frames and marks one with "> File".
    Path worker = Files.writeString(folder.resolve("render.py"), """
        from loguru import logger
        def render(frame):
            return 1 / frame
        logger.success("model loaded")
        try:
            render(0)
        except ZeroDivisionError:
            logger.exception("render failed")
        """);

    Cli.Result result = heartlogRun("wrapped-loguru", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-loguru");
    // Before, each line was kept whole, and the traceback stopped at its first blank line: an
    // error with "Traceback (most recent call last):" alone, and a warning for each other line (7).
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("INFO", "model loaded"), tuple("ERROR", "render failed"));
    assertThat(stderr.get(1).metadataJson()).contains("\"logger\": \"__main__\"", "\"function\": \"<module>\"");
    assertThat(stderr.get(1).exception()).startsWith("Traceback (most recent call last):\n\n> File \"")
        .contains("render.py\", line 3, in render").endsWith("ZeroDivisionError: division by zero");
  }

  @Test
  void richsTracebacksLoggedOrUncaughtAreOneErrorEachWithTheirBox() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import rich").start().waitFor() == 0,
        "Python's rich is needed (Debian's python3-rich)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("boxes.py"), """
        import logging, time
        from rich.logging import RichHandler
        from rich.traceback import install
        install()
        logging.basicConfig(format="%(message)s", handlers=[RichHandler(rich_tracebacks=True)])
        log = logging.getLogger("jobs")
        def render(frame):
            return 1 / frame
        try:
            render(0)
        except ZeroDivisionError:
            log.exception("render failed")
        time.sleep(0.3)
        render(0)
        """);

    // 300 columns: rich wraps nothing, the temporary folder's long name included.
    Cli.Result result = heartlogRun("wrapped-rich-boxes", url, List.of("--columns", "300"), PYTHON.toString(),
        worker.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    // RichHandler prints on stdout, Python's uncaught exception on stderr.
    List<StoredRecord> printed = records(store, "wrapped-rich-boxes").stream()
        .filter(record -> !record.message().startsWith("the worker process exited")).toList();
    // Before, each line of a box was a record of its own: the uncaught one's 20 warnings and no error.
    assertThat(printed).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "render failed"), tuple("ERROR", "ZeroDivisionError: division by zero"));
    assertThat(printed).extracting(StoredRecord::exception).allSatisfy(box -> assertThat(box)
        .startsWith("╭").contains(" Traceback (most recent call last) ", "boxes.py:8 in render")
        .endsWith("╯\nZeroDivisionError: division by zero"));
  }

  @Test
  void aWarningsTracebackIsTheWarningsAndACrashAfterAWarningIsStillAnError() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // log.warning(..., exc_info=True) writes the warning and its traceback in one write; the crash
    // after the second warning is a write of its own, Python's, 50 ms later.
    Path worker = Files.writeString(folder.resolve("retry.py"), """
        import logging, time
        logging.basicConfig(format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
        log = logging.getLogger("upload")
        try:
            raise ConnectionError("S3 timed out")
        except ConnectionError:
            log.warning("upload failed, retrying in 5 s", exc_info=True)
        time.sleep(0.3)
        log.warning("VRAM at 95%")
        time.sleep(0.05)
        raise MemoryError("CUDA out of memory")
        """);

    Cli.Result result = heartlogRun("wrapped-retry", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-retry");
    // Before, the retry's traceback was an ERROR of its own: its task counted as failed.
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "upload failed, retrying in 5 s"), tuple("WARNING", "VRAM at 95%"),
        tuple("ERROR", "MemoryError: CUDA out of memory"));
    assertThat(stderr.get(0).exception()).startsWith("Traceback (most recent call last):")
        .endsWith("ConnectionError: S3 timed out");
    assertThat(stderr.get(2).exception()).endsWith("MemoryError: CUDA out of memory");
  }

  @Test
  void aProcessPoolsFailureLoggedOrUncaughtIsOneErrorWithTheTracebackOfItsWorkerProcess() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // Python prints a pool's failure as a chain whose first exception has no frames: the worker
    // process's traceback, quoted, after "multiprocessing.pool.RemoteTraceback:".
    Path worker = Files.writeString(folder.resolve("pool.py"), """
        import concurrent.futures, logging, multiprocessing, time
        logging.basicConfig(level=logging.INFO)
        log = logging.getLogger("jobs")
        def render(frame):
            raise ValueError(f"bad frame {frame}")
        if __name__ == "__main__":
            with multiprocessing.Pool(1) as pool:
                try:
                    pool.apply(render, (1,))
                except ValueError:
                    log.exception("job failed")
            time.sleep(0.3)
            log.info("next job")
            with concurrent.futures.ProcessPoolExecutor(1) as pool:
                pool.submit(render, 2).result()
        """);

    Cli.Result result = heartlogRun("wrapped-pool", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-pool");
    // Before, "...RemoteTraceback:" and its quote were warnings of their own, and the logged
    // failure two errors: one without its traceback, one with.
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "job failed"), tuple("INFO", "next job"), tuple("ERROR", "ValueError: bad frame 2"));
    assertThat(stderr.get(0).exception()).startsWith("multiprocessing.pool.RemoteTraceback:\n\"\"\"\nTraceback")
        .contains("ValueError: bad frame 1\n\"\"\"\n\nThe above exception was the direct cause")
        .endsWith("ValueError: bad frame 1");
    assertThat(stderr.get(2).exception()).startsWith("concurrent.futures.process._RemoteTraceback:\n\"\"\"")
        .endsWith("ValueError: bad frame 2");
    // The store names them by the exception the pool raised again, not by their first line,
    // which every pool's failure says alike (heartlog_exception_name): one kind, its frame numbers
    // aside, of the two failures and the exit's record.
    assertThat(store.errorKinds("wrapped-pool", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(ErrorKind::exception, ErrorKind::errors)
        .containsExactly(tuple("ValueError: bad frame 2", 3L));
  }

  @Test
  void aPythonWorkersCrashDumpedByFaulthandlerIsOneErrorWithEveryThreadsStack() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A native library's crash, as a CUDA kernel's or a codec's: faulthandler (-X faulthandler,
    // PYTHONFAULTHANDLER) dumps each thread's stack as the process dies of SIGSEGV.
    Path worker = Files.writeString(folder.resolve("crash.py"), """
        import ctypes, threading, time
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        print("decoding frame 7", flush=True)
        ctypes.string_at(0)
        """);

    Cli.Result result = heartlogRun("wrapped-segfault", url, PYTHON.toString(), "-X", "faulthandler", worker.toString());

    assertThat(result.exitCode()).isEqualTo(139);
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-segfault");
    // Before, each line of the dump was a warning of its own: 10 for two threads.
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "Fatal Python error: Segmentation fault"));
    assertThat(stderr.get(0).exception()).startsWith("Fatal Python error: Segmentation fault\n\nThread 0x")
        .contains("\n\nCurrent thread 0x").contains("crash.py\", line 4 in <module>");
  }

  @Test
  void aFaulthandlerDumpOfAPoolFoldsTheThreadsThatWaitAlike() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A hung worker asked what it is doing (faulthandler.register(signal.SIGUSR1), or
    // dump_traceback_later as a watchdog): 150 threads waiting for a job, one stuck rendering.
    // faulthandler prints the newest 100 threads, and "..." for the rest.
    Path worker = Files.writeString(folder.resolve("hung.py"), """
        import faulthandler, os, sys, threading, time
        def wait_for_job(job):
            job.wait()
        def render(frame):
            time.sleep(60)
        job = threading.Event()
        for i in range(150):
            threading.Thread(target=wait_for_job, args=(job,), daemon=True).start()
        threading.Thread(target=render, args=(42,), daemon=True).start()
        time.sleep(0.3)
        faulthandler.dump_traceback(all_threads=True)
        sys.stderr.flush()
        os._exit(0)
        """);

    Cli.Result result = heartlogRun("wrapped-faulthandler", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-faulthandler");
    // Before: one record of 54 KB, which the agent cut at 32 KiB, and "..." a warning of its own.
    assertThat(stderr).extracting(StoredRecord::message).singleElement().asString()
        .matches("Thread 0x\\p{XDigit}+ \\(most recent call first\\):");
    assertThat(stderr.get(0).exception()).hasSizeLessThan(4 * 1024).doesNotContain("heartlog truncated")
        .contains("hung.py\", line 5 in render\n", "hung.py\", line 3 in wait_for_job\n")
        .containsPattern("\n  … and 9\\d more threads with this stack, folded by heartlog run: Thread 0x\\p{XDigit}+ … "
            + "Thread 0x\\p{XDigit}+\n")
        .endsWith("\n...");
  }

  @Test
  void theTracebacksPythonPrintsOfItsOwnAreOneErrorEachInTheTaskTheyCameIn() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // A thread's uncaught exception, one raised in __del__, an asyncio task's never retrieved,
    // and a child process's uncaught exception, in a task the seed's line began.
    Path worker = Files.writeString(folder.resolve("own.py"), """
        import asyncio, gc, logging, threading, time
        logging.basicConfig()
        print("[12:00:00] INFO WORKER [Task t-7] rendering", flush=True)
        time.sleep(0.3)
        def render():
            raise ValueError("bad frame in thread")
        thread = threading.Thread(target=render)
        thread.start()
        thread.join()
        time.sleep(0.3)
        class Frame:
            def __del__(self):
                raise RuntimeError("cleanup failed")
        Frame()
        time.sleep(0.3)
        async def main():
            async def upload():
                raise KeyError("frame")
            task = asyncio.ensure_future(upload())
            await asyncio.sleep(0.05)
            del task
            gc.collect()
        asyncio.run(main())
        time.sleep(0.3)
        import multiprocessing
        def encode():
            raise ValueError("bad frame in child")
        child = multiprocessing.Process(target=encode)
        child.start()
        child.join()
        time.sleep(0.3)
        print("uploading frame 8", flush=True)
        """);

    Cli.Result result = heartlogRun("wrapped-own", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    // Before, "Exception in thread ...:", "Exception ignored in: ..." and "Process Process-1:"
    // were warnings of their own, and asyncio's "future: <Task finished ...>" line ended task t-7 and was a warning of
    // its own, its error's traceback a second error.
    assertThat(stderrRecords(store, "wrapped-own"))
        .extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId)
        .containsExactly(
            tuple("ERROR", "ValueError: bad frame in thread", "t-7"),
            tuple("ERROR", "RuntimeError: cleanup failed", "t-7"),
            tuple("ERROR", "Task exception was never retrieved\nfuture: <Task finished name='Task-2' coro=<main.<locals>"
                + ".upload() done, defined at " + worker + ":17> exception=KeyError('frame')>", "t-7"),
            tuple("ERROR", "ValueError: bad frame in child", "t-7"));
    assertThat(stderrRecords(store, "wrapped-own")).extracting(StoredRecord::exception).satisfiesExactly(
        thread -> assertThat(thread).startsWith("Exception in thread Thread-1 (render):\nTraceback"),
        ignored -> assertThat(ignored).startsWith("Exception ignored in: <function Frame.__del__ at 0x"),
        never -> assertThat(never).startsWith("Traceback (most recent call last):").endsWith("KeyError: 'frame'"),
        child -> assertThat(child).startsWith("Process Process-1:\nTraceback"));
    assertThat(records(store, "wrapped-own")).filteredOn(r -> r.message().equals("uploading frame 8"))
        .extracting(StoredRecord::taskId).as("task t-7 goes on").containsExactly("t-7");
  }

  @Test
  void aWrappedPythonWorkersJsonLinesWithNanOrInfinityAreStillItsRecordsTheNumbersKeptAsText() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import structlog").start().waitFor() == 0,
        "Python's structlog is needed (Debian's python3-structlog)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // structlog's JSONRenderer uses json.dumps, which writes a float's NaN and Infinity as bare
    // NaN and Infinity: no JSON, but what every such worker prints when a training loss diverges.
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import structlog

        structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()])
        log = structlog.get_logger()
        log.info("step done", step=1199, loss=0.25)
        log.warning("loss diverged", step=1200, loss=float("nan"), lr=float("inf"), grad=float("-inf"))
        """);

    Cli.Result result = heartlogRun("wrapped-nan", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-nan");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("INFO", "step done"), tuple("WARNING", "loss diverged"));
    assertThat(records.get(1).metadataJson())
        .contains("\"loss\": \"NaN\"", "\"lr\": \"Infinity\"", "\"grad\": \"-Infinity\"", "\"step\": 1200");
  }

  @Test
  void aWrappedPythonWorkersRichHandlerColumnsGiveLevelsMessagesAndOneErrorWithItsTraceback() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import rich.logging").start().waitFor() == 0,
        "Python's rich is needed (Debian's python3-rich)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // Run as -c: rich wraps what is longer than its column (80 wide, to a pipe), a traceback's
    // line naming a long path among them, and the lines of a wrapped traceback are not joined.
    String worker = """
        import logging
        from rich.logging import RichHandler

        logging.basicConfig(level="INFO", format="%(message)s", handlers=[RichHandler()])
        log = logging.getLogger("render")
        log.info("rendering frame 7")
        log.warning("VRAM nearly full")
        try:
            {}["frame"]
        except KeyError:
            log.exception("render failed")
        """;

    Cli.Result result = heartlogRun("wrapped-rich", url, PYTHON.toString(), "-c", worker);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-rich");
    assertThat(records).extracting(StoredRecord::level).containsExactly("INFO", "WARNING", "ERROR");
    assertThat(records).extracting(StoredRecord::message)
        .containsExactly("rendering frame 7", "VRAM nearly full", "render failed");
    assertThat(records.get(2).exception()).startsWith("Traceback (most recent call last):\n")
        .contains("File \"<string>\", line 9, in <module>").endsWith("KeyError: 'frame'");
  }

  @Test
  void aWrappedRichWorkerToldItsColumnsPrintsALongMessageAndATracebacksLongLinesUnwrapped() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import rich.logging").start().waitFor() == 0,
        "Python's rich is needed (Debian's python3-rich)");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    String message = "rendering frame 7 of 240 with the prompt 'a lighthouse in a storm, volumetric light, 35 mm'";
    Path worker = Files.writeString(folder.resolve("a_worker_in_a_folder_whose_name_is_long_enough_to_wrap.py"), """
        import logging
        from rich.logging import RichHandler

        logging.basicConfig(level="INFO", format="%(message)s", handlers=[RichHandler()])
        log = logging.getLogger("render")
        log.info("MESSAGE")
        try:
            {}["frame"]
        except KeyError:
            log.exception("render failed")
        """.replace("MESSAGE", message));

    Cli.Result wrapped = heartlogRun("rich-80", url, PYTHON.toString(), worker.toString());
    Cli.Result wide = heartlogRun("rich-300", url, List.of("--columns", "300"), PYTHON.toString(), worker.toString());

    assertThat(wrapped.exitCode()).as(wrapped.err()).isZero();
    assertThat(wide.exitCode()).as(wide.err()).isZero();
    assertThat(records(store, "rich-80")).as("80 columns: the message is cut into records")
        .hasSizeGreaterThan(2).first().extracting(StoredRecord::message).isNotEqualTo(message);
    List<StoredRecord> records = records(store, "rich-300");
    assertThat(records).extracting(StoredRecord::message).containsExactly(message, "render failed");
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n")
        .contains(worker + "\", line 8, in <module>").endsWith("KeyError: 'frame'");

    Cli.Result none = heartlogRun("rich-0", url, List.of("--columns", "0"), "true");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("--columns must be a positive number of columns (got 0)");
  }

  @Test
  void aWrappedPythonWorkersExceptionGroupIsOneErrorAndTheCrashCarriesIt() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import sys; sys.exit(sys.version_info < (3, 11))").start().waitFor() == 0,
        "Python 3.11 or later is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("group.py"), String.join("\n",
        "def render():",
        "    raise ExceptionGroup('render failed', [ValueError('bad frame'), RuntimeError('CUDA out of memory')])",
        "render()", ""));

    Cli.Result result = heartlogRun("wrapped-group", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(stderrRecords(store, "wrapped-group")).singleElement().satisfies(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).isEqualTo("ExceptionGroup: render failed (2 sub-exceptions)");
      assertThat(record.exception()).startsWith("  + Exception Group Traceback (most recent call last):\n")
          .contains("    | ValueError: bad frame\n", "    | RuntimeError: CUDA out of memory\n");
    });
    assertThat(exitRecord(store, "wrapped-group").exception())
        .isEqualTo(stderrRecords(store, "wrapped-group").get(0).exception());
  }

  /**
   * A worker on asyncio's TaskGroup logs one task's failure with logger.exception, then dies of
   * the next one's: two errors, the crash's carried by the exit's record, and the store names
   * both by the exception that failed the task (heartlog_exception_name), not by the group.
   */
  @Test
  void aTaskGroupsFailureLoggedAndThenUncaughtIsTwoErrorsNamedByTheTasksExceptions() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import sys; sys.exit(sys.version_info < (3, 11))").start().waitFor() == 0,
        "Python 3.11 or later is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("task_group.py"), String.join("\n",
        "import asyncio, logging",
        "logging.basicConfig(level=logging.INFO)",
        "async def render(frame):",
        "    if frame == 2:",
        "        raise ValueError(f'bad frame {frame}')",
        "async def upload(frame):",
        "    raise OSError('disk full')",
        "async def run(step):",
        "    async with asyncio.TaskGroup() as group:",
        "        for frame in range(3):",
        "            group.create_task(step(frame))",
        "try:",
        "    asyncio.run(run(render))",
        "except Exception:",
        "    logging.exception('render failed')",
        "asyncio.run(run(upload))", ""));

    Cli.Result result = heartlogRun("wrapped-task-group", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    List<StoredRecord> errors = stderrRecords(store, "wrapped-task-group");
    assertThat(errors).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "render failed"),
        tuple("ERROR", "ExceptionGroup: unhandled errors in a TaskGroup (3 sub-exceptions)"));
    assertThat(errors.get(0).exception()).startsWith("  + Exception Group Traceback (most recent call last):\n")
        .endsWith("    | ValueError: bad frame 2\n    +------------------------------------")
        .doesNotContain("OSError");
    assertThat(exitRecord(store, "wrapped-task-group").exception()).isEqualTo(errors.get(1).exception());
    assertThat(store.errorKinds("wrapped-task-group", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(ErrorKind::exception)
        .containsExactlyInAnyOrder("ValueError: bad frame 2", "OSError: disk full");
  }

  /**
   * A log call whose arguments do not fit its message ({@code log.info("frame %d", "three")}):
   * Python's logging prints a report of it and goes on. heartlog run makes it one error, and the
   * store names it by its traceback's exception, not by the call's message printed after it.
   */
  @Test
  void aLogCallThatFailedIsOneErrorNamedByItsException() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("log_call.py"), String.join("\n",
        "import logging",
        "logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')",
        "log = logging.getLogger('worker')",
        "log.info('claimed task %s', 't-7')",
        "log.info('frame %d rendered', 'three')",
        "log.info('next frame')", ""));

    Cli.Result result = heartlogRun("wrapped-log-call", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    String failure = "TypeError: %d format: a real number is required, not str";
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-log-call");
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "worker: claimed task t-7"), tuple("ERROR", failure), tuple("INFO", "worker: next frame"));
    assertThat(stderr.get(1).exception()).startsWith("--- Logging error ---\nTraceback (most recent call last):\n")
        .contains("\n" + failure + "\nCall stack:\n").endsWith("\nMessage: 'frame %d rendered'\nArguments: ('three',)");
    // Before, the kind was named by the call's message, "Message: 'frame %d rendered'".
    assertThat(store.errorKinds("wrapped-log-call", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(ErrorKind::exception).containsExactly(failure);
  }

  /**
   * A traceback logged as a message, {@code log.error(traceback.format_exc())} and {@code
   * log.warning(...)}, a common way to log a handled exception: one record at the logger's
   * level, named by its exception. Before, the frames were the record's message and the
   * exception's line a warning of its own, and the store named every such error "Traceback (most
   * recent call last):".
   */
  @Test
  void aTracebackLoggedAsAMessageIsOneRecordNamedByItsException() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("format_exc.py"), String.join("\n",
        "import logging, time, traceback",
        "logging.basicConfig(level=logging.INFO)",
        "log = logging.getLogger('worker')",
        "for frame, log_at in ((12, log.error), (13, log.warning)):",
        "    try:",
        "        raise ValueError(f'bad frame {frame}')",
        "    except ValueError:",
        "        log_at(traceback.format_exc())",
        "    time.sleep(0.3)",
        "log.info('next frame')", ""));

    Cli.Result result = heartlogRun("wrapped-format-exc", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-format-exc");
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "ValueError: bad frame 12"), tuple("WARNING", "ValueError: bad frame 13"), tuple("INFO", "next frame"));
    assertThat(stderr.get(0).exception()).startsWith("Traceback (most recent call last):\n  File ")
        .endsWith("\nValueError: bad frame 12");
    assertThat(stderr.get(0).metadataJson()).contains("\"logger\": \"worker\"");
    assertThat(store.errorKinds("wrapped-format-exc", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(ErrorKind::exception).containsExactly("ValueError: bad frame 12");
  }

  /**
   * Records logged with {@code stack_info=True}: Python's logging prints the stack where each was
   * made below it, after its traceback where it has one. The stack is the record's exception,
   * and names none in the store: an error with a stack alone is of its message's kind.
   */
  @Test
  void aRecordsStackInfoIsItsExceptionAndNamesNone() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path worker = Files.writeString(folder.resolve("stack_info.py"), String.join("\n",
        "import logging",
        "logging.basicConfig(level=logging.INFO)",
        "log = logging.getLogger('worker')",
        "def render():",
        "    log.error('frame 3 took 40 s', stack_info=True)",
        "render()",
        "try:",
        "    1 / 0",
        "except ZeroDivisionError:",
        "    log.exception('bad ratio', stack_info=True)", ""));

    Cli.Result result = heartlogRun("wrapped-stack-info", url, PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> stderr = stderrRecords(store, "wrapped-stack-info");
    assertThat(stderr).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "frame 3 took 40 s"), tuple("ERROR", "bad ratio"));
    assertThat(stderr.get(0).exception()).startsWith("Stack (most recent call last):\n")
        .endsWith("log.error('frame 3 took 40 s', stack_info=True)");
    assertThat(stderr.get(1).exception()).contains("\nZeroDivisionError: division by zero\nStack (most recent call last):\n");
    // Before, the first was of a kind named "Stack (most recent call last):", as every such
    // record would have been.
    assertThat(store.errorKinds("wrapped-stack-info", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(ErrorKind::message, ErrorKind::exception).containsExactlyInAnyOrder(
            tuple("frame 3 took 40 s", null), tuple("bad ratio", "ZeroDivisionError: division by zero"));
  }
}
