package dev.heartlog.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;
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
 * What {@code heartlog serve} spends reading one heartbeat of a Python worker (100 records of
 * ~300 bytes, one in ten a WARNING and one in ten an ERROR, timestamps as Python's {@code
 * isoformat()} writes them): the body checked, cleaned where needed, and since 2026-11-28 its
 * problems counted for fleet health (ProblemTally). In the server's package, to call it as the
 * server does.
 *
 * <p>Also a heartlog agent's heartbeat of the same records, which brings its own problem counts:
 * with {@code metadata_param} ahead of the records, as the agent sends it since 2026-11-28, the
 * server need not count them; with it after them, as before, it counts them and then learns it
 * need not have.
 *
 * <p>And taking the agent's body off the request before that ({@code RequestBody}): read into one
 * array as long as its {@code Content-Length}, or grown from 8 KB as it comes, as every body was
 * read before 2026-11-28 and a body of unknown length still is.
 *
 * <p>{@code java -jar heartlog-bench/target/benchmarks.jar IngestRequestBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class IngestRequestBenchmark {

  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "DEBUG", "WARNING", "INFO", "ERROR"};

  private byte[] body;
  private byte[] agentBody;
  private byte[] agentBodyMetadataLast;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    OffsetDateTime start = OffsetDateTime.of(2026, 11, 28, 17, 58, 0, 0, ZoneOffset.UTC);
    StringBuilder json = new StringBuilder("{\"worker_id_param\": \"gpu-20261127-a1b2c3\", \"vram_total_mb_param\": 81559, "
        + "\"vram_used_mb_param\": 23017, \"current_task_id_param\": \"0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90\", \"logs_param\": [");
    for (int i = 0; i < 100; i++) {
      json.append(i == 0 ? "" : ", ")
          .append("{\"timestamp\": \"").append(start.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L)
              .truncatedTo(ChronoUnit.MICROS).toString().replace("Z", "+00:00"))
          .append("\", \"level\": \"").append(LEVELS[random.nextInt(LEVELS.length)])
          .append("\", \"message\": \"HEADLESS: Denoising step ").append(i % 30)
          .append("/30 done in 412 ms, latent 1x16x21x60x104\", \"task_id\": \"0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90\", ")
          .append("\"metadata\": {\"module\": \"wgp\", \"funcName\": \"generate_video\", \"lineno\": ").append(4000 + i).append("}}");
    }
    body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);

    random = new Random(42);
    StringBuilder logs = new StringBuilder("[");
    int warnings = 0;
    int errors = 0;
    for (int i = 0; i < 100; i++) {
      String level = LEVELS[random.nextInt(LEVELS.length)];
      warnings += level.equals("WARNING") ? 1 : 0;
      errors += level.equals("ERROR") ? 1 : 0;
      logs.append(i == 0 ? "" : ",")
          .append("{\"seq\":").append(1000 + i).append(",\"level\":\"").append(level)
          .append("\",\"message\":\"HEADLESS: Denoising step ").append(i % 30)
          .append("/30 done in 412 ms, latent 1x16x21x60x104\",\"task_id\":\"0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90\",")
          .append("\"metadata\":{\"logger\":\"wgp.generate\",\"thread\":\"main\"},\"timestamp\":\"")
          .append(start.plusNanos(i * 3_217_000L).truncatedTo(ChronoUnit.MICROS).toInstant()).append("\"}");
    }
    logs.append("]");
    String head = "{\"worker_id_param\":\"gpu-20261127-a1b2c3\",\"vram_total_mb_param\":81559,\"vram_used_mb_param\":23017,"
        + "\"current_task_id_param\":\"0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90\",\"status_param\":\"active\","
        + "\"session_id_param\":\"5b0f3c1e-2d4a-4f7e-9c1b-7a8e6d5c4b3a\",\"batch_seq_param\":11,";
    String metadata = "\"metadata_param\":{\"agent\":\"heartlog-java\",\"session_id\":\"5b0f3c1e-2d4a-4f7e-9c1b-7a8e6d5c4b3a\","
        + "\"buffered\":100,\"total_buffered\":1100,\"total_sent\":1000,\"total_dropped\":0,\"dropped_by_reason\":{},"
        + "\"spooled_batches\":0,\"spooled_bytes\":0,\"retries\":0,\"gpus_counted\":1,"
        + "\"problem_counts\":[[5986055," + errors + "," + warnings + "]]}";
    agentBody = (head + metadata + ",\"logs_param\":" + logs + "}").getBytes(StandardCharsets.UTF_8);
    agentBodyMetadataLast = (head + "\"logs_param\":" + logs + "," + metadata + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public Object pythonWorkersHeartbeat() {
    return IngestRequest.parse(body);
  }

  @Benchmark
  public Object agentsHeartbeat() {
    return IngestRequest.parse(agentBody);
  }

  @Benchmark
  public Object agentsHeartbeatMetadataLast() {
    return IngestRequest.parse(agentBodyMetadataLast);
  }

  @Benchmark
  public Object readingTheBody() throws IOException {
    return RequestBody.read(new ByteArrayInputStream(agentBody), agentBody.length, null, HeartlogServer.DEFAULT_MAX_BODY_BYTES);
  }

  @Benchmark
  public Object readingTheBodyOfUnknownLength() throws IOException {
    return RequestBody.read(new ByteArrayInputStream(agentBody), -1, null, HeartlogServer.DEFAULT_MAX_BODY_BYTES);
  }
}
