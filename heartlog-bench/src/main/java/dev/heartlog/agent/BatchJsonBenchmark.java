package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
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
 * The heartbeat thread's cost of turning a batch of 100 records into the {@code logs_param} text
 * (what every heartbeat does, and most of a FleetLoad JVM's own time). In this package because
 * the writer is package-private.
 *
 * <p>{@code heartlog}: {@link RecordJson#logsArray(List)}, as batches are made. {@code
 * plainJackson}: the same records written the obvious way with Jackson (field names and the level
 * written as strings, timestamps with {@link Instant#toString()}, metadata through its entries) —
 * the same-run baseline. Both write the same text but for the timestamp's format and the
 * cleaning heartlog does (which a plain writer skips). {@code heartlogDeferred}: the same batch
 * with the messages kept as {@link MessagePattern}s, as the Logback appender captures them, so
 * they are formatted while the batch is written: the formatting moved off the logging thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatchJsonBenchmark {

  private static final JsonFactory JSON = new JsonFactory();

  private List<LogRecord> records;
  private List<LogRecord> deferred;

  @Setup
  public void records() {
    records = new ArrayList<>();
    deferred = new ArrayList<>();
    Instant start = Instant.parse("2026-11-28T05:00:00.123456Z");
    for (int i = 0; i < 100; i++) {
      RecordMetadata metadata = new RecordMetadata(2);
      metadata.put("logger", "com.example.render.FrameRenderer");
      metadata.put("thread", "render-" + (i % 8));
      records.add(new LogRecord(start.plusNanos(i * 3_217_000L), i + 1, i % 10 == 7 ? Level.WARNING : Level.INFO,
          "Rendered frame " + i + " of task 7d9f6c2e-3b1a-4f0e-9a55-1c2d3e4f5a6b in 17 ms",
          "7d9f6c2e-3b1a-4f0e-9a55-1c2d3e4f5a6b", metadata));
      LogRecord text = records.get(i);
      MessagePattern pattern = MessagePattern.of(
          "Rendered frame {} of task {} in {} ms", new Object[] {i, "7d9f6c2e-3b1a-4f0e-9a55-1c2d3e4f5a6b", 17});
      deferred.add(new LogRecord(text.timestamp(), text.sequence(), text.level(), (Object) pattern, text.taskId(),
          text.metadata(), text.estimatedBytes()));
    }
    if (!RecordJson.logsArray(deferred).equals(RecordJson.logsArray(records))) {
      throw new IllegalStateException("the deferred messages must write the same text");
    }
  }

  @Benchmark
  public String heartlog() {
    return RecordJson.logsArray(records);
  }

  @Benchmark
  public String heartlogDeferred() {
    return RecordJson.logsArray(deferred);
  }

  @Benchmark
  public String plainJackson() throws IOException {
    StringWriter out = new StringWriter(records.size() * 256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (LogRecord record : records) {
        json.writeStartObject();
        json.writeStringField("timestamp", record.timestamp().toString());
        json.writeStringField("level", record.level().name());
        json.writeStringField("message", record.message());
        json.writeStringField("task_id", record.taskId());
        json.writeNumberField("seq", record.sequence());
        json.writeObjectFieldStart("metadata");
        for (Map.Entry<String, Object> entry : record.metadata().entrySet()) {
          json.writeStringField(entry.getKey(), String.valueOf(entry.getValue()));
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    return out.toString();
  }
}
