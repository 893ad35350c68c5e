package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import org.junit.jupiter.api.Test;

/** RichHandler's lines, as python3-rich (Debian's 13.3) prints them to a pipe, 80 columns wide. */
class RichLogLinesTest {

  private final RichLogLines rich = new RichLogLines();

  @Test
  void aRecordsFirstLineGivesItsLevelMessageAndWhereItWasLoggedWithTheTimeOrItsBlank() {
    ChildLineParser.Parsed first = rich.parse(
        "[11/30/26 05:48:11] INFO     rendering frame 9 of a very long video     rh2.py:5", "stdout");
    ChildLineParser.Parsed repeatedTime = rich.parse(
        "                    ERROR    generation failed                          rh2.py:6", "stdout");
    ChildLineParser.Parsed shortTime = rich.parse("[05:46:48] WARNING  VRAM nearly full                                     rh.py:6", "stderr");

    assertThat(first.level()).isEqualTo(Level.INFO);
    assertThat(first.message()).isEqualTo("rendering frame 9 of a very long video");
    assertThat(first.metadata()).containsEntry("file", "rh2.py").containsEntry("line", 5).containsEntry("stream", "stdout");
    assertThat(repeatedTime.level()).isEqualTo(Level.ERROR);
    assertThat(repeatedTime.message()).isEqualTo("generation failed");
    assertThat(shortTime.level()).isEqualTo(Level.WARNING);
    assertThat(shortTime.message()).isEqualTo("VRAM nearly full");
    assertThat(rich.parse("[11/30/26 05:50:38] INFO     rendering frame 7                        <string>:7", "stdout"))
        .as("python -c").satisfies(p -> assertThat(p.metadata()).containsEntry("file", "<string>"));
  }

  @Test
  void theLinesBelowARecordLoseTheIndentationToItsMessageAndTakeItsLevel() {
    rich.parse("[05:46:48] ERROR    generation failed                                   rh.py:10", "stdout");
    String below = "                    Traceback (most recent call last):                          ";

    assertThat(rich.parse(below.stripTrailing(), "stdout")).isNull();
    assertThat(rich.levelFor(below.stripTrailing(), Level.INFO)).isEqualTo(Level.ERROR);
    assertThat(rich.unindent(below.stripTrailing())).isEqualTo("Traceback (most recent call last):");
    assertThat(rich.unindent("                      File \"/tmp/rh.py\", line 8, in <module>"))
        .isEqualTo("  File \"/tmp/rh.py\", line 8, in <module>");

    // A line that is not below it ends the record: what follows is read as it is.
    assertThat(rich.parse("plain output", "stdout")).isNull();
    assertThat(rich.unindent("                    indented by the worker")).isEqualTo("                    indented by the worker");
    assertThat(rich.levelFor("                    indented by the worker", Level.INFO)).isEqualTo(Level.INFO);
  }

  @Test
  void theSeedWorkersLinesAndOthersAreNotTakenForRichs() {
    assertThat(rich.parse("[12:00:00] INFO GENERATOR [Task t-1] Loading model", "stdout")).isNull();
    assertThat(rich.parse("[12:00:00] INFO     GENERATOR Loading model", "stdout")).as("no path at its end").isNull();
    assertThat(rich.parse("INFO:root:rendering frame 1 at step.py:3", "stdout")).isNull();
    assertThat(rich.parse("[05:46:48] INFO     rendering frame 7                     rh.py:99999999999", "stdout"))
        .as("a line number no int holds: before, it stopped the stream's reading").isNull();
  }
}
