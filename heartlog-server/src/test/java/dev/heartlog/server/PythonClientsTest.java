package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Fixtures;
import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.WorkerHealth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Python workers send (through supabase-py, with its headers as it sends them, or as JSON of
 * their own from {@code json.dumps}), answered as PostgREST answers it, or better where PostgREST
 * would lose the worker's records: the seed's fallback heartbeat, {@code PATCH
 * /rest/v1/workers?id=eq.<id>} ({@code table("workers").update(...).eq("id", ...)}, with {@code
 * Prefer: return=representation}, and a plain client without that header), VRAM figures
 * PostgreSQL's integer would refuse, and the NaN and Infinity {@code json.dumps} writes.
 */
@Timeout(60)
class PythonClientsTest {

  private static final String WRITER = "hlw_patch_test_writer_key";

  @TempDir static Path folder;
  static Store store;
  static HeartlogServer server;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    store = TestDatabase.freshStore();
    server = HeartlogServer.builder()
        .store(store)
        .keysFile(folder.resolve("keys"))
        .writerKeys(WRITER)
        .readerKeys("hlr_patch_test_reader_key")
        .port(0)
        .build()
        .start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void supabasePysUpdateGetsTheUpdatedRowBack() throws Exception {
    registerWorker("py-worker-1");

    HttpResponse<String> response = patch("py-worker-1", "",
        "{\"status\": \"active\", \"last_heartbeat\": \"2026-11-30T10:00:00.123456+00:00\", "
            + "\"vram_total_mb\": 81559, \"vram_used_mb\": 23017, \"current_task_id\": \"task-9\"}",
        "return=representation");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    // The seed's heartbeat columns, as PostgREST's to_json of the row writes them; not the
    // orchestrator's own (its secret among them), which a writer key has no business reading.
    assertThat(response.body())
        .isEqualTo("[{\"id\":\"py-worker-1\",\"status\":\"active\",\"last_heartbeat\":\"2026-11-30T10:00:00.123456+00:00\","
            + "\"vram_total_mb\":81559,\"vram_used_mb\":23017,\"current_task_id\":\"task-9\"}]");
    assertThat(worker("py-worker-1").vramUsedMb()).isEqualTo(23017);
    assertThat(worker("py-worker-1").currentTaskId()).isEqualTo("task-9");
  }

  @Test
  void selectNamesTheColumnsAnsweredInItsOrder() throws Exception {
    registerWorker("js-worker-1");

    HttpResponse<String> response = patch("js-worker-1", "&select=vram_used_mb,id,no_such_column,ssh_key",
        "{\"vram_used_mb\": 512}", "count=exact, return=representation");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[{\"vram_used_mb\":512,\"id\":\"js-worker-1\"}]");
  }

  @Test
  void withoutPreferTheUpdateAnswers204AndNoBody() throws Exception {
    registerWorker("curl-worker-1");

    HttpResponse<String> response = patch("curl-worker-1", "", "{\"status\": \"busy\", \"vram_used_mb\": 7}", null);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(statusOf("curl-worker-1")).isEqualTo("busy");
    assertThat(worker("curl-worker-1").vramUsedMb()).isEqualTo(7);
  }

  @Test
  void anUnknownWorkerIsAnEmptyListAsInPostgrest() throws Exception {
    HttpResponse<String> response = patch("never-registered", "", "{\"status\": \"active\"}", "return=representation");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[]");
    assertThat(store.workers(Store.DEFAULT_STALE_AFTER)).noneMatch(w -> w.id().equals("never-registered"));
  }

  @Test
  void aFractionOfVramIsRoundedAndFiguresNoIntegerHoldsAreKeptAsSentTheRecordsStored() throws Exception {
    String python = Fixtures.read(Fixtures.PYTHON_WORKER_HEARTBEAT);
    // torch.cuda.memory_allocated() / 2**20, and the total in bytes where MiB were meant.
    String fractions = python.replace("\"gpu-20261127-a1b2c3\"", "\"py-fraction\"")
        .replace("\"vram_used_mb_param\": 23017", "\"vram_used_mb_param\": 23017.5")
        .replace("\"vram_total_mb_param\": 81559", "\"vram_total_mb_param\": 85520809984");
    assertThat(fractions).contains("23017.5").contains("85520809984");

    HttpResponse<String> response = send("POST", IngestRoutes.RPC_PATH, fractions);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"logs_inserted\": 4");
    assertThat(worker("py-fraction").vramUsedMb()).isEqualTo(23018);
    assertThat(worker("py-fraction").vramTotalMb()).isNull();
    assertThat(lastHeartbeatMetadata("py-fraction"))
        .contains("\"original_vram_total_mb_param\": \"85520809984\"")
        .doesNotContain("vram_used_mb_param");
  }

  @Test
  void aPatchsFractionOfVramIsRoundedAndTextThatIsNoFigureRefused() throws Exception {
    registerWorker("patch-fraction");

    HttpResponse<String> fraction = patch("patch-fraction", "", "{\"vram_used_mb\": \"1023.7\"}", null);
    HttpResponse<String> text = patch("patch-fraction", "", "{\"vram_used_mb\": \"lots\", \"status\": \"busy\"}", null);

    assertThat(fraction.statusCode()).isEqualTo(204);
    assertThat(worker("patch-fraction").vramUsedMb()).isEqualTo(1024);
    assertThat(text.statusCode()).isEqualTo(400);
    assertThat(text.body()).contains("\"code\":\"22P02\"").contains("vram_used_mb = lots");
    assertThat(statusOf("patch-fraction")).as("nothing of a refused PATCH is applied").isEqualTo("inactive");
  }

  @Test
  void theNanAndInfinityOfPythonsJsonDumpsAreStoredAsTextNotRefused() throws Exception {
    // json.dumps({"loss": float("nan")}) writes {"loss": NaN}: not JSON, which PostgREST refuses
    // with the whole heartbeat.
    String body = "{\"worker_id_param\": \"py-nan\", \"logs_param\": [{\"timestamp\": \"2026-11-30T10:00:00+00:00\", "
        + "\"level\": \"WARNING\", \"message\": \"loss diverged\", \"metadata\": {\"loss\": NaN, \"lr\": Infinity, "
        + "\"grad\": -Infinity, \"step\": 1200, \"scale\": 0.5}}], \"metadata_param\": {\"mean_loss\": NaN}}";

    HttpResponse<String> response = send("POST", IngestRoutes.RPC_PATH, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"logs_inserted\": 1");
    assertThat(store.logs(new LogFilter("py-nan", null, null, null, null, null, 10)))
        .singleElement().satisfies(record -> assertThat(record.metadataJson())
            .contains("\"loss\": \"NaN\"", "\"lr\": \"Infinity\"", "\"grad\": \"-Infinity\"", "\"step\": 1200",
                "\"scale\": 0.5"));
    assertThat(lastHeartbeatMetadata("py-nan")).contains("\"mean_loss\": \"NaN\"");
  }

  @Test
  void aProblemTimedWithoutAnOffsetCountsInItsUtcHourForFleetHealth() throws Exception {
    // datetime.utcnow().isoformat(): counted by the server as UTC, as the store reads the time.
    String now = LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1).truncatedTo(ChronoUnit.MICROS).toString();
    String body = "{\"worker_id_param\": \"py-naive\", \"logs_param\": ["
        + "{\"timestamp\": \"" + now + "\", \"level\": \"ERROR\", \"message\": \"render failed\"},"
        + "{\"timestamp\": \"" + now + "\", \"level\": \"WARNING\", \"message\": \"low VRAM\"}]}";

    HttpResponse<String> response = send("POST", IngestRoutes.RPC_PATH, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(lastHeartbeatMetadata("py-naive")).as("counted by the server").contains("problem_counts");
    assertThat(worker("py-naive").errorsLastHour()).isEqualTo(1);
    assertThat(worker("py-naive").warningsLastHour()).isEqualTo(1);
  }

  @Test
  void otherPostgrestPathsAreAnsweredInPostgrestsShapeSayingWhatIsServed() throws Exception {
    HttpResponse<String> otherFunction = send("POST", "/rest/v1/rpc/claim_task", "{}");
    HttpResponse<String> otherTable = send("POST", "/rest/v1/tasks", "{\"id\": \"t\"}");
    HttpResponse<String> readWorkers = send("GET", "/rest/v1/workers?select=*", null);

    assertThat(otherFunction.statusCode()).isEqualTo(404);
    assertThat(otherFunction.body()).contains("\"code\":\"PGRST202\"")
        .contains("Could not find the function public.claim_task in the schema cache")
        .contains("heartlog serve answers POST /rest/v1/rpc/func_worker_heartbeat_with_logs");
    assertThat(otherTable.statusCode()).isEqualTo(404);
    assertThat(otherTable.body()).contains("\"code\":\"PGRST205\"").contains("'public.tasks'");
    assertThat(readWorkers.statusCode()).isEqualTo(405);
    assertThat(readWorkers.body()).contains("\"code\":\"PGRST117\"").contains("Unsupported HTTP method: GET");
    assertThat(List.of(otherFunction, otherTable, readWorkers))
        .allSatisfy(r -> assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json"));
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("apiKey", WRITER).header("Authorization", "Bearer " + WRITER).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String lastHeartbeatMetadata(String id) {
    return store.withConnection(connection -> {
      try (Statement statement = connection.createStatement();
           ResultSet row = statement.executeQuery(
               "SELECT metadata::text FROM worker_heartbeats WHERE worker_id = '" + id + "' ORDER BY received_at DESC LIMIT 1")) {
        return row.next() ? row.getString(1) : null;
      }
    });
  }

  /**
   * The orchestrator's row for a worker, as the seed's deployments have it before any heartbeat,
   * with a column of the orchestrator's own that holds a secret.
   */
  private static void registerWorker(String id) {
    store.withConnection(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE workers ADD COLUMN IF NOT EXISTS ssh_key text");
        return statement.executeUpdate(
            "INSERT INTO workers (id, status, ssh_key) VALUES ('" + id + "', 'inactive', 'secret-of-" + id + "')");
      }
    });
  }

  private static String statusOf(String id) {
    return store.withConnection(connection -> {
      try (Statement statement = connection.createStatement();
           ResultSet row = statement.executeQuery("SELECT status FROM workers WHERE id = '" + id + "'")) {
        return row.next() ? row.getString(1) : null;
      }
    });
  }

  private static WorkerHealth worker(String id) {
    return store.workers(Store.DEFAULT_STALE_AFTER).stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  private static HttpResponse<String> patch(String workerId, String query, String body, String prefer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/rest/v1/workers?id=eq." + workerId + query))
        .header("apiKey", WRITER)
        .header("Authorization", "Bearer " + WRITER)
        .header("Accept-Profile", "public")
        .header("Content-Profile", "public")
        .header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
    if (prefer != null) {
      request.header("Prefer", prefer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
