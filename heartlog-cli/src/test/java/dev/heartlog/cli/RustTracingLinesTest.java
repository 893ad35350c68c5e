package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rust's tracing lines as {@link ChildLineParser} reads them. The lines are what a Rust worker
 * printed with tracing 0.1.37 and tracing-subscriber 0.3.16 (Debian's crates), logging in a span
 * {@code info_span!("task", task_id = "t-42", frame = 7)} and one inside it, colours taken out as
 * heartlog run takes them out.
 */
class RustTracingLinesTest {

  @TempDir Path folder;

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.INFO, "stdout");
  }

  @Test
  void theDefaultFormatGivesTheTimeTheLevelTheTargetTheSpansAndTheSpansTask() {
    ChildLineParser.Parsed started = parse("2026-12-03T10:24:11.326662Z  INFO rt: worker started");
    ChildLineParser.Parsed rendering = parse(
        "2026-12-03T10:24:11.327012Z  INFO task{task_id=\"t-42\" frame=7}: rt: rendering frames=81");
    ChildLineParser.Parsed failed = parse("2026-12-03T10:24:11.327051Z ERROR task{task_id=\"t-42\" frame=7}"
        + ":upload{bucket=\"renders\"}: rt: upload failed: service unavailable status=503");

    assertThat(started.level()).isEqualTo(Level.INFO);
    assertThat(started.message()).isEqualTo("worker started");
    assertThat(started.task()).isNull();
    assertThat(started.time()).isEqualTo(Instant.parse("2026-12-03T10:24:11.326662Z"));
    assertThat(started.metadata()).containsEntry("logger", "rt").doesNotContainKey("spans");
    assertThat(rendering.message()).as("the event's fields stay after it").isEqualTo("rendering frames=81");
    assertThat(rendering.task()).isEqualTo("t-42");
    assertThat(rendering.metadata()).containsEntry("spans", "task{task_id=\"t-42\" frame=7}");
    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("upload failed: service unavailable status=503");
    assertThat(failed.task()).as("the outer span's, the inner one naming none").isEqualTo("t-42");
    assertThat(failed.metadata()).containsEntry("spans", "task{task_id=\"t-42\" frame=7}:upload{bucket=\"renders\"}")
        .containsEntry("logger", "rt");
    assertThat(failed.ownLevel()).isTrue();
    assertThat(List.of("TRACE", "DEBUG", " INFO", " WARN", "ERROR"))
        .extracting(level -> parse("2026-12-03T10:24:11.327012Z " + level + " rt: x").level())
        .containsExactly(Level.DEBUG, Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR);
  }

  @Test
  void anEventsTaskFieldNamesTheTaskAndAQuotedOrNestedBraceEndsNoSpan() {
    ChildLineParser.Parsed claimed = parse("2026-12-03T10:24:11.327108Z  INFO rt: claimed task_id=\"t-43\"");
    ChildLineParser.Parsed nested = parse("2026-12-03T10:24:11.327108Z  INFO job{job_id=\"a}b \\\"c\\\"\" "
        + "cfg=Config { steps: 30 }}: worker::render: frame done");
    ChildLineParser.Parsed bare = parse("2026-12-03T10:24:11.327108+01:00  WARN job{job_id=42}: worker: slow");
    ChildLineParser.Parsed unclosed = parse("2026-12-03T10:24:11.327108Z  INFO job{job_id=42: worker: slow");

    assertThat(claimed.task()).isEqualTo("t-43");
    assertThat(claimed.message()).isEqualTo("claimed task_id=\"t-43\"");
    assertThat(nested.task()).isEqualTo("a}b \"c\"");
    assertThat(nested.metadata()).containsEntry("logger", "worker::render");
    assertThat(nested.message()).isEqualTo("frame done");
    assertThat(bare.task()).isEqualTo("42");
    assertThat(bare.time()).isEqualTo(Instant.parse("2026-12-03T09:24:11.327108Z"));
    assertThat(unclosed.metadata()).as("no span where its brace is not closed").doesNotContainKey("spans");
    assertThat(unclosed.message()).isEqualTo("job{job_id=42: worker: slow");
  }

  @Test
  void theCompactFormatAndOneWithoutTheTargetAreReadToo() {
    // .compact(): the spans' names only, their fields after the event's
    ChildLineParser.Parsed compact = parse("2026-12-03T10:22:25.824865Z ERROR task:upload: rt: upload failed: "
        + "service unavailable status=503 task_id=\"t-42\" frame=7 bucket=\"renders\"");
    // one span alone, without fields, cannot be told from the target: read as the target
    ChildLineParser.Parsed compactOne = parse(
        "2026-12-03T10:22:25.824761Z  INFO task: rt: rendering frames=81 task_id=\"t-42\" frame=7");
    // .with_target(false)
    ChildLineParser.Parsed noTarget = parse("2026-12-03T10:22:25.861304Z  INFO task{task_id=\"t-42\" frame=7}: rendering frames=81");

    assertThat(compact.metadata()).containsEntry("spans", "task:upload").containsEntry("logger", "rt");
    assertThat(compact.message()).startsWith("upload failed: service unavailable");
    assertThat(compact.task()).isEqualTo("t-42");
    assertThat(compactOne.metadata()).containsEntry("logger", "task").doesNotContainKey("spans");
    assertThat(compactOne.message()).isEqualTo("rt: rendering frames=81 task_id=\"t-42\" frame=7");
    assertThat(compactOne.task()).isEqualTo("t-42");
    assertThat(noTarget.message()).isEqualTo("rendering frames=81");
    assertThat(noTarget.task()).isEqualTo("t-42");
    assertThat(noTarget.metadata()).doesNotContainKey("logger");
  }

  @Test
  void aSpanWithoutFieldsWhoseNameHasADashAndTheEventsPlaceInTheSourceAreRead() {
    // text-generation-inference's launcher: a span of no fields, "shard-manager", before the target
    ChildLineParser.Parsed shard = parse("2026-12-07T12:00:00.123456Z ERROR shard-manager: text_generation_launcher: "
        + "Shard complete standard error output:");
    // .with_file(true).with_line_number(true): the file and its line after the target
    ChildLineParser.Parsed placed = parse("2026-12-07T12:00:00.123456Z  WARN text_generation_router::server: "
        + "router/src/server.rs:1906: Invalid hostname, defaulting to 0.0.0.0");
    ChildLineParser.Parsed notAPlace = parse("2026-12-07T12:00:00.123456Z  INFO rt: wrote out.rs: 3 lines");

    // Before: "shard-manager: text_generation_launcher: Shard complete ..." the message, no logger.
    assertThat(shard.message()).isEqualTo("Shard complete standard error output:");
    assertThat(shard.metadata()).containsEntry("spans", "shard-manager").containsEntry("logger", "text_generation_launcher");
    // Before: "router/src/server.rs:1906: Invalid hostname, ..." the message.
    assertThat(placed.message()).isEqualTo("Invalid hostname, defaulting to 0.0.0.0");
    assertThat(placed.metadata()).containsEntry("logger", "text_generation_router::server")
        .containsEntry("file", "router/src/server.rs").containsEntry("line", 1906);
    assertThat(notAPlace.message()).isEqualTo("wrote out.rs: 3 lines");
    assertThat(notAPlace.metadata()).doesNotContainKey("file");
    assertThat(parse("2026-12-03T10:22:25.824761Z  INFO task: rt: rendering").metadata()).as("no dash: the target")
        .containsEntry("logger", "task").doesNotContainKey("spans");
    assertThat(parse("2026-12-03T10:22:25.824761Z  INFO re-run: 3 frames left").metadata())
        .as("a dash, but no target after it: the message").doesNotContainKey("spans").doesNotContainKey("logger");
  }

  @Test
  void theJsonFormatsEventFieldsTargetAndSpansAreLaidOutAsAStructuredLoggersAre() {
    ChildLineParser.Parsed failed = parse("{\"timestamp\":\"2026-12-03T10:24:11.368828Z\",\"level\":\"ERROR\","
        + "\"fields\":{\"message\":\"upload failed: service unavailable\",\"status\":503},\"target\":\"rt\","
        + "\"span\":{\"bucket\":\"renders\",\"name\":\"upload\"},\"spans\":[{\"frame\":7,\"task_id\":\"t-42\",\"name\":\"task\"},"
        + "{\"bucket\":\"renders\",\"name\":\"upload\"}]}");
    ChildLineParser.Parsed claimed = parse("{\"timestamp\":\"2026-12-03T10:24:11.368900Z\",\"level\":\"INFO\","
        + "\"fields\":{\"message\":\"claimed\",\"task_id\":\"t-43\"},\"target\":\"rt\","
        + "\"spans\":[{\"task_id\":\"t-42\",\"name\":\"task\"}]}");

    assertThat(failed.level()).isEqualTo(Level.ERROR);
    assertThat(failed.message()).isEqualTo("upload failed: service unavailable");
    assertThat(failed.task()).isEqualTo("t-42");
    assertThat(failed.time()).isEqualTo(Instant.parse("2026-12-03T10:24:11.368828Z"));
    assertThat(failed.metadata()).containsEntry("logger", "rt").containsEntry("status", 503)
        .containsEntry("spans", List.of(Map.of("frame", 7, "task_id", "t-42", "name", "task"),
            Map.of("bucket", "renders", "name", "upload")))
        .doesNotContainKeys("span", "fields", "target");
    assertThat(claimed.task()).as("the event's own, before its span's").isEqualTo("t-43");
  }

  @Test
  void aLineWithATimeButNotTracingsLevelOrOffsetIsNotRead() {
    assertThat(parse("2026-12-03T10:24:11.327108Z NOTICE rt: something").metadata()).doesNotContainKey("logger");
    assertThat(parse("2026-12-03T10:24:11.327108 ERROR rt: no offset").time()).isNull();
    assertThat(parse("2026-12-03T10:24:11.327108 ERROR rt: no offset").level())
        .as("still the level it names near its start").isEqualTo(Level.ERROR);
  }

  @Test
  void aRustWorkersColouredLinesAreStoredWithTheirTimesLevelsTargetsAndTasks() throws Exception {
    // What the worker printed to a pipe, colours and all (tracing-subscriber 0.3.16 writes them to
    // any stream), given back by cat under heartlog run.
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "rust-tracing-subscriber-0.3.16.txt", "wrapped-tracing");

    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "worker started", null),
        tuple("INFO", "rendering frames=81", "t-42"),
        tuple("WARNING", "low VRAM free_mb=512", "t-42"),
        tuple("ERROR", "upload failed: service unavailable status=503", "t-42"),
        tuple("INFO", "task done", "t-42"),   // after the span: still the current task, as a JSON line's
        tuple("INFO", "claimed task_id=\"t-43\"", "t-43"),
        tuple("INFO", "status: ok {braces} config=[1, 2]", "t-43"));
    assertThat(records.get(0).timestamp()).as("the line's own time").isEqualTo(Instant.parse("2026-12-03T10:26:00.328021Z"));
  }

  @Test
  void envLoggersLinesGiveTheirLevelTargetAndTaskAndATimeFinerThanASecond() {
    ChildLineParser.Parsed warning = parse("[2026-12-03T12:55:45Z WARN  render::gpu] VRAM at 95%");
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("VRAM at 95%");
    assertThat(warning.metadata()).containsEntry("logger", "render::gpu");
    assertThat(warning.time()).as("whole seconds: the time the line came").isNull();
    ChildLineParser.Parsed fine = parse("[2026-12-03T12:55:45.123Z ERROR render] task_id=t-42 upload failed");
    assertThat(fine.time()).isEqualTo(Instant.parse("2026-12-03T12:55:45.123Z"));
    assertThat(fine.task()).isEqualTo("t-42");
    assertThat(fine.level()).isEqualTo(Level.ERROR);
    assertThat(parse("[TRACE render] without a time").level()).isEqualTo(Level.DEBUG);
    assertThat(parse("[TRACE render] without a time").message()).isEqualTo("without a time");
    assertThat(parse("[2026-12-03T12:55:45Z NOTICE render] x").message()).isEqualTo("[2026-12-03T12:55:45Z NOTICE render] x");
    ChildLineParser.Parsed unclosed = parse("[2026-12-03T12:55:45Z INFO render x");
    assertThat(unclosed.message()).as("no target: a time and a level, TimeThenLevelLinesTest").isEqualTo("render x");
    assertThat(unclosed.metadata()).doesNotContainKey("logger");
    ChildLineParser.Parsed noTarget = parse("[INFO] x");   // a level in brackets, LevelFirstLinesTest
    assertThat(noTarget.message()).isEqualTo("x");
    assertThat(noTarget.metadata()).doesNotContainKey("logger");
  }

  @Test
  void aRustWorkersEnvLoggerLinesAreStoredWithTheirLevelsTargetsAndTask() throws Exception {
    // What env_logger 0.9.3 printed (RUST_LOG=debug), given back by cat under heartlog run.
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "rust-env-logger-0.9.3.txt", "wrapped-env-logger");

    // Before, each kept "[2026-12-03T12:55:45Z INFO  render] " in front, and named no task.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message, StoredRecord::taskId).containsExactly(
        tuple("INFO", "worker started", null),
        tuple("WARNING", "VRAM at 95%", null),
        tuple("INFO", "task_id=t-42 rendering frames=81", "t-42"),
        tuple("ERROR", "upload failed: 503 Service Unavailable", "t-42"),   // DEBUG kept only with --debug
        tuple("INFO", "config:\n      model=wan2.1", "t-42"));   // env_logger indents a message's further lines
    assertThat(records.get(1).metadataJson()).contains("\"logger\": \"render::gpu\"");
  }
}
