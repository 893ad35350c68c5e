package dev.heartlog.bench;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.PostgrestTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How long the viewer's Task page takes to show a long task in Debian's headless Chromium, for
 * two or more running {@code heartlog serve}s of different builds on one store (the baseline's
 * first), taking turns: from asking for the page to the first rows of its timeline. It first
 * sends one task of the given number of records through the first server's ingest endpoint, as
 * a worker's agent does, a thousand at a time; with {@code -Dheartlog.bench.task=ID} it opens that
 * task of the store instead (one made with {@code psql}: a task that heartbeat for 48 hours).
 *
 * <p>Usage: {@code HEARTLOG_WRITER_KEY=hlw_... HEARTLOG_READER_KEY=hlr_... java -cp
 * heartlog-bench/target/benchmarks.jar dev.heartlog.bench.TaskPageLoad <records> <rounds> <url>
 * [<url>...]}.
 */
public final class TaskPageLoad {

  private TaskPageLoad() {}

  public static void main(String[] args) throws Exception {
    int records = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<String> servers = List.of(args).subList(2, args.length);
    String task = System.getProperty("heartlog.bench.task");
    if (task == null) {
      task = sendTask(servers.get(0), System.getenv("HEARTLOG_WRITER_KEY"), records);
      System.out.println("task " + task + ": " + records + " records; " + rounds + " rounds, servers in turns");
    } else {
      System.out.println("task " + task + " of the store; " + rounds + " rounds, servers in turns");
    }

    BrowserTiming.inTurns(servers, System.getenv("HEARTLOG_READER_KEY"), "#/task/" + task,
        "const t = document.querySelector('#task-records'); return t !== null && t.tBodies[0].rows.length > 0", rounds);
  }

  /** Sends one task's records as one worker, a thousand per heartbeat, and waits for them all. */
  private static String sendTask(String server, String writerKey, int records) {
    String task = UUID.randomUUID().toString();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (HeartlogAgent agent = HeartlogAgent.builder()
        .workerId("long-task-worker")
        .transport(PostgrestTransport.builder().baseUrl(server).key(writerKey).build())
        .noSpool()
        .gpuProbe(GpuProbe.none())
        .shutdownHook(false)
        .diagnostics(quiet)
        .build()) {
      for (int i = 1; i <= records; i++) {
        agent.log(Level.INFO, "frame " + i + " rendered in 0.41 s", task, Map.of("logger", "render", "frame", i));
        if (i % 1_000 == 0 && !agent.flush(Duration.ofSeconds(30))) {
          throw new IllegalStateException("the store did not take the records in time: " + agent.stats());
        }
      }
      if (!agent.flush(Duration.ofSeconds(30)) || agent.stats().totalDropped() > 0) {
        throw new IllegalStateException("not every record was stored: " + agent.stats());
      }
    }
    return task;
  }
}
