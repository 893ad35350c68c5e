package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lines that begin with their level and give no time, as workers format Python's logging without
 * {@code %(asctime)s} (a container's runtime stamps the time) and as Maven prints
 * ({@link LevelFirstLines#parse}), also with a time after the level; Python's {@code %(name)s -
 * %(levelname)s - %(message)s} and its cookbook's {@code %(name)-12s: %(levelname)-8s %(message)s}
 * ({@link LoggerFormats#loggerThenLevel}), read by {@link ChildLineParser}.
 */
class LevelFirstLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  @Test
  void theLevelIsTheLinesAndTheMessageWhatFollowsItAndTheLogger() {
    Map<String, String> loggers = Map.of(
        "[WARNING] disk almost full", "",                       // [%(levelname)s] %(message)s; Maven's [WARNING] ...
        "[WARNING] - disk almost full", "",                     // Hydra's documented [%(levelname)s] - %(message)s
        "WARNING - disk almost full", "",                       // %(levelname)s - %(message)s
        "WARNING [render] disk almost full", "render",          // %(levelname)s [%(name)s] %(message)s
        "WARNING [render]: disk almost full", "render",         // %(levelname)s [%(name)s]: %(message)s
        "WARNING render - disk almost full", "render",          // %(levelname)s %(name)s - %(message)s
        "render - WARNING - disk almost full", "render");       // %(name)s - %(levelname)s - %(message)s
    loggers.forEach((line, logger) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
      assertThat(parsed.message()).as(line).isEqualTo("disk almost full");
      assertThat(parsed.ownLevel()).as(line).isTrue();
      assertThat(parsed.metadata().get("logger")).as(line).isEqualTo(logger.isEmpty() ? null : logger);
    });
    ChildLineParser.Parsed java = parse("WARN  [render-1] com.example.Render - VRAM at 95%");
    assertThat(java.message()).isEqualTo("VRAM at 95%");
    assertThat(java.metadata()).containsEntry("logger", "com.example.Render").containsEntry("thread", "render-1");
  }

  @Test
  void aTimeAfterTheLevelIsLeftOutOfTheMessage() {
    Map<String, String> loggers = Map.of(
        "WARNING 2026-12-07 01:27:34,903 disk almost full", "",            // %(levelname)s %(asctime)s %(message)s
        "WARNING 2026-12-07 01:27:34,903: disk almost full", "",           // ... %(asctime)s: %(message)s
        "WARNING  2026-12-07 01:27:34,903 disk almost full", "",           // %(levelname)-8s %(asctime)s ...
        "WARNING - 2026-12-07 01:27:34,903 - disk almost full", "",        // %(levelname)s - %(asctime)s - ...
        "[WARNING] 2026-12-07 01:27:34,903 - disk almost full", "",        // [%(levelname)s] %(asctime)s - ...
        "[WARNING] [2026-12-07 01:27:34,903] [render] disk almost full", "render",
        "WARNING 2026-12-07T01:27:34.903 render - disk almost full", "render",
        "WARNING 12/07/2026 01:27:34 AM disk almost full", "",             // datefmt="%m/%d/%Y %I:%M:%S %p"
        "WARNING 01:27:34 disk almost full", "",                           // datefmt="%H:%M:%S"
        "WARNING Dec 07 01:27:34 [render]: disk almost full", "render");   // ... [%(name)s]: ..., "%b %d %H:%M:%S"
    loggers.forEach((line, logger) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
      assertThat(parsed.message()).as(line).isEqualTo("disk almost full");
      assertThat(parsed.metadata().get("logger")).as(line).isEqualTo(logger.isEmpty() ? null : logger);
      assertThat(parsed.time()).as("no zone: the time the line came").isNull();
    });
    // %(levelname)s %(asctime)s %(name)s %(message)s: the name stays, as after a time and a level
    assertThat(parse("ERROR 2026-12-07 01:27:34,903 render frame 7 failed").message()).isEqualTo("render frame 7 failed");
    assertThat(parse("ERROR 2026-12-07 01:27 no seconds").message()).as("no time of a format's: whole, as before")
        .isEqualTo("ERROR 2026-12-07 01:27 no seconds");
  }

  @Test
  void aPlaceAfterTheLevelIsTheRecordsFileAndLine() {
    // %(levelname)s %(filename)s:%(lineno)d %(message)s; before, stored whole
    ChildLineParser.Parsed parsed = parse("WARNING render.py:42 disk almost full");
    assertThat(parsed.level()).isEqualTo(Level.WARNING);
    assertThat(parsed.message()).isEqualTo("disk almost full");
    assertThat(parsed.metadata()).containsEntry("file", "render.py").containsEntry("line", 42);
    assertThat(parse("WARNING [render.py:42] disk almost full").metadata()).containsEntry("file", "render.py");
    assertThat(parse("WARNING redis:6379 unreachable").message()).as("no source file's: whole, as before")
        .isEqualTo("WARNING redis:6379 unreachable");
  }

  @Test
  void aLevelPaddedInItsBracketsAndAPlacePaddedBeforeItsDashAreReadToo() {
    // C and C++ loggers pad the level to the longest name's width in its brackets, and Python's
    // [%(levelname)-8s] / [%(levelname)5s]; before, the level was found but the line kept whole.
    Map<String, Level> padded = Map.of(
        "[INFO ] disk almost full", Level.INFO,
        "[WARN ] disk almost full", Level.WARNING,
        "[WARNING ] disk almost full", Level.WARNING,
        "[ INFO] disk almost full", Level.INFO,
        "[ERROR   ] disk almost full", Level.ERROR);
    padded.forEach((line, level) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(level);
      assertThat(parsed.message()).as(line).isEqualTo("disk almost full");
    });
    // stable-diffusion.cpp's "[%s] %s:%-4d - %s": the line's number padded to four, as its issues quote it;
    // before, " - split prompt ..." was the message
    ChildLineParser.Parsed place = parse("[DEBUG] stable-diffusion.cpp:353  - split prompt \"a lovely cat\" to tokens");
    assertThat(place.level()).isEqualTo(Level.DEBUG);
    assertThat(place.message()).isEqualTo("split prompt \"a lovely cat\" to tokens");
    assertThat(place.metadata()).containsEntry("file", "stable-diffusion.cpp").containsEntry("line", 353);
    assertThat(parse("[INFO]  stable-diffusion.cpp:2550 - ftype: q4_1").message()).isEqualTo("ftype: q4_1");
    assertThat(parse("[I] disk almost full").message()).as("no level's name").isEqualTo("[I] disk almost full");
  }

  @Test
  void djangosVerboseFormatGivesTheModuleProcessAndThread() {
    // {levelname} {asctime} {module} {process:d} {thread:d} {message}, Django's documented
    // "verbose", which Python's logging cookbook quotes
    ChildLineParser.Parsed parsed = parse("ERROR 2026-12-07 01:27:34,903 tasks 31196 140213370431296 frame 7 failed");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("frame 7 failed");
    assertThat(parsed.metadata()).containsEntry("module", "tasks").containsEntry("pid", 31196L)
        .containsEntry("thread", "140213370431296");
    assertThat(parse("ERROR 2026-12-07 01:27:34,903 frame 7 12 failed").metadata()).as("a thread's number is longer")
        .doesNotContainKeys("module", "pid", "thread");
  }

  @Test
  void rayServesFormatGivesTheComponentItsIdAndARequestsIdRouteAndPlace() {
    // ServeFormatter's "%(levelname)s %(asctime)s {component_name} {component_id} " and, for a
    // replica's request, its id and route, then "-- %(message)s" (Ray 2.10 on) or
    // "%(filename)s:%(lineno)d - %(message)s" (before), as Ray Serve's documentation shows them.
    // Before, the component, its id and all up to the dashes were the message.
    ChildLineParser.Parsed controller = parse("INFO 2026-12-07 12:00:00,123 controller 1234 -- Deploying new version of "
        + "Deployment(name='SDXL', app='default') (initial target replicas: 1).");
    ChildLineParser.Parsed call = parse("INFO 2026-12-07 12:00:00,123 default_SDXL kq8xk3pa "
        + "7c1e2b3a-4d5e-6f70-8192-a3b4c5d6e7f8 -- CALL __call__ OK 2.0ms");
    ChildLineParser.Parsed older = parse("ERROR 2026-12-07 12:00:00,123 default_SDXL kq8xk3pa 7c1e2b3a / replica.py:373 - "
        + "Request failed:");

    assertThat(controller.message()).startsWith("Deploying new version of Deployment(name='SDXL'");
    assertThat(controller.metadata()).containsEntry("logger", "controller").containsEntry("component_id", "1234");
    assertThat(call.message()).isEqualTo("CALL __call__ OK 2.0ms");
    assertThat(call.metadata()).containsEntry("logger", "default_SDXL").containsEntry("component_id", "kq8xk3pa")
        .containsEntry("request_id", "7c1e2b3a-4d5e-6f70-8192-a3b4c5d6e7f8");
    assertThat(older.level()).isEqualTo(Level.ERROR);
    assertThat(older.message()).isEqualTo("Request failed:");
    assertThat(older.metadata()).containsEntry("route", "/").containsEntry("file", "replica.py").containsEntry("line", 373);
    assertThat(parse("INFO 2026-12-07 12:00:00,123 frame 12 -- done").message()).as("no component of Ray's")
        .isEqualTo("frame 12 -- done");
  }

  @Test
  void theCookbooksConsoleFormatGivesTheLoggerBeforeTheLevel() {
    // %(name)-12s: %(levelname)-8s %(message)s, as Python's logging cookbook gives a console
    Map<String, String> loggers = Map.of(
        "root        : WARNING  disk almost full", "root",
        "myapp.area1 : WARNING  disk almost full", "myapp.area1",
        "worker.render: WARNING  disk almost full", "worker.render");
    loggers.forEach((line, logger) -> {
      ChildLineParser.Parsed parsed = parse(line);
      assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
      assertThat(parsed.message()).as(line).isEqualTo("disk almost full");
      assertThat(parsed.metadata()).as(line).containsEntry("logger", logger);
    });
    assertThat(parse("myapp.area1 : CRITICAL disk full").message()).isEqualTo("disk full");
    assertThat(List.of("Note: INFO is printed", "render: ERROR rendering frame 12", "root        : INFO  x",
            "root : WARNING  x"))
        .as("not padded as the format pads: a message's own words")
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
  }

  @Test
  void aNameAndAColonAfterTheLevelStayInTheMessageAsAfterATimeAndALevel() {
    // %(levelname)s %(name)s: %(message)s; the name cannot be told from a message's first word
    ChildLineParser.Parsed parsed = parse("ERROR renderer: frame 12 failed");
    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("renderer: frame 12 failed");
    assertThat(parsed.metadata()).doesNotContainKey("logger");
  }

  @Test
  void aLevelsWordBeforeOtherWordsIsNoPrefixAndTheLineStaysWhole() {
    assertThat(List.of("ERROR rendering frame 12", "INFORMATION follows", "WARNINGS: 3", "[WARNING]", "[WARNING]disk",
            "Error - lower case"))
        .allSatisfy(line -> assertThat(parse(line).message()).as(line).isEqualTo(line));
    assertThat(parse("ERROR rendering frame 12").level()).as("still the level it names near its start").isEqualTo(Level.ERROR);
  }
}
