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
 * {@code batchCheckedForCredentials}: the batch cut as the agent cuts it, its text searched for
 * the transport's credentials ({@link Batch#of}), against {@code batchCut}, the same without
 * credentials; {@code batchWithACredentialMasked}: a batch that holds one, written again from
 * masked copies.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatchJsonBenchmark {

  private static final JsonFactory JSON = new JsonFactory();

  /** What a transport names, made into {@link Credentials} once, as the agent's outbox keeps them. */
  private static final Credentials CREDENTIALS = Credentials.of(List.of("hl-Secret-pw!42",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlLW9mLXRoZS1rZXk"));

  private List<LogRecord> records;
  private List<LogRecord> deferred;
  /** {@link #records} with the 50th's message holding the password. */
  private List<LogRecord> leaky;

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
    leaky = new ArrayList<>(records);
    LogRecord fiftieth = records.get(49);
    leaky.set(49, new LogRecord(fiftieth.timestamp(), fiftieth.sequence(), fiftieth.level(),
        "connecting to jdbc:postgresql://db/app?password=hl-Secret-pw!42", fiftieth.taskId(), fiftieth.metadata()));
    if (Batch.of("session", 1, leaky, leaky, CREDENTIALS).logsJson().contains("hl-Secret-pw!42")
        || !Batch.of("session", 1, records, records, CREDENTIALS).logsJson().equals(RecordJson.logsArray(records))) {
      throw new IllegalStateException("the password must be masked, and a batch without it written as it was");
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

  /**
   * The batch as the agent cuts it, searched for the transport's credentials: a database password
   * and a Supabase-like key, neither in the records (the usual batch).
   */
  @Benchmark
  public Batch batchCheckedForCredentials() {
    return Batch.of("session", 1, records, records, CREDENTIALS);
  }

  /** The same batch cut without credentials to search for: {@code batchCheckedForCredentials}' baseline. */
  @Benchmark
  public Batch batchCut() {
    return Batch.of("session", 1, records, records, Credentials.NONE);
  }

  /** The rare batch one of whose records holds the password: written again from masked copies. */
  @Benchmark
  public Batch batchWithACredentialMasked() {
    return Batch.of("session", 1, leaky, leaky, CREDENTIALS);
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
