package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tornado's log formatter, as {@link ChildLineParser} reads it ({@link TornadoLines}) and heartlog
 * run stores it. The replayed lines are what Debian's Tornado 6.2 printed on stderr for an
 * application asked for its health, a page, one whose handler raised and one missing; and what
 * Debian's Jupyter Server 1.23.3 printed as it started, was asked for a missing file and without
 * its token, and was stopped.
 */
class TornadoLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLinesLetterIsItsLevelAndItsModuleOrLoggerIsRead() {
    ChildLineParser.Parsed tornado = parser.parse("[W 261203 14:44:44 app:9] shot 13: model not warm", Level.INFO, "stderr");
    ChildLineParser.Parsed jupyter = parser.parse("[C 2026-12-03 14:45:22.806 ServerApp] received signal 15, stopping",
        Level.WARNING, "stderr");

    assertThat(tornado.level()).isEqualTo(Level.WARNING);
    assertThat(tornado.message()).isEqualTo("shot 13: model not warm");
    assertThat(tornado.metadata()).containsEntry("logger", "app").containsEntry("line", 9);
    assertThat(tornado.time()).as("no zone: the record keeps the time the line came").isNull();
    assertThat(jupyter.level()).isEqualTo(Level.CRITICAL);
    assertThat(jupyter.message()).isEqualTo("received signal 15, stopping");
    assertThat(jupyter.metadata()).containsEntry("logger", "ServerApp");
    assertThat(level("[D 261203 14:44:44 web:2293] 304 GET /health")).isEqualTo(Level.DEBUG);
    assertThat(level("[I 261203 14:44:44 web:2293] 200 GET /health (127.0.0.1) 1.16ms")).isEqualTo(Level.INFO);
    assertThat(level("[E 261203 14:44:44 web:2293] 500 GET /render/13 (127.0.0.1) 2.51ms")).isEqualTo(Level.ERROR);
    String tag = "[X 261203 14:44:44 web:2293] not a level's letter";
    assertThat(parser.parse(tag, Level.WARNING, "stderr").message()).isEqualTo(tag);
  }

  @Test
  void nemosAndOptunasFormsOfItGiveTheirLevelsToo() {
    // NeMo's BaseNeMoFormatter, Tornado's with its name and a whole date; Optuna's colorlog format,
    // "[%(levelname)1.1s %(asctime)s] %(message)s". Before, each line was a warning on stderr.
    ChildLineParser.Parsed nemo = parser.parse("[NeMo I 2026-12-07 12:00:00 exp_manager:394] Experiments will be logged at "
        + "/results/exp", Level.WARNING, "stderr");
    ChildLineParser.Parsed optuna = parser.parse("[I 2026-12-07 12:00:00,123] Trial 0 finished with value: 0.5 and "
        + "parameters: {'x': 1}. Best is trial 0 with value: 0.5.", Level.WARNING, "stderr");

    assertThat(nemo.level()).isEqualTo(Level.INFO);
    assertThat(nemo.message()).isEqualTo("Experiments will be logged at /results/exp");
    assertThat(nemo.metadata()).containsEntry("logger", "exp_manager").containsEntry("line", 394)
        .containsEntry("component", "NeMo");
    assertThat(level("[NeMo E 2026-12-07 12:00:05 train:55] training failed")).isEqualTo(Level.ERROR);
    assertThat(optuna.level()).isEqualTo(Level.INFO);
    assertThat(optuna.message()).startsWith("Trial 0 finished with value: 0.5");
    assertThat(optuna.metadata()).doesNotContainKeys("logger", "component");
    assertThat(level("[W 2026-12-07 12:00:01,456] Trial 1 failed with value None.")).isEqualTo(Level.WARNING);
    String noTime = "[I 2026-12-07] a date alone";
    assertThat(parser.parse(noTime, Level.WARNING, "stderr").message()).isEqualTo(noTime);
  }

  @Test
  void aTornadoApplicationsLinesGiveTheirLevelsAndAnUncaughtExceptionIsAnError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "tornado-6.2.txt", "tornado-replayed");

    // Before, every line was a warning, the uncaught exception's with its traceback too.
    assertThat(records).extracting(StoredRecord::level, record -> record.message().lines().findFirst().orElseThrow())
        .containsExactly(
            tuple("INFO", "200 GET /health (127.0.0.1) 0.74ms"),
            tuple("INFO", "rendering shot 12"),
            tuple("INFO", "200 GET /render/12 (127.0.0.1) 0.83ms"),
            tuple("INFO", "rendering shot 13"),
            tuple("WARNING", "shot 13: model not warm"),
            tuple("ERROR", "Uncaught exception GET /render/13 (127.0.0.1)"),
            tuple("ERROR", "500 GET /render/13 (127.0.0.1) 1.70ms"),
            tuple("WARNING", "404 GET /missing (127.0.0.1) 0.95ms"));
    assertThat(records.get(5).message()).as("the formatter indents the traceback").contains("\n    Traceback")
        .contains("File \"/srv/app/app.py\", line 10, in get").endsWith("    ValueError: bad frame 13");
  }

  @Test
  void jupyterServersLinesGiveTheirLevelsAndLogger() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "jupyter-server-1.23.3.txt", "jupyter-replayed");

    assertThat(records).extracting(StoredRecord::level).containsExactly(
        "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "WARNING", "WARNING", "WARNING", "WARNING", "WARNING", "CRITICAL",
        "INFO", "INFO");
    assertThat(records.get(1).message()).isEqualTo("Serving notebooks from local directory: /srv/notebooks");
    assertThat(records).allSatisfy(record -> assertThat(record.metadataJson()).contains("\"logger\": \"ServerApp\""));
  }

  private Level level(String line) {
    return parser.parse(line, Level.WARNING, "stderr").level();
  }
}
