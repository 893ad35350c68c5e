package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lines of a time, a level and a message, as workers format Python's logging and Logback
 * ({@link LoggerFormats#timeThenLevel}), and as the job queues Dramatiq and Huey format theirs
 * ({@link HueyLines#parse}), read by {@link ChildLineParser}.
 */
class TimeThenLevelLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }

  @Test
  void theLevelIsTheLinesAndTheMessageWhatFollowsIt() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 INFO render: frame 7 done",             // %(asctime)s %(levelname)s %(name)s: ...
            "2026-12-03 09:57:28,855 [INFO] render: frame 7 done",           // %(asctime)s [%(levelname)s] ...
            "2026-12-03 09:57:28,855 [INFO    ] render: frame 7 done",       // [%(levelname)-8s]: "] render: ..." before
            "2026-12-03 09:57:28,855 [    INFO] render: frame 7 done",       // [%(levelname)8s]: kept whole before
            "2026-12-03 09:57:28,855 | INFO     | render: frame 7 done",     // %(asctime)s | %(levelname)-8s | ...
            "[2026-12-03 09:57:28,855] INFO: render: frame 7 done",          // [%(asctime)s] %(levelname)s: ...
            "2026-12-03 09:57:28 INFO  render: frame 7 done",                // datefmt of seconds, Logback's %-5level
            "2026-12-03T09:57:28.855 INFO render: frame 7 done"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.message()).as(line).isEqualTo("render: frame 7 done");
          assertThat(parsed.metadata()).as("a name and a colon may be the message's own words").doesNotContainKey("logger");
          assertThat(parsed.ownLevel()).isTrue();
          assertThat(parsed.time()).as("no zone: the time the line came").isNull();
        });
    assertThat(List.of("TRACE", "DEBUG", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL"))
        .extracting(level -> parse("2026-12-03 09:57:28,855 " + level + " x").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.WARNING, Level.WARNING, Level.ERROR, Level.CRITICAL,
            Level.CRITICAL);
  }

  @Test
  void aLoggerSetApartAfterTheLevelIsTheRecordsLoggerAndLeavesTheMessage() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 INFO [render] frame 7 done",           // %(asctime)s %(levelname)s [%(name)s] ...
            "[2026-12-03 09:57:28,855] INFO [render] frame 7 done",         // [%(asctime)s] %(levelname)s [%(name)s] ...
            "2026-12-03 09:57:28,855 [INFO    ] [render] frame 7 done",     // [%(levelname)-8s] [%(name)s] ...
            "2026-12-03 09:57:28,855 INFO render - frame 7 done",           // ... %(levelname)s %(name)s - %(message)s
            "2026-12-03 09:57:28,855 | INFO     | render | frame 7 done"))  // ... | %(levelname)-8s | %(name)s | ...
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.message()).as(line).isEqualTo("frame 7 done");
          assertThat(parsed.metadata()).as(line).containsEntry("logger", "render").doesNotContainKey("thread");
        });
    assertThat(List.of(
            "2026-12-03 09:57:28.855 WARN  [render-1] com.example.Render - VRAM at 95%",   // Logback's %-5level [%thread] %logger
            "2026-12-03 09:57:28.855 WARN  [render-1] com.example.Render -- VRAM at 95%",  // " -- " since Logback 1.5
            "2026-12-03 09:57:28,855 [render-1] WARN com.example.Render - VRAM at 95%"))   // the thread before the level
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
          assertThat(parsed.message()).as(line).isEqualTo("VRAM at 95%");
          assertThat(parsed.metadata()).as(line).containsEntry("logger", "com.example.Render")
              .containsEntry("thread", "render-1");
        });
    // BentoML's: the service and its worker, joined by colons (before: the brackets kept in the message)
    ChildLineParser.Parsed bento = parse("2026-12-07T12:00:00+0000 [ERROR] [entry_service:SDXL:1] Exception on "
        + "/txt2img [POST] (trace=0,span=0,sampled=0,service.name=SDXL)");
    assertThat(bento.level()).isEqualTo(Level.ERROR);
    assertThat(bento.message()).startsWith("Exception on /txt2img [POST]");
    assertThat(bento.metadata()).containsEntry("logger", "entry_service:SDXL:1");
    assertThat(parse("2026-12-07T12:00:00+0000 [INFO] [runner:llm:1] model loaded").metadata())
        .containsEntry("logger", "runner:llm:1");
  }

  @Test
  void aLoggerBeforeTheLevelIsTheRecordsLoggerAndLeavesTheMessage() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 worker.render INFO     frame 7 done",   // the cookbook's %(name)-12s %(levelname)-8s
            "2026-12-03 09:57:28,855 render       INFO     frame 7 done",
            "2026-12-03 09:57:28,855 render INFO frame 7 done",              // %(name)s %(levelname)s, unpadded
            "2026-12-03 09:57:28,855 | render | INFO | frame 7 done"))       // %(name)s | %(levelname)s | ...
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.message()).as(line).isEqualTo("frame 7 done");
          assertThat(parsed.metadata().get("logger")).as(line).isIn("render", "worker.render");
        });
    // Before, each was stored whole at its level.
    assertThat(List.of(
            "2026-12-03 09:57:28,855 render ERROR: frame 7 failed",    // a colon: may be the message's own words
            "2026-12-03 09:57:28,855 NOTICE render: frame 7 failed",   // no level after the word
            "2026-12-03 09:57:28,855 INFO ERROR frame 7 failed"))      // a level is no logger's name
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.metadata().get("logger")).as(line).isNotEqualTo("render");
          assertThat(parsed.message()).as(line).isNotEqualTo("frame 7 failed");
        });
    assertThat(parse("2026-12-03 09:57:28,855 INFO ERROR frame 7 failed").level()).isEqualTo(Level.INFO);
  }

  @Test
  void aProcessBeforeTheLevelIsTheRecordsPid() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 31196 INFO frame 7 done",           // %(asctime)s %(process)d %(levelname)s ...
            "2026-12-03 09:57:28,855 [31196] [INFO] frame 7 done"))      // [%(process)d]: before, a thread "31196"
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.INFO);
          assertThat(parsed.message()).as(line).isEqualTo("frame 7 done");
          assertThat(parsed.metadata()).as(line).containsEntry("pid", 31196L).doesNotContainKeys("thread", "logger");
        });
    assertThat(parse("2026-12-03 09:57:28,855 [140213370431296] INFO frame 7 done").metadata())
        .as("Python's %(thread)d: longer than a process's id").containsEntry("thread", "140213370431296")
        .doesNotContainKey("pid");
    assertThat(parse("2026-12-03 09:57:28,855 [main] INFO frame 7 done").metadata()).as("a thread's name")
        .containsEntry("thread", "main").doesNotContainKey("pid");
    assertThat(parse("2026-12-03 09:57:28,855 12345678 ERROR x").message()).as("no process's id: whole, as before")
        .isEqualTo("2026-12-03 09:57:28,855 12345678 ERROR x");
  }

  @Test
  void aPlaceInTheSourceBesideTheLevelIsTheRecordsFileAndLineNotItsMessageLoggerOrThread() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 ERROR [render.py:42] frame 7 failed",            // ... %(levelname)s [%(filename)s:%(lineno)d] ...
            "2026-12-03 09:57:28,855 [render.py:42] ERROR frame 7 failed",            // ... [%(filename)s:%(lineno)d] %(levelname)s ...
            "2026-12-03 09:57:28,855 - ERROR - render.py:42 - frame 7 failed",        // ... - %(filename)s:%(lineno)d - ...
            "2026-12-03 09:57:28,855 ERROR [worker] [render.py:42] frame 7 failed",   // the logger, then the place
            "2026-12-03 09:57:28,855 ERROR render.py:42 frame 7 failed",              // ... %(filename)s:%(lineno)d %(message)s
            "2026-12-03 09:57:28,855 ERROR render.py:42 - frame 7 failed",            // ... %(filename)s:%(lineno)d - %(message)s
            "2026-12-03 09:57:28,855\tERROR render.py:42 -- frame 7 failed"))         // Ray's, a tab after the time
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.ERROR);
          assertThat(parsed.message()).as(line).isEqualTo("frame 7 failed");
          assertThat(parsed.metadata()).as(line).containsEntry("file", "render.py").containsEntry("line", 42)
              .doesNotContainKey("thread");
          assertThat(parsed.metadata().get("logger")).as(line).isIn(null, "worker");
        });
    // Before, "[render.py:42] frame 7 failed", a thread "render.py:42", a logger "render.py:42";
    // "- frame 7 failed"; and Ray's line whole.
    assertThat(parse("2026-12-03 09:57:28,855 ERROR [Errno 2] No such file").message()).as("no place: as before")
        .isEqualTo("[Errno 2] No such file");
    assertThat(parse("2026-12-03 09:57:28,855 ERROR [redis.internal:6379] connection refused"))
        .as("a host and its port: no source file's, the message as before").satisfies(parsed -> {
          assertThat(parsed.message()).isEqualTo("[redis.internal:6379] connection refused");
          assertThat(parsed.metadata()).doesNotContainKeys("file", "line");
        });
    assertThat(parse("2026-12-03 09:57:28,855 ERROR redis.internal:6379 refused").message())
        .as("no source file's: as before").isEqualTo("redis.internal:6379 refused");
    assertThat(parse("2026-12-03 09:57:28,855 [worker-3] ERROR frame 7 failed").metadata()).as("a thread, as before")
        .containsEntry("thread", "worker-3").doesNotContainKey("file");
  }

  @Test
  void theModuleFunctionAndLineBeforeADashAfterPipesAreTheRecordsLoggerFunctionAndLine() {
    // %(asctime)s | %(levelname)s | %(module)s:%(funcName)s:%(lineno)d - %(message)s, loguru's
    // default copied into Python's logging; before, the message began "render:<module>:42 - "
    ChildLineParser.Parsed parsed = parse("2026-12-03 09:57:28,855 | ERROR    | render:<module>:42 - frame 7 failed");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("frame 7 failed");
    assertThat(parsed.metadata()).containsEntry("logger", "render").containsEntry("function", "<module>")
        .containsEntry("line", 42);
    assertThat(parse("2026-12-03 09:57:28,855 | ERROR | a b:c:42 - x").message()).as("no module's name")
        .isEqualTo("a b:c:42 - x");
    assertThat(parse("2026-12-03 09:57:28,855 | ERROR | w/x:c:42 - x").metadata()).as("no module's name")
        .doesNotContainKeys("function", "line");
  }

  @Test
  void wordsThatOnlyLookLikeALoggersNameStayInTheMessage() {
    Map<String, String> messages = Map.of(
        "2026-12-03 09:57:28,855 ERROR [Errno 2] No such file: 'x.bin'", "[Errno 2] No such file: 'x.bin'",
        "2026-12-03 09:57:28,855 INFO frame 7 - done", "frame 7 - done",
        "2026-12-03 09:57:28,855 INFO - frame 7 done", "frame 7 done",   // the dash as a level first's
        "2026-12-03 09:57:28,855 INFO - - frame 7 done", "- frame 7 done",
        "2026-12-03 09:57:28,855 | INFO | render: frame 7 | done", "render: frame 7 | done");
    messages.forEach((line, message) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.message()).as(line).isEqualTo(message);
      assertThat(parsed.metadata()).as(line).doesNotContainKeys("logger", "thread");
    });
  }

  @Test
  void aLineOfAnotherShapeIsKeptWholeAtTheLevelItNamesNearItsStart() {
    assertThat(List.of(
            "2026-12-03 09:57:28,855 NOTICE render: a level of the worker's own",
            "2026-12-03 09:57 INFO no seconds",
            "2026-12-03 09:57:28,855 INFORMATIONAL x",
            "2026-12-03 09:57:28,855 INFO "))
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
    assertThat(parse("2026-12-03 09:57 INFO no seconds").level()).isEqualTo(Level.INFO);
  }

  /**
   * The shapes of the {@code datefmt} that Python's documentation and tutorials give {@code
   * %(asctime)s} ({@link AscTime}), as Python 3.11 prints them. Before, each line was kept whole.
   */
  @Test
  void theTimeMayHaveTheShapeOfADatefmtWorkersGivePython() {
    assertThat(List.of(
            "04:35:55 WARNING frame 7 slow",                             // datefmt="%H:%M:%S"
            "04:35:55.129 WARNING frame 7 slow",                         // %(asctime)s.%(msecs)03d, "%H:%M:%S"
            "[04:35:55.129] WARNING frame 7 slow",
            "12/07/2026 04:35:55 AM WARNING frame 7 slow",               // the HOWTO's "%m/%d/%Y %I:%M:%S %p"
            "12/07/2026 04:35:55 | WARNING  | frame 7 slow",             // "%m/%d/%Y %H:%M:%S"
            "07-Dec-26 04:35:55 - WARNING - frame 7 slow",               // "%d-%b-%y %H:%M:%S"
            "Mon, 07 Dec 2026 04:35:55 WARNING  frame 7 slow",           // Python 2's "%a, %d %b %Y %H:%M:%S"
            "07 Dec 2026 04:35:55 WARNING frame 7 slow",                 // "%d %b %Y %H:%M:%S"
            "Dec 07 04:35:55 WARNING frame 7 slow",                      // syslog's "%b %d %H:%M:%S"
            "Mon Dec  7 04:35:55 2026 WARNING frame 7 slow",             // "%c"
            "[Mon Dec 17 04:35:55 2026] WARNING frame 7 slow",
            "WARNING Dec 07 04:35:55 frame 7 slow",
            "2026-12-07 04:35:55,129,129 WARNING frame 7 slow"))         // %(asctime)s,%(msecs)03d, no datefmt
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
          assertThat(parsed.message()).as(line).isEqualTo("frame 7 slow");
          assertThat(parsed.time()).as(line).isNull();
        });
    assertThat(List.of(
            "12-07 04:35 worker.render WARNING  frame 7 slow",           // the cookbook's, with its "%m-%d %H:%M"
            "12/07/2026 04:35:55 AM - worker.render - WARNING - frame 7 slow",
            "07-Dec-26 04:35:55 - worker.render - WARNING - frame 7 slow",
            "04:35:55 - worker.render - WARNING - frame 7 slow",
            "04:35:55 WARNING worker.render - frame 7 slow"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
          assertThat(parsed.message()).as(line).isEqualTo("frame 7 slow");
          assertThat(parsed.metadata()).as(line).containsEntry("logger", "worker.render");
        });
    // "%(asctime)s,%(msecs)d %(levelname)-8s [%(filename)s:%(lineno)d] %(message)s", "%Y-%m-%d:%H:%M:%S"
    ChildLineParser.Parsed placed = parse("2026-12-07:04:35:55,7 WARNING  [render.py:42] frame 7 slow");
    assertThat(placed.level()).isEqualTo(Level.WARNING);
    assertThat(placed.message()).isEqualTo("frame 7 slow");
    assertThat(placed.metadata()).containsEntry("file", "render.py").containsEntry("line", 42);
    assertThat(List.of("04:35:55 frame 7 slow", "10:30 ERROR no seconds", "12/07/2026 frame 7 ERROR x",
            "Dec 07 frame 7 ERROR x", "2026-12-07 04:35:55,129,130 WARNING frame 7 slow"))
        .as("no time of these shapes before the level: whole, as before")
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
  }

  /**
   * A date and time that give their offset from UTC (a {@code datefmt} with {@code %z},
   * Logback's {@code Z}, RFC 3339's): the record's time is the line's where it is finer than a
   * second. Before, such a line with Python's level names was stored whole, and with Logback's
   * the offset stayed in the message.
   */
  @Test
  void aTimeWithItsOffsetAndAFractionOfASecondIsTheRecordsTime() {
    Map<String, String> times = Map.of(
        "2026-12-07 04:35:55,123+01:00 WARNING frame 7 slow", "2026-12-07T03:35:55.123Z",
        "2026-12-07T04:35:55.123-0500 [main] WARN frame 7 slow", "2026-12-07T09:35:55.123Z", // Logback's SSSZ
        "2026-12-07T04:35:55.123456Z - render - WARNING - frame 7 slow", "2026-12-07T04:35:55.123456Z",
        "2026-12-07T04:35:55.5+0000 render WARNING frame 7 slow", "2026-12-07T04:35:55.500Z",
        "2026-12-07T04:35:55+0000 WARNING frame 7 slow", "",                              // "%Y-%m-%dT%H:%M:%S%z"
        "2026-12-07T04:35:55Z WARNING frame 7 slow", "",
        "2026-12-07T04:35:55.123+9999 WARNING frame 7 slow", "");                         // no such offset
    times.forEach((line, time) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
      assertThat(parsed.message()).as(line).isEqualTo("frame 7 slow");
      assertThat(parsed.time()).as("whole seconds: the time the line came").isEqualTo(time.isEmpty() ? null : Instant.parse(time));
    });
    assertThat(parse("2026-12-07T04:35:55+0000 frame 7 slow").message()).as("no level: whole, as before")
        .isEqualTo("2026-12-07T04:35:55+0000 frame 7 slow");
  }

  /**
   * A zone after the time and a space ({@code %Y-%m-%d %H:%M:%S %Z}, {@code ... %z}, Logback's
   * {@code HH:mm:ss.SSS z}): before, {@code UTC} was taken for the logger, and a line with the
   * zone in brackets or an offset was stored whole.
   */
  @Test
  void aZoneAfterTheTimeIsPartOfTheTime() {
    Map<String, String> times = Map.of(
        "2026-12-07 04:35:55 UTC WARNING frame 7 slow", "",
        "[2026-12-07 04:35:55 JST] [WARNING] - frame 7 slow", "",
        "2026-12-07 04:35:55 +0900 | WARNING: frame 7 slow", "",
        "2026-12-07 04:35:55 +03 WARNING frame 7 slow", "",                // %Z of a zone with no abbreviation
        "2026-12-07 04:35:55.123 UTC [main] WARN frame 7 slow", "2026-12-07T04:35:55.123Z",
        "2026-12-07 04:35:55.123 -0500 WARNING frame 7 slow", "2026-12-07T09:35:55.123Z",
        "2026-12-07 04:35:55.123 CET WARNING frame 7 slow", "");           // a name: not one offset for each
    times.forEach((line, time) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
      assertThat(parsed.message()).as(line).isEqualTo("frame 7 slow");
      assertThat(parsed.metadata()).as(line).doesNotContainKey("logger");
      assertThat(parsed.time()).as(line).isEqualTo(time.isEmpty() ? null : Instant.parse(time));
    });
    assertThat(parse("2026-12-07 04:35:55 GPU WARNING temperature high").metadata()).as("no zone's name: a logger, as before")
        .containsEntry("logger", "GPU");
    assertThat(parse("2026-12-07 04:35:55 UTCX WARNING temperature high").metadata()).as("no zone's name")
        .containsEntry("logger", "UTCX");
  }

  /**
   * A name and a line or a process in brackets between the time and the level: {@code
   * %(filename)s[line:%(lineno)d]}, which tutorials copy with the {@code datefmt} of Python 2's
   * documentation, and syslog's {@code %(name)s[%(process)d]}. Before, each line was stored whole.
   */
  @Test
  void aNameWithItsLineOrItsProcessInBracketsBeforeTheLevelIsTheRecordsPlaceOrLogger() {
    ChildLineParser.Parsed placed = parse("Mon, 07 Dec 2026 04:35:55 render.py[line:42] WARNING frame 7 slow");
    assertThat(placed.level()).isEqualTo(Level.WARNING);
    assertThat(placed.message()).isEqualTo("frame 7 slow");
    assertThat(placed.metadata()).containsEntry("file", "render.py").containsEntry("line", 42).doesNotContainKey("logger");
    ChildLineParser.Parsed colon = parse("2026-12-07 04:35:55,129 render.py[line:42] ERROR: frame 7 failed");
    assertThat(colon.level()).isEqualTo(Level.ERROR);
    assertThat(colon.message()).isEqualTo("frame 7 failed");
    ChildLineParser.Parsed module = parse("2026-12-07 04:35:55,129 render[line:42] WARNING frame 7 slow");
    assertThat(module.metadata()).as("no source file's name: the logger").containsEntry("logger", "render")
        .containsEntry("line", 42).doesNotContainKey("file");
    ChildLineParser.Parsed process = parse("Dec 07 04:35:55 worker.render[4696] WARNING frame 7 slow");
    assertThat(process.message()).isEqualTo("frame 7 slow");
    assertThat(process.metadata()).containsEntry("logger", "worker.render").containsEntry("pid", 4696L);
    assertThat(List.of("2026-12-07 04:35:55,129 render[x] WARNING frame 7 slow",
            "2026-12-07 04:35:55,129 render[line:42] frame 7 slow"))
        .as("no line, process or level: whole, as before")
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
  }

  /**
   * A logger's name and a colon, then the level in brackets ({@code %(asctime)s %(name)s:
   * [%(levelname)s] %(message)s}), as PyTorch's loggers printed their lines before 2024 and
   * workers copy. Before, each line was stored whole at the level it names.
   */
  @Test
  void aLoggerAndAColonBeforeTheLevelInBracketsIsTheRecordsLogger() {
    ChildLineParser.Parsed failed = parse("2026-12-07 10:00:06,000 render.queue: [ERROR] job 7 failed");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("job 7 failed");
    assertThat(failed.metadata()).containsEntry("logger", "render.queue");
    ChildLineParser.Parsed torchrun = parse("[2025-05-18 22:34:42,582] torch.distributed.run: [WARNING] Setting OMP_NUM_THREADS");
    assertThat(torchrun.level()).isEqualTo(Level.WARNING);
    assertThat(torchrun.message()).isEqualTo("Setting OMP_NUM_THREADS");
    assertThat(torchrun.metadata()).containsEntry("logger", "torch.distributed.run");
    ChildLineParser.Parsed empty = parse("[2025-05-18 22:34:42,582] torch.distributed.run: [WARNING]");
    assertThat(empty.message()).as("the line ends at the level: an empty message, as torchrun's banner begins").isEmpty();
    assertThat(empty.ownLevel()).isTrue();
    assertThat(List.of("2026-12-07 10:00:06 render: [NOTE] frame 7", "2026-12-07 10:00:06 render: [ERROR]x",
            "2026-12-07 10:00:06 render: ERROR frame 7"))
        .as("no level's name in brackets, or no space after them: whole")
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
  }

  /**
   * Dramatiq's default format, the job queue's: its process, thread and logger in brackets before
   * the level. Before, its lines were not read: each a warning on stderr, two of them one record,
   * and a retry's warning after a traceback part of that traceback.
   */
  @Test
  void dramatiqsLinesGiveTheirProcessThreadLoggerLevelAndMessage() {
    ChildLineParser.Parsed failed = parse("[2026-12-06 01:30:01,123] [PID 4243] [Thread-3] [dramatiq.worker.WorkerThread] "
        + "[ERROR] Failed to process message render('shot-12') with unhandled exception.");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("Failed to process message render('shot-12') with unhandled exception.");
    assertThat(failed.metadata()).containsEntry("pid", 4243L).containsEntry("thread", "Thread-3")
        .containsEntry("logger", "dramatiq.worker.WorkerThread");
    assertThat(parse("[2026-12-06 01:30:01,125] [PID 4243] [Thread-3] [dramatiq.middleware.retries.Retries] [WARNING] "
        + "Retrying message '4f1c2a9e' in 12000 milliseconds.").level()).isEqualTo(Level.WARNING);
    assertThat(parse("[2026-12-06 01:30:00,123] [PID 4242] [MainThread] [dramatiq.MainProcess] [INFO] booting up.").level())
        .isEqualTo(Level.INFO);
  }

  /**
   * Huey's consumer's format: {@code [%(asctime)s] %(levelname)s:%(name)s:%(threadName)s:%(message)s}.
   * Before, each line was stored whole, its time and level in its message.
   */
  @Test
  void hueysLinesGiveTheirLevelLoggerThreadAndMessage() {
    ChildLineParser.Parsed failed = parse("[2026-12-06 01:30:01,456] ERROR:huey:Worker-1:Unhandled exception in task "
        + "3f2a9c1e-5d6b-4e7f-8a9b-0c1d2e3f4a5b.");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("Unhandled exception in task 3f2a9c1e-5d6b-4e7f-8a9b-0c1d2e3f4a5b.");
    assertThat(failed.metadata()).containsEntry("logger", "huey").containsEntry("thread", "Worker-1");
    ChildLineParser.Parsed started = parse("[2026-12-06 01:30:00,123] INFO:huey.consumer:MainThread:Huey consumer started "
        + "with 1 thread, PID 4242 at 2026-12-06 01:30:00.123");
    assertThat(started.level()).isEqualTo(Level.INFO);
    assertThat(started.message()).isEqualTo("Huey consumer started with 1 thread, PID 4242 at 2026-12-06 01:30:00.123");
    assertThat(started.metadata()).containsEntry("logger", "huey.consumer").containsEntry("thread", "MainThread");
    assertThat(parse("[2026-12-06 01:30:01,456] INFO:tasks:4243:rendering frame 7").metadata())
        .as("a consumer of processes prints its worker's process id").containsEntry("pid", 4243L).doesNotContainKey("thread");
  }

  private static final String HUEY_TASK = "3f2a9c1e-5d6b-4e7f-8a9b-0c1d2e3f4a5b";

  /** Huey 2's lines about a task, as its {@code api.py} logs them; a task is its worker's. */
  @Test
  void hueysTaskLinesStartAndEndTheTaskOfTheirWorker() {
    ChildLineParser.Parsed started = parse("[2026-12-06 01:30:01,123] INFO:huey:Worker-1:Executing tasks.render: " + HUEY_TASK
        + " @2026-12-06 01:30:00 2 retries");
    ChildLineParser.Parsed own = parse("[2026-12-06 01:30:01,200] WARNING:tasks:Worker-1:frame 7: VRAM nearly full");
    ChildLineParser.Parsed returned = parse("[2026-12-06 01:30:01,460] INFO:huey:Worker-1:tasks.render: " + HUEY_TASK
        + " 2 retries executed in 0.337s");

    assertThat(started.task()).isEqualTo(HUEY_TASK);
    assertThat(started.endsTask()).isFalse();
    assertThat(started.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
    assertThat(started.metadata()).containsEntry("task_name", "tasks.render").containsEntry("thread", "Worker-1");
    assertThat(own.task()).as("its worker's task, which LineTasks gives it").isNull();
    assertThat(own.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
    assertThat(returned.task()).isEqualTo(HUEY_TASK);
    assertThat(returned.endsTask()).isTrue();
    assertThat(returned.metadata()).containsEntry("task_name", "tasks.render").containsEntry("elapsed_s", 0.337);
    assertThat(List.of("ERROR:huey:Worker-1:Unhandled exception in task " + HUEY_TASK + ".",
        "INFO:huey:Worker-1:Task " + HUEY_TASK + " raised RetryTask, retrying.",
        "WARNING:huey:Worker-1:Task " + HUEY_TASK + " raised CancelExecution (aborted, will not be retried).",
        "WARNING:huey:Worker-1:Task " + HUEY_TASK + " not run, unable to acquire lock render.",
        "WARNING:huey:Worker-1:Received exit signal, " + HUEY_TASK + " did not finish."))
        .allSatisfy(line -> {
          ChildLineParser.Parsed ended = parse("[2026-12-06 01:30:01,460] " + line);
          assertThat(ended.task()).as(line).isEqualTo(HUEY_TASK);
          assertThat(ended.endsTask()).as(line).isTrue();
          assertThat(ended.scope()).isEqualTo(ChildLineParser.TaskScope.PROCESS);
        });
    ChildLineParser.Parsed otherLogger = parse("[2026-12-06 01:30:01,460] INFO:tasks:Worker-1:Executing tasks.render: " + HUEY_TASK);
    assertThat(otherLogger.task()).as("another logger's words").isNull();
    assertThat(otherLogger.endsTask()).isFalse();
  }
}
