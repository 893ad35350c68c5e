package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP transport's cost of making a heartbeat's request body from a batch of 100 records
 * whose text is already written (BENCHMARKS.md §5). {@code functionBody}: as the transport makes
 * it, the other arguments written by Jackson, then the batch's text as its own UTF-8 bytes.
 * {@code throughAString}, the same-run baseline: as it was made before, a {@code StringWriter},
 * its {@code String}, then that string's bytes. The setup checks that both make the same bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpBodyBenchmark {

  private static final JsonFactory JSON = new JsonFactory();

  private Heartbeat heartbeat;

  @Setup
  public void heartbeat() {
    List<LogRecord> records = new ArrayList<>();
    Instant start = Instant.parse("2026-11-28T05:00:00.123456Z");
    for (int i = 0; i < 100; i++) {
      records.add(new LogRecord(start.plusNanos(i * 3_217_000L), i + 1, i % 10 == 7 ? Level.WARNING : Level.INFO,
          "Rendered frame " + i + " of task 7d9f6c2e-3b1a-4f0e-9a55-1c2d3e4f5a6b in 17 ms",
          "7d9f6c2e-3b1a-4f0e-9a55-1c2d3e4f5a6b",
          Map.of("logger", "com.example.render.FrameRenderer", "thread", "render-" + (i % 8))));
    }
    Heartbeat written = new Heartbeat("gpu-1", "session", 1L, WorkerStatus.ACTIVE, 81559, 23017,
        "7d9f6c2e-3b1a-4f0e-9a55-1c2d3e4f5a6b", records, Map.of("problem_counts", List.of()));
    // The batch's text as a batch carries it, written once before the body is made.
    heartbeat = new Heartbeat(written.workerId(), written.sessionId(), written.batchSequence(), written.status(),
        written.vramTotalMb(), written.vramUsedMb(), written.currentTaskId(), records, written.metadata(),
        written.logsJson());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      functionBody().writeTo(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!Arrays.equals(body.toByteArray(), throughAString())) {
      throw new IllegalStateException("both ways must make the same body");
    }
  }

  @Benchmark
  public RequestBody functionBody() {
    return RequestBody.rpcArguments(heartbeat, false);
  }

  /** The transport's body as it was made before, kept here as the baseline. */
  @Benchmark
  public byte[] throughAString() {
    StringWriter out = new StringWriter(heartbeat.logsJson().length() + 512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("worker_id_param", heartbeat.workerId());
      json.writeNumberField("vram_total_mb_param", heartbeat.vramTotalMb());
      json.writeNumberField("vram_used_mb_param", heartbeat.vramUsedMb());
      json.writeStringField("current_task_id_param", heartbeat.currentTaskId());
      json.writeStringField("status_param", heartbeat.status().wireName());
      json.writeStringField("session_id_param", heartbeat.sessionId());
      json.writeNumberField("batch_seq_param", heartbeat.batchSequence());
      json.writeFieldName("metadata_param");
      json.writeRawValue(heartbeat.metadataJson());
      json.writeFieldName("logs_param");
      json.writeRawValue(heartbeat.logsJson());
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
