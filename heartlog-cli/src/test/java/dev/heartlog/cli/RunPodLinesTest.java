package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link RunPodLines} reads off the lines runpod-python's {@code RunPodLogger} prints, in
 * its two forms (its {@code log}, rp_logger.py), and off the error document {@code run_job}
 * logs when a handler raises (rp_job.py). {@code WrappedPythonLibrariesTest} runs a worker that
 * prints them under {@code heartlog run}.
 */
class RunPodLinesTest {

  private static final String TRACEBACK = "Traceback (most recent call last):\n"
      + "  File \"/handler.py\", line 8, in handler\n"
      + "    raise RuntimeError(\"CUDA out of memory\")\n"
      + "RuntimeError: CUDA out of memory\n";

  private final RunPodLines lines = new RunPodLines();

  private static ChildLineParser.Parsed local(String line) {
    return RunPodLines.local(line, new RecordMetadata(1), message -> false);
  }

  @Test
  void heartlogRunsReaderReadsTheLocalFormWhereALineBeginsWithItsLevel() {
    ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);
    ChildLineParser.Parsed read = parser.parse("ERROR  | 9b2e41c7-5a8d-u1 | Captured Handler Exception", Level.INFO, "stdout");
    assertThat(read.level()).isEqualTo(Level.ERROR);
    assertThat(read.task()).isEqualTo("9b2e41c7-5a8d-u1");
    assertThat(read.message()).isEqualTo("Captured Handler Exception");
    assertThat(parser.parse("TIP    | Use the progress_update function", Level.WARNING, "stderr").level())
        .isEqualTo(Level.INFO);
  }

  @Test
  void theLocalFormGivesTheLevelTheJobAsTheTaskAndTheMessage() {
    ChildLineParser.Parsed started = local("INFO   | 0d6f3a52-7c1e-u1 | Started.");
    assertThat(started.level()).isEqualTo(Level.INFO);
    assertThat(started.task()).isEqualTo("0d6f3a52-7c1e-u1");
    assertThat(started.message()).isEqualTo("Started.");
    assertThat(started.endsTask()).isFalse();
    assertThat(local("INFO   | 0d6f3a52-7c1e-u1 | Finished.").endsTask()).as("its job's end").isTrue();
    assertThat(local("INFO   | Finished.").endsTask()).as("no job's").isFalse();
    assertThat(local("WARN   | local_test | prompt cut").level()).isEqualTo(Level.WARNING);
    assertThat(local("WARN   | local_test | prompt cut").task()).isEqualTo("local_test");
    assertThat(local("ERROR  | Failed to get job. | Error Type: ClientConnectorError")).satisfies(error -> {
      assertThat(error.level()).isEqualTo(Level.ERROR);
      assertThat(error.task()).as("a sentence before the bar, no job's id").isNull();
      assertThat(error.message()).isEqualTo("Failed to get job. | Error Type: ClientConnectorError");
    });
    assertThat(local("DEBUG  | Started. | x").task()).as("no digit, dash or underscore: a word").isNull();
    assertThat(local("TRACE  | step 3").level()).isEqualTo(Level.DEBUG);
    assertThat(local("TIP    | Use the progress_update function").level()).isEqualTo(Level.INFO);
  }

  @Test
  void otherLinesWithABarAreNotRead() {
    assertThat(local("HELLO  | world")).isNull();
    assertThat(local("IN FO  | world")).isNull();
    assertThat(local("INFO    | padded to 8")).isNull();
    assertThat(local("INFO   |no space")).isNull();
    assertThat(local("INFO   | ")).as("nothing after the bar").isNull();
    assertThat(local("2026-12-07 12:00:00.123 | INFO     | render:main:42 - loguru's")).isNull();
  }

  @Test
  void theJsonFormsJobIsTheTaskAndNoJobIsNoField() {
    Map<String, Object> fields = new LinkedHashMap<>(Map.of("requestId", "0d6f3a52-7c1e-u1", "message", "Started.",
        "level", "INFO"));
    assertThat(RunPodLines.jsonRecord(fields)).containsEntry("task_id", "0d6f3a52-7c1e-u1").doesNotContainKey("requestId");
    Map<String, Object> none = new LinkedHashMap<>();
    none.put("requestId", null);
    none.put("message", "Jobs in queue: 1");
    none.put("level", "INFO");
    assertThat(RunPodLines.jsonRecord(none)).containsOnlyKeys("message", "level");
    Map<String, Object> tip = new LinkedHashMap<>(Map.of("requestId", "j-1", "message", "Use the progress_update function",
        "level", "TIP"));
    assertThat(RunPodLines.jsonRecord(tip)).containsEntry("level", "INFO");
    Map<String, Object> other = new LinkedHashMap<>(Map.of("requestId", "r-1", "message", "GET /", "level", "INFO",
        "status", 200));
    assertThat(RunPodLines.jsonRecord(other)).as("another logger's request id").isNull();
    assertThat(other).containsKey("requestId");
  }

  @Test
  void anErrorDocumentOnOneJsonLineIsReadAsItsTraceback() {
    String document = "{\n    \"error_type\": \"<class 'RuntimeError'>\",\n    \"error_message\": \"CUDA out of memory\",\n"
        + "    \"error_traceback\": " + quoted(TRACEBACK) + ",\n    \"hostname\": \"unknown\"\n}";
    String line = "{\"requestId\": null, \"message\": " + quoted(document) + ", \"level\": \"ERROR\"}";

    assertThat(lines.expand(line)).containsExactly("Traceback (most recent call last):",
        "  File \"/handler.py\", line 8, in handler", "    raise RuntimeError(\"CUDA out of memory\")",
        "RuntimeError: CUDA out of memory");
    assertThat(lines.expand("{\"requestId\": null, \"message\": \"Jobs in queue: 1\", \"level\": \"INFO\"}"))
        .as("read as it is").isNull();
  }

  @Test
  void anErrorDocumentOfTheLocalFormIsHeldToItsEndThenReadAsItsTraceback() {
    assertThat(lines.expand("ERROR  | {")).isEmpty();
    assertThat(lines.expand("    \"error_type\": \"<class 'RuntimeError'>\",")).isEmpty();
    assertThat(lines.expand("    \"error_traceback\": " + quoted(TRACEBACK) + ",")).isEmpty();
    assertThat(lines.expand("    \"runpod_version\": \"1.7.9\"")).isEmpty();
    assertThat(lines.expand("}")).startsWith("Traceback (most recent call last):")
        .endsWith("RuntimeError: CUDA out of memory").hasSize(4);
    assertThat(lines.expand("INFO   | 9b2e41c7-5a8d-u1 | Finished.")).as("read as it is").isNull();
  }

  @Test
  void aDocumentThatIsNoErrorsOrIsCutShortIsGivenBackAsItsLines() {
    assertThat(lines.expand("ERROR  | {")).isEmpty();
    assertThat(lines.expand("    \"detail\": \"no traceback\"")).isEmpty();
    assertThat(lines.expand("}")).containsExactly("ERROR  | {", "    \"detail\": \"no traceback\"", "}");

    assertThat(lines.expand("ERROR  | {")).isEmpty();
    assertThat(lines.expand("rendering a dog")).as("no line of json.dumps(indent=4)")
        .containsExactly("ERROR  | {", "rendering a dog");

    assertThat(lines.expand("ERROR  | {")).isEmpty();
    assertThat(lines.expand("    \"error_type\": \"<class 'RuntimeError'>\",")).isEmpty();
    assertThat(lines.end()).as("the stream ended").containsExactly("ERROR  | {",
        "    \"error_type\": \"<class 'RuntimeError'>\",");
    assertThat(lines.end()).isEmpty();
  }

  /** {@code text} as a JSON string, as json.dumps writes it. */
  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
