package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link ErrorReportLines} reads off the error reports Stable Diffusion web UI prints. */
class ErrorReportLinesTest {

  private final ErrorReportLines lines = new ErrorReportLines();

  @Test
  void aReportsLinesAreOneErrorAndItsTracebackIsPassedOnWithoutItsIndent() {
    ChildLineParser.Parsed first = lines.parse("*** Error completing request", "stderr");
    assertThat(first.level()).isEqualTo(Level.ERROR);
    assertThat(first.message()).isEqualTo("Error completing request");
    assertThat(lines.continuesRecord()).isFalse();
    assertThat(lines.moreFollows()).isTrue();
    assertThat(lines.parse("*** Arguments: ('task(5mzr8qyklbjb8ax)', 'a cat') {}", "stderr").message())
        .isEqualTo("Arguments: ('task(5mzr8qyklbjb8ax)', 'a cat') {}");
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.parse("    Traceback (most recent call last):", "stderr").message())
        .isEqualTo("Traceback (most recent call last):");
    assertThat(lines.continuesRecord()).as("the traceback, the report's whenever it comes").isTrue();
    assertThat(lines.moreFollows()).as("read by Tracebacks, as any").isFalse();
    assertThat(lines.parse("      File \"/app/modules/call_queue.py\", line 57, in f", "stderr").message())
        .isEqualTo("  File \"/app/modules/call_queue.py\", line 57, in f");
    assertThat(lines.parse("", "stderr").message()).isEmpty();
    assertThat(lines.parse("---", "stderr").message()).as("the report's end").isEmpty();
    assertThat(lines.parse("Model loaded in 3.2s", "stderr")).as("after it, lines of their own").isNull();
    assertThat(lines.parse("    indented, after no report", "stderr")).isNull();
  }

  @Test
  void onlyALineOfAnErrorBeginsAReport() {
    assertThat(List.of("*** warning: something", "***", "** Error x", "Error completing request"))
        .allSatisfy(line -> assertThat(lines.parse(line, "stderr")).as(line).isNull());
    assertThat(lines.parse("*** Error in `./render': double free or corruption (out): 0x0000000001e6c010 ***", "stderr")
        .level()).as("glibc's").isEqualTo(Level.ERROR);
  }
}
