package dev.heartlog.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * How long the viewer's Fleet page takes to show a large fleet in Debian's headless Chromium, for
 * two or more running {@code heartlog serve}s of different builds on one store (the baseline's
 * first), taking turns: from asking for the page to the first rows of its table. It first sends
 * one heartbeat for each of the given number of workers ({@code fleet-page-00001}, ...) through
 * the first server's ingest endpoint. The page draws itself again every 5 s, as long again.
 *
 * <p>Usage: {@code HEARTLOG_WRITER_KEY=hlw_... HEARTLOG_READER_KEY=hlr_... java -cp
 * heartlog-bench/target/benchmarks.jar dev.heartlog.bench.FleetPageLoad <workers> <rounds> <url>
 * [<url>...]}.
 */
public final class FleetPageLoad {

  private FleetPageLoad() {}

  public static void main(String[] args) throws Exception {
    int workers = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<String> servers = List.of(args).subList(2, args.length);
    sendHeartbeats(servers.get(0), System.getenv("HEARTLOG_WRITER_KEY"), workers);
    System.out.println(workers + " workers sent a heartbeat; " + rounds + " rounds, servers in turns");

    BrowserTiming.inTurns(servers, System.getenv("HEARTLOG_READER_KEY"), "#/fleet",
        "const t = document.querySelector('#fleet'); return t !== null && t.tBodies[0].rows.length > 0", rounds);
  }

  private static void sendHeartbeats(String server, String writerKey, int workers) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI rpc = URI.create(server + "/rest/v1/rpc/func_worker_heartbeat_with_logs");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = IntStream.rangeClosed(1, workers).mapToObj(i -> pool.submit(() -> {
        // With the clock an agent sends, so that each worker's row has its skew, as an agent's has.
        String body = String.format(Locale.ROOT, "{\"worker_id_param\": \"fleet-page-%05d\", \"vram_total_mb_param\": 81559,"
            + " \"vram_used_mb_param\": %d, \"metadata_param\": {\"sent_at_ms\": %d}, \"logs_param\": []}",
            i, 20_000 + i, System.currentTimeMillis());
        HttpRequest request = HttpRequest.newBuilder(rpc).header("apikey", writerKey)
            .header("Authorization", "Bearer " + writerKey).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      })).toList();
      for (Future<Integer> answer : answers) {
        if (answer.get() != 200) {
          throw new IllegalStateException("a heartbeat was answered " + answer.get());
        }
      }
    } finally {
      pool.shutdown();
    }
  }
}
