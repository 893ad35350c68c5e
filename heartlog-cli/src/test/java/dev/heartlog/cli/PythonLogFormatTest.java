package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code heartlog run --python-format}: the lines of a format the worker gives Python's logging,
 * read by the expression {@link PythonLogFormat} makes of it, as Python 3.11 prints them.
 */
class PythonLogFormatTest {

  private static ChildLineParser.Parsed parse(String format, String line) {
    ChildLineParser parser = new ChildLineParser(PythonLogFormat.lineFormat(format), ChildLineParser.DEFAULT_TASK_END);
    return parser.parse(line, Level.WARNING, "stderr");
  }

  /**
   * The format no reader can read alone: the word after the level may be the logger's or the
   * message's first. Without the format, the name stays in the message.
   */
  @Test
  void theNameAfterTheLevelIsTheComponentWhereTheFormatSaysSo() {
    String format = "%(asctime)s %(levelname)s %(name)s %(message)s";

    ChildLineParser.Parsed parsed = parse(format, "2026-12-07 04:35:55,123 INFO queue-worker claimed job 7");

    assertThat(parsed.level()).isEqualTo(Level.INFO);
    assertThat(parsed.message()).isEqualTo("claimed job 7");
    assertThat(parsed.metadata()).containsEntry("component", "queue-worker");
    assertThat(new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END)
        .parse("2026-12-07 04:35:55,123 INFO queue-worker claimed job 7", Level.WARNING, "stderr").message())
        .as("without it").isEqualTo("queue-worker claimed job 7");
  }

  /**
   * A format of the seed's shape: without the option, the message's first word is the seed's
   * component.
   */
  @Test
  void aFormatOfTheSeedsShapeKeepsTheMessageWhole() {
    ChildLineParser.Parsed parsed = parse("[%(asctime)s] %(levelname)s %(message)s", "[12:00:00] INFO render started");

    assertThat(parsed.level()).isEqualTo(Level.INFO);
    assertThat(parsed.message()).isEqualTo("render started");
    assertThat(parsed.metadata()).doesNotContainKey("component");
    assertThat(new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END)
        .parse("[12:00:00] INFO render started", Level.WARNING, "stderr").metadata()).as("without it")
        .containsEntry("component", "render");
  }

  @Test
  void aFieldsWidthPadsItAndADatefmtMayPutSpacesInTheTime() {
    String cookbook = "%(asctime)s %(name)-12s %(levelname)-8s %(message)s";
    assertThat(List.of("12-07 04:35 render       WARNING  VRAM at 95%",
            "12-07 04:35 worker.render.gpu0 WARNING  VRAM at 95%"))
        .allSatisfy(line -> {
          ChildLineParser.Parsed parsed = parse(cookbook, line);
          assertThat(parsed.level()).as(line).isEqualTo(Level.WARNING);
          assertThat(parsed.message()).as(line).isEqualTo("VRAM at 95%");
          assertThat(parsed.metadata().get("component")).as(line).isIn("render", "worker.render.gpu0");
        });
    ChildLineParser.Parsed right = parse("%(levelname)8s [%(process)d] %(message)s", "   ERROR [4711] frame 7 failed");
    assertThat(right.level()).isEqualTo(Level.ERROR);
    assertThat(right.message()).isEqualTo("frame 7 failed");
    ChildLineParser.Parsed placed = parse("%(asctime)s.%(msecs)03d %(filename)s[line:%(lineno)d] %(levelname)s %(message)s",
        "Mon, 07 Dec 2026 04:35:55.129 render.py[line:42] WARNING VRAM at 95%");
    assertThat(placed.level()).isEqualTo(Level.WARNING);
    assertThat(placed.message()).isEqualTo("VRAM at 95%");
  }

  /** Where the record was made, its process and its thread, under the names heartlog's readers give them. */
  @Test
  void thePlaceTheProcessAndTheThreadAreTheRecordsMetadata() {
    ChildLineParser.Parsed parsed = parse(
        "%(asctime)s [%(process)d:%(threadName)s] %(module)s.%(funcName)s(%(filename)s:%(lineno)d) %(levelname)s %(message)s",
        "2026-12-07 04:35:55,129 [4711:MainThread] render.run(render.py:42) ERROR frame 7 failed");

    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.message()).isEqualTo("frame 7 failed");
    assertThat(parsed.metadata()).containsEntry("pid", 4711L).containsEntry("thread", "MainThread")
        .containsEntry("module", "render").containsEntry("function", "run").containsEntry("file", "render.py")
        .containsEntry("line", 42L);
    assertThat(PythonLogFormat.lineFormat("%(lineno)d %(lineno)d %(message)s")).as("a field twice: kept once")
        .containsOnlyOnce("(?<line>");
  }

  @Test
  void theFormatsOwnTextIsMatchedAsItIsEvenWhereItLooksLikeAnExpression() {
    String format = "[%(levelname)s] (%(name)s) 100%% | %(message)s";

    ChildLineParser.Parsed parsed = parse(format, "[ERROR] (render) 100% | frame 7 failed");

    assertThat(parsed.level()).isEqualTo(Level.ERROR);
    assertThat(parsed.metadata()).containsEntry("component", "render");
    assertThat(parsed.message()).isEqualTo("frame 7 failed");
    ChildLineParser.Parsed other = parse(format, "[ERROR] (render) 100x | frame 7 failed");
    assertThat(other.message()).as("not the format's text: read as without it, a level in brackets first")
        .isEqualTo("(render) 100x | frame 7 failed");
    assertThat(other.metadata()).doesNotContainKey("component");
  }

  /** Python's {@code style="{"}: the same fields, the width and alignment of {@code str.format}. */
  @Test
  void aFormatOfTheBraceStyleIsReadAsOfThePercentStyle() {
    ChildLineParser.Parsed parsed = parse("{asctime} {levelname:<8} {name} {{{process:d}}} {message}",
        "2026-12-07 04:35:55,123 WARNING  render {4711} VRAM at 95%");
    assertThat(parsed.level()).isEqualTo(Level.WARNING);
    assertThat(parsed.metadata()).containsEntry("component", "render");
    assertThat(parsed.message()).isEqualTo("VRAM at 95%");
    ChildLineParser.Parsed right = parse("[{levelname:>8}] {name:*^10} {message}", "[   ERROR] **render** frame 7 failed");
    assertThat(right.level()).isEqualTo(Level.ERROR);
    assertThat(right.metadata()).containsEntry("component", "render");
    assertThat(right.message()).isEqualTo("frame 7 failed");
  }

  /** Lines the format does not print (a traceback, a print()) are read as without it. */
  @Test
  void aLineNotInTheFormatIsReadAsAnyOther() {
    String format = "%(asctime)s %(levelname)s %(name)s %(message)s";

    assertThat(parse(format, "Traceback (most recent call last):").message()).isEqualTo("Traceback (most recent call last):");
    ChildLineParser.Parsed json = parse(format, "{\"level\": \"error\", \"message\": \"disk full\"}");
    assertThat(json.level()).isEqualTo(Level.ERROR);
    assertThat(json.message()).isEqualTo("disk full");
    ChildLineParser.Parsed printed = parse(format, "Loading model FROM s3 bucket");
    assertThat(printed.message()).as("no level's name where the format has it").isEqualTo("Loading model FROM s3 bucket");
    assertThat(printed.metadata()).doesNotContainKey("component");
    ChildLineParser.Parsed retrying = parse(format, "Retrying after ERROR from the queue server");
    assertThat(retrying.message()).as("no digit where the time goes").isEqualTo("Retrying after ERROR from the queue server");
    assertThat(retrying.metadata()).doesNotContainKey("component");
  }

  @Test
  void aFormatThatCannotBeReadIsRefusedSayingWhy() {
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("%(asctime)s %(levelname)s")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("it has no %(message)s");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("$asctime $levelname $message"))
        .hasMessage("it is of the $ style; give a format of the % or {} style");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("{levelname} {message} {"))
        .hasMessage("its '{' at '{' starts no field; write {{ for a brace");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("%(levelname)s 100% %(message)s"))
        .hasMessage("its '%' at '% %(message)s' starts no field; write %% for a percent sign");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("%(levelname).1s %(asctime)s %(message)s"))
        .hasMessage("it cuts the level's name short (%(levelname).1s), and heartlog reads a level by its whole name;"
            + " give a --line-format");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("{levelname:.4} {message}"))
        .hasMessage("it cuts the level's name short ({levelname:.4}), and heartlog reads a level by its whole name;"
            + " give a --line-format");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("%(asctime)s %(levelname)s\n%(message)s"))
        .hasMessage("it has a line break, and heartlog reads a line at a time; give the line with the level as a"
            + " --line-format");
    assertThatThrownBy(() -> PythonLogFormat.lineFormat("%(message)s %(message)s"))
        .hasMessage("it has the field message twice; heartlog reads one");
  }

  /**
   * A format that fits none of the worker's lines (here, the colon the worker does not print) is
   * said once, on stderr and in a record, where before every line was read as without it in silence.
   */
  @Test
  void aFormatThatFitsNoneOfTheWorkersFirstLinesIsSaidOnce(@TempDir Path folder) throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "unfit-format", url,
        List.of("--python-format", "%(levelname)s: %(message)s"),
        "sh", "-c", "for i in $(seq 1 150); do echo \"INFO frame $i done\"; done");

    assertThat(result.exitCode()).as(result.err()).isZero();
    String said = "heartlog run: none of the worker's first 100 lines was in the format --python-format gives, and"
        + " each was read as without it (said once)";
    assertThat(WrappedWorkers.records(store, "unfit-format")).extracting(StoredRecord::message)
        .filteredOn(message -> message.startsWith(said)).hasSize(1);

    Cli.Result fitting = WrappedWorkers.heartlogRun(folder, "fit-format", url,
        List.of("--python-format", "%(levelname)s %(message)s"),
        "sh", "-c", "for i in $(seq 1 150); do echo \"INFO frame $i done\"; done");
    assertThat(fitting.exitCode()).as(fitting.err()).isZero();
    assertThat(WrappedWorkers.records(store, "fit-format")).as("a format that fits: read by it, and nothing said")
        .extracting(StoredRecord::message).contains("frame 150 done")
        .noneMatch(message -> message.startsWith("heartlog run: none"));
  }

  @Test
  void runSaysWhatIsWrongWithTheFormatAndRefusesItBesideALineFormat() {
    Cli.Result unread = Cli.run("run", "--worker", "w", "--db-url", "jdbc:postgresql://127.0.0.1:9/none",
        "--python-format", "%(asctime)s %(levelname)s", "--", "true");
    assertThat(unread.exitCode()).isEqualTo(2);
    assertThat(unread.err()).startsWith("heartlog: --python-format '%(asctime)s %(levelname)s' cannot be read: it has no %(message)s");

    StringWriter err = new StringWriter();
    CommandLine fromVariable = Main.commandLine(Map.of("HEARTLOG_PYTHON_FORMAT", "%(levelname)s")::get);
    fromVariable.setErr(new PrintWriter(err));
    assertThat(fromVariable.execute("run", "--worker", "w", "--db-url", "jdbc:postgresql://127.0.0.1:9/none", "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).as("the variable named").startsWith(
        "heartlog: --python-format (from HEARTLOG_PYTHON_FORMAT) '%(levelname)s' cannot be read: it has no %(message)s");

    Cli.Result both = Cli.run("run", "--worker", "w", "--db-url", "jdbc:postgresql://127.0.0.1:9/none",
        "--python-format", "%(levelname)s %(message)s", "--line-format", "(?<message>.*)", "--", "true");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).startsWith("heartlog: give --python-format or --line-format, not both");
  }
}
