package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a heartlog serve on a real PostgreSQL, after heartbeats answered each way. */
@Timeout(60)
class ServerMetricsTest {

  private static final String WRITER = "hlw_test_writer_key_for_metrics";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path folder;
  private HeartlogServer server;

  @BeforeEach
  void start() throws IOException {
    server = HeartlogServer.builder().store(TestDatabase.freshStore()).keysFile(folder.resolve("keys"))
        .writerKeys(WRITER).readerKeys(ReaderRequests.READER).port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void heartbeatsAreCountedByTheirAnswerWithTheirRecordsAndTheFleetByHealthProblemsVramAndFlags() throws Exception {
    String batch = """
        {"worker_id_param": "render-1", "session_id_param": "8d0c5a8e-1111-4222-8333-944455556666", "batch_seq_param": 1,
         "vram_total_mb_param": 81559, "vram_used_mb_param": 23017,
         "logs_param": [{"level": "INFO", "message": "frame 1"}, {"level": "WARNING", "message": "frame 2"}, 42]}""";
    assertThat(heartbeat(batch, WRITER).body()).contains("\"logs_inserted\": 2", "\"logs_rejected\": 1");
    assertThat(heartbeat(batch, WRITER).body()).as("sent again: a lost answer").contains("\"duplicate\": true");
    // A worker whose clock runs 3 hours behind, that crashed.
    assertThat(heartbeat("{\"worker_id_param\": \"render-2\", \"status_param\": \"crashed\", \"vram_total_mb_param\": 24576, "
        + "\"vram_used_mb_param\": 1000, \"metadata_param\": {\"sent_at_ms\": " + (System.currentTimeMillis() - 10_800_000L) + "}}",
        WRITER).statusCode()).isEqualTo(200);
    assertThat(heartbeat("{\"worker_id_param\": \"\"}", WRITER).body()).contains("\"success\": false");
    assertThat(heartbeat("{\"worker_id_param\": \"render-3\"}", "hlw_not_a_key").statusCode()).isEqualTo(401);
    assertThat(heartbeat("not json", WRITER).statusCode()).isEqualTo(400);

    HttpResponse<String> metrics = ReaderRequests.get(server, "/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(lines(metrics.body())).contains(
        "heartlog_heartbeats_total{outcome=\"stored\"} 2.0",
        "heartlog_heartbeats_total{outcome=\"duplicate\"} 1.0",
        "heartlog_heartbeats_total{outcome=\"refused\"} 1.0",
        "heartlog_heartbeats_total{outcome=\"client_error\"} 2.0",
        "heartlog_heartbeats_total{outcome=\"store_unavailable\"} 0.0",
        "heartlog_records_stored_total 2.0",
        "heartlog_records_rejected_total 1.0",
        "heartlog_heartbeat_duration_seconds_count 6",
        "heartlog_workers{health=\"active\"} 1.0",
        "heartlog_workers{health=\"crashed\"} 1.0",
        "heartlog_fleet_records_last_hour{level=\"error\"} 1.0",   // the rejected record's row
        "heartlog_fleet_records_last_hour{level=\"warning\"} 1.0",
        "heartlog_fleet_vram_mebibytes{state=\"used\"} 23017.0",   // the running worker's: not the crashed one's
        "heartlog_fleet_vram_mebibytes{state=\"total\"} 81559.0",
        "heartlog_workers_flagged{reason=\"clock_skewed\"} 1.0",
        "heartlog_workers_flagged{reason=\"row_refused\"} 0.0",
        "heartlog_workers_flagged{reason=\"shared_id\"} 0.0",
        "heartlog_database_reachable 1.0",
        "heartlog_tail_followers 0.0");
    assertThat(metrics.body()).contains("jvm_memory_used_bytes{", "process_uptime_seconds ");
  }

  @Test
  void patchesOfAWorkersRowAreCountedByTheirAnswer() throws Exception {
    heartbeat("{\"worker_id_param\": \"render-1\"}", WRITER);

    assertThat(patch("id=eq.render-1", "{\"status\": \"stopped\"}").statusCode()).isEqualTo(204);
    assertThat(patch("id=eq.render-1", "{\"status\": \"active\"}").statusCode()).isEqualTo(204);
    assertThat(patch("id=eq.nobody", "{\"status\": \"stopped\"}").statusCode()).as("no row: as PostgREST").isEqualTo(204);
    assertThat(patch("status=eq.active", "{\"status\": \"stopped\"}").statusCode()).isEqualTo(400);

    assertThat(lines(ReaderRequests.get(server, "/metrics").body())).contains(
        "heartlog_worker_updates_total{outcome=\"updated\"} 2.0",
        "heartlog_worker_updates_total{outcome=\"unknown_worker\"} 1.0",
        "heartlog_worker_updates_total{outcome=\"client_error\"} 1.0",
        "heartlog_worker_updates_total{outcome=\"store_unavailable\"} 0.0",
        "heartlog_heartbeats_total{outcome=\"stored\"} 1.0");
  }

  @Test
  void aFleetOfManyStatusesGivesTheMostCommonHealthsAndTheRestAsOther() throws Exception {
    heartbeat("{\"worker_id_param\": \"render-a\"}", WRITER);
    heartbeat("{\"worker_id_param\": \"render-b\"}", WRITER);
    for (int i = 1; i <= 25; i++) {   // statuses of the workers' own, free text among them
      heartbeat(String.format("{\"worker_id_param\": \"render-%02d\", \"status_param\": \"status-%02d\"}", i, i), WRITER);
    }

    List<String> healths = lines(ReaderRequests.get(server, "/metrics").body()).stream()
        .filter(line -> line.startsWith("heartlog_workers{")).toList();

    assertThat(healths).hasSize(FleetMetrics.MOST_HEALTHS).contains(
        "heartlog_workers{health=\"active\"} 2.0",
        "heartlog_workers{health=\"status-18\"} 1.0",
        "heartlog_workers{health=\"other\"} 7.0");
    assertThat(healths).noneMatch(line -> line.contains("status-19"));
  }

  @Test
  void theConnectionPoolsConnectionsAreReportedWhereTheServerHasIt() throws Exception {
    String url = TestDatabase.migratedUrl();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(3);
    try (HikariDataSource pool = new HikariDataSource(config);
        HeartlogServer pooled = HeartlogServer.builder().store(Store.open(pool, url)).connectionPool(pool)
            .keysFile(folder.resolve("pooled-keys")).readerKeys(ReaderRequests.READER).port(0).build().start();
        Connection held = pool.getConnection()) {
      List<String> lines = lines(ReaderRequests.get(pooled, "/metrics").body());

      assertThat(lines).contains(
          "heartlog_database_connections{state=\"active\"} 1.0",
          "heartlog_database_connections_max 3.0",
          "heartlog_database_connections_waiting 0.0");
      assertThat(lines).anyMatch(line -> line.startsWith("heartlog_database_connections{state=\"idle\"} "));
    }
    assertThat(ReaderRequests.get(server, "/metrics").body()).as("a server not given its pool")
        .doesNotContain("heartlog_database_connections");
  }

  @Test
  void requestsAreTimedByMethodTheirDeclaredRouteAndStatus() throws Exception {
    assertThat(ReaderRequests.get(server, "/api/tasks/render-7f3a").statusCode()).isEqualTo(404);
    assertThat(ReaderRequests.get(server, "/api/workers").statusCode()).isEqualTo(200);
    assertThat(ReaderRequests.get(server, "/").statusCode()).as("forwarded to index.html: counted once").isEqualTo(200);
    // No endpoint answers these: the route's lookup threw, and the request logger's exception
    // turned the answers into 500s.
    assertThat(ReaderRequests.get(server, "/no-such-page").statusCode()).isEqualTo(404);
    assertThat(HTTP.send(HttpRequest.newBuilder(ReaderRequests.uri(server, "/api/logs")).method("FROB", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

    List<String> series = lines(ReaderRequests.get(server, "/metrics").body()).stream()
        .filter(line -> line.startsWith("heartlog_http_requests_seconds_count")).toList();

    assertThat(series).contains(
        "heartlog_http_requests_seconds_count{method=\"GET\",route=\"/api/tasks/<id>\",status=\"404\"} 1",
        "heartlog_http_requests_seconds_count{method=\"GET\",route=\"/api/workers\",status=\"200\"} 1",
        "heartlog_http_requests_seconds_count{method=\"GET\",route=\"static\",status=\"200\"} 1",
        "heartlog_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
        "heartlog_http_requests_seconds_count{method=\"OTHER\",route=\"unmatched\",status=\"404\"} 1");
    assertThat(series).as("ids and made-up methods make no series of their own").noneMatch(line -> line.contains("render-7f3a"))
        .noneMatch(line -> line.contains("FROB"));
  }

  @Test
  void aScraperNeedsAReaderKey() throws Exception {
    HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(ReaderRequests.uri(server, "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> writer = HTTP.send(HttpRequest.newBuilder(ReaderRequests.uri(server, "/metrics"))
        .header("Authorization", "Bearer " + WRITER).GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bearer = HTTP.send(HttpRequest.newBuilder(ReaderRequests.uri(server, "/metrics"))
        .header("Authorization", "Bearer " + ReaderRequests.READER).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(writer.statusCode()).isEqualTo(403);
    assertThat(bearer.statusCode()).as("as Prometheus sends its authorization's credentials").isEqualTo(200);
    assertThat(bearer.body()).contains("heartlog_heartbeats_total{outcome=\"stored\"} 0.0");
  }

  private HttpResponse<String> heartbeat(String body, String key) throws IOException, InterruptedException {
    URI uri = ReaderRequests.uri(server, IngestRoutes.RPC_PATH);
    return HTTP.send(HttpRequest.newBuilder(uri).header("apikey", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> patch(String query, String body) throws IOException, InterruptedException {
    URI uri = ReaderRequests.uri(server, IngestRoutes.WORKERS_PATH + "?" + query);
    return HTTP.send(HttpRequest.newBuilder(uri).header("apikey", WRITER).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> lines(String text) {
    return Arrays.asList(text.split("\n"));
  }
}
