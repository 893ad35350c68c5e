package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link ProcfileReports} makes of foreman's and honcho's reports of their processes, each
 * line read as {@link WorkerStream} reads it: its process taken off the front, the rest by the
 * parser. foreman's lines as Debian's foreman 0.87.2 printed them here; honcho's as its source
 * (honcho's {@code manager.py}) writes them, honcho not being installable here.
 */
class ProcfileReportsTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
  private final VllmLines prefixes = new VllmLines(parser);
  private final ProcfileReports reports = new ProcfileReports();

  private ChildLineParser.Parsed read(String line) {
    String process = prefixes.process(line);
    ChildLineParser.Parsed parsed = parser.parse(prefixes.withoutProcess(line), Level.INFO, "stdout");
    parsed.metadata().put("process", process);
    boolean runners = prefixes.runnersReport() || "system".equals(process);
    return parsed.plain() && runners ? reports.read(process, parsed) : parsed;
  }

  private List<Level> levels(String... lines) {
    return List.of(lines).stream().map(line -> read(line).level()).toList();
  }

  /** Each was INFO before: foreman had said, among its processes' lines, that the worker failed. */
  @Test
  void aProcessThatEndsBadlyBeforeForemanStopsTheOthersFailedAndWhatForemansStopCausesDidNot() {
    assertThat(levels(
        "00:31:11 worker.1 | started with pid 1767",
        "00:31:11 web.1    | started with pid 1769",
        "00:31:14 worker.1 | exited with code 3",
        "00:31:14 system   | sending SIGTERM to all processes",
        "00:31:14 web.1    | terminated by SIGTERM"))
        .containsExactly(Level.INFO, Level.INFO, Level.ERROR, Level.INFO, Level.INFO);
  }

  /**
   * A worker the kernel killed for memory: foreman itself then exited 0, so this line was all that
   * said so. foreman had to kill the web process, which did not stop when asked: a warning.
   */
  @Test
  void aProcessKilledBeforeForemanStoppedAnyIsAnErrorAndForemansKillAWarning() {
    assertThat(levels(
        "00:42:21 worker.1 | started with pid 16815",
        "00:42:22 worker.1 | terminated by SIGKILL",
        "00:42:22 system   | sending SIGTERM to all processes",
        "00:42:24 system   | sending SIGKILL to all processes"))
        .containsExactly(Level.INFO, Level.ERROR, Level.INFO, Level.WARNING);
  }

  /** A process that finished, and one that ended with a code of its own once foreman was told to stop. */
  @Test
  void aProcessThatExitsZeroOrEndsAfterForemanWasToldToStopDidNotFail() {
    assertThat(levels(
        "00:42:17 worker.1 | started with pid 16726",
        "00:42:18 worker.1 | exited with code 0",
        "00:42:18 system   | sending SIGTERM to all processes"))
        .containsExactly(Level.INFO, Level.INFO, Level.INFO);
    assertThat(levels(
        "00:31:25 worker.1 | started with pid 2244",
        "00:31:35 system   | SIGTERM received, starting shutdown",
        "00:31:36 worker.1 | exited with code 1"))
        .as("a worker that exits 1 on SIGTERM, as the container stops")
        .containsExactly(Level.INFO, Level.INFO, Level.INFO);
  }

  /** foreman run again in the same container: its processes fail again as before its first stop. */
  @Test
  void processesStartedAgainAfterAStopFailAgain() {
    levels("00:31:11 worker.1 | exited with code 0", "00:31:11 system   | sending SIGTERM to all processes");

    assertThat(levels("00:32:00 worker.1 | started with pid 1900", "00:32:05 worker.1 | exited with code 2"))
        .containsExactly(Level.INFO, Level.ERROR);
  }

  /** honcho says so on its own line, the process named in it: that process is the record's program. */
  @Test
  void honchosReportOfAProcessThatStoppedIsAnErrorOfThatProgramBeforeHonchoStopsTheOthers() {
    ChildLineParser.Parsed started = read("10:20:30 system   | worker.1 started (pid=4242)");
    ChildLineParser.Parsed stopped = read("10:20:35 system   | worker.1 stopped (rc=3)");
    ChildLineParser.Parsed stopping = read("10:20:35 system   | sending SIGTERM to web.1 (pid 4243)");
    ChildLineParser.Parsed other = read("10:20:35 system   | web.1 stopped (rc=-15)");

    assertThat(List.of(started, stopped, stopping, other)).extracting(ChildLineParser.Parsed::level)
        .containsExactly(Level.INFO, Level.ERROR, Level.INFO, Level.INFO);
    assertThat(stopped.message()).isEqualTo("worker.1 stopped (rc=3)");
    assertThat(stopped.metadata()).containsEntry("program", "worker.1").containsEntry("process", "system");
    assertThat(other.metadata()).containsEntry("program", "web.1");
    assertThat(levels("10:21:00 system   | worker.1 started (pid=4300)", "10:21:02 system   | worker.1 stopped (rc=-9)",
        "10:21:07 system   | sending SIGKILL to web.1 (pid 4301)"))
        .as("killed: a negative code, as Python gives it; honcho's kill a warning")
        .containsExactly(Level.INFO, Level.ERROR, Level.WARNING);
  }

  /** The same words in a process's own line, or in the runner's about something else, are not a report. */
  @Test
  void linesThatOnlyLookLikeReportsKeepTheirLevel() {
    assertThat(read("00:31:13 worker.1 | render exited with code 3").level()).isEqualTo(Level.INFO);
    assertThat(read("00:31:13 worker.1 | 2026-12-07 18:11:30,765 ERROR worker - exited with code 3").level())
        .isEqualTo(Level.ERROR);
    assertThat(read("00:31:13 system   | frame.1 stopped early").level()).isEqualTo(Level.INFO);
  }
}
