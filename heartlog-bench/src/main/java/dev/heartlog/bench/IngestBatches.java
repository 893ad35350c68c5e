package dev.heartlog.bench;

import dev.heartlog.agent.AgentWire;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.LogRecord;
import dev.heartlog.agent.RecordMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The batches {@link IngestLoad} sends: 100 records of realistic size, as a video-generation
 * worker logs them, written as each variant's caller would write them (heartlog's agent, the
 * seed's Python worker, or CSV for COPY). {@link FleetLoad}'s workers log the same messages.
 */
final class IngestBatches {

  /** Records per batch: the seed's {@code LOG_BUFFER_SIZE}. */
  static final int BATCH = 100;
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "DEBUG", "WARNING", "INFO", "ERROR"};
  /** Messages of realistic length, as a video-generation worker logs them; FleetLoad's too. */
  private static final String[] MESSAGE_PATTERNS = {
    "Denoising step %d/30 done in 412 ms, latent 1x16x21x60x104",
    "Loaded model wan2.1-t2v-14B shard %d of 6 from /models cache",
    "VAE decode of chunk %d took 1830 ms, peak VRAM 61234 MiB",
    "Uploaded result segment %d to s3://renders/outputs/2026-11-27/",
    "Claimed task, starting generation with prompt of %d tokens"};
  /**
   * Every pattern with every number from 1 to 99, formatted once. Formatting per record with
   * {@code String.format} was a third of FleetLoad's JVM time (JFR), taken from the 2 cores the
   * store shares: the simulated application's cost, not heartlog's or the store's.
   */
  private static final String[] MESSAGES = java.util.stream.IntStream.range(0, MESSAGE_PATTERNS.length * 99)
      .mapToObj(i -> String.format(Locale.ROOT, MESSAGE_PATTERNS[i / 99], 1 + i % 99))
      .toArray(String[]::new);

  private IngestBatches() {}

  /** A message picked at random, as a worker's would vary. */
  static String message(ThreadLocalRandom random) {
    return MESSAGES[random.nextInt(MESSAGES.length)];
  }

  /**
   * One batch of 100 records from a worker of the 1,000, with a new task, as the variant sends
   * it: {@code logs} is the JSON array (the CSV rows for COPY), {@code metadata} the agent's
   * {@code metadata_param} (heartlog variants only).
   */
  record Batch(String worker, String task, String session, long number, String logs, String metadata) {}

  static Batch build(String variant, String session, long number) {
    Instant now = Instant.now();
    String worker = "gpu-" + (1 + ThreadLocalRandom.current().nextInt(1000));
    String task = UUID.randomUUID().toString();
    switch (variant) {
      case "heartlog", "heartlog-quiet", "heartlog-notify-every-call", "heartlog-seed-order", "heartlog-db-collation", "heartlog-uncounted",
          "heartlog-no-counts", "heartlog-json", "heartlog-bare", "heartlog-invoker", "heartlog-writers" -> {
        List<LogRecord> records = agentRecords(now, task);
        String logs = variant.equals("heartlog-seed-order") ? logsJson(now, task, true) : AgentWire.logsArray(records);
        // The agent's count of the batch's problems, which fleet health's counts take; without
        // it (heartlog-uncounted, as from a Python worker) the store counts the records itself.
        String metadata = variant.equals("heartlog-uncounted") ? null : AgentWire.problemCountsMetadata(records);
        return new Batch(worker, task, session, number, logs, metadata);
      }
      case "seed", "row-loop" -> {
        return new Batch(worker, task, session, number, logsJson(now, task, false), null);
      }
      default -> {
        return new Batch(worker, task, session, number, csv(now, worker, task, session, number), null);
      }
    }
  }

  /**
   * The same kind of 100 records as {@link #logsJson}, as a heartlog agent holds them; written by
   * the agent's own writer (field order, timestamp format, sequence numbers) they are what it sends.
   */
  private static List<LogRecord> agentRecords(Instant now, String task) {
    List<LogRecord> records = new ArrayList<>(BATCH);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < BATCH; i++) {
      RecordMetadata metadata = new RecordMetadata(4);
      metadata.put("logger", "wgp.generator");
      metadata.put("thread", "render-" + random.nextInt(8));
      metadata.put("component", "GENERATOR");
      metadata.put("lineno", random.nextInt(5000));
      records.add(new LogRecord(now.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L), i + 1,
          Level.valueOf(LEVELS[random.nextInt(LEVELS.length)]), message(random), task, metadata));
    }
    return records;
  }

  /**
   * 100 records as the seed's Python worker sends them: microsecond timestamps a few ms apart,
   * ~300 bytes each, its field order; with {@code withSequence} each also gets a {@code seq}
   * after the others (close to the order heartlog's agent wrote before it took jsonb's, which
   * had {@code seq} just before {@code metadata}).
   */
  private static String logsJson(Instant now, String task, boolean withSequence) {
    StringBuilder json = new StringBuilder(BATCH * 330).append('[');
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < BATCH; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"timestamp\":\"").append(now.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L))
          .append("\",\"level\":\"").append(LEVELS[random.nextInt(LEVELS.length)])
          .append("\",\"message\":\"").append(message(random))
          .append("\",\"task_id\":\"").append(task)
          .append("\",\"metadata\":{\"logger\":\"wgp.generator\",\"thread\":\"render-").append(random.nextInt(8))
          .append("\",\"component\":\"GENERATOR\",\"lineno\":").append(random.nextInt(5000)).append('}');
      if (withSequence) {
        json.append(",\"seq\":").append(i + 1);
      }
      json.append('}');
    }
    return json.append(']').toString();
  }

  private static String csv(Instant now, String worker, String task, String session, long batch) {
    StringBuilder csv = new StringBuilder(BATCH * 330);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < BATCH; i++) {
      csv.append(now.plusNanos(i * 3_217_000L + random.nextInt(1000) * 1000L)).append(',')
          .append(LEVELS[random.nextInt(LEVELS.length)]).append(",\"")
          .append(message(random)).append("\",worker,")
          .append(worker).append(',').append(task).append(",\"{\"\"logger\"\":\"\"wgp.generator\"\",\"\"thread\"\":\"\"render-")
          .append(random.nextInt(8)).append("\"\",\"\"component\"\":\"\"GENERATOR\"\",\"\"lineno\"\":").append(random.nextInt(5000))
          .append("}\",").append(session).append(',').append(batch * BATCH + i).append('\n');
    }
    return csv.toString();
  }
}
