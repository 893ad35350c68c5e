package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP transport against a small server that answers as PostgREST does: status, JSON error
 * body with PostgREST's code, and headers.
 */
@Timeout(30)
class PostgrestTransportTest {

  private static final String PGRST202 =
      "{\"code\":\"PGRST202\",\"details\":\"Searched for the function public.func_worker_heartbeat_with_logs with "
          + "parameters ...\",\"hint\":null,\"message\":\"Could not find the function "
          + "public.func_worker_heartbeat_with_logs(...) in the schema cache\"}";

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean functionExists = new AtomicBoolean();
  private final AtomicReference<String> nextAnswer = new AtomicReference<>();
  private final AtomicReference<String> workersRefusal = new AtomicReference<>();
  private final List<String> encodings = new CopyOnWriteArrayList<>();
  private final AtomicBoolean acceptsGzip = new AtomicBoolean();
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/rest/v1/rpc/func_worker_heartbeat_with_logs", this::rpc);
    server.createContext("/rest/v1/workers", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body(exchange));
      String refusal = workersRefusal.get();
      answer(exchange, refusal == null ? 204 : 400, refusal == null ? "" : refusal);
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void rpc(HttpExchange exchange) throws IOException {
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    byte[] sent = exchange.getRequestBody().readAllBytes();
    encodings.add(encoding + ", Content-Length " + exchange.getRequestHeaders().getFirst("Content-Length")
        + ", " + sent.length + " bytes");
    String body = new String("gzip".equals(encoding)
        ? new GZIPInputStream(new java.io.ByteArrayInputStream(sent)).readAllBytes() : sent, StandardCharsets.UTF_8);
    if (acceptsGzip.get()) {
      exchange.getResponseHeaders().add("Accept-Encoding", "gzip");
    }
    requests.add("POST rpc " + exchange.getRequestHeaders().getFirst("apikey") + " "
        + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
    String scripted = nextAnswer.getAndSet(null);
    if (scripted != null) {
      String[] parts = scripted.split(" ", 3);
      exchange.getResponseHeaders().add("Retry-After", parts[1]);
      if (parts[0].startsWith("3")) {
        exchange.getResponseHeaders().add("Location", "https://project.example.co/rest/v1/rpc/func_worker_heartbeat_with_logs");
      }
      answer(exchange, Integer.parseInt(parts[0]), parts[2]);
      return;
    }
    if (!functionExists.get()) {
      answer(exchange, 404, PGRST202);
      return;
    }
    int records = body.split("\"message\"", -1).length - 1;
    answer(exchange, 200, "{\"success\": true, \"logs_inserted\": " + records + "}");
  }

  @Test
  void aMissingFunctionStepsDownToTheSeedsArgumentsThenPatchesTheWorkerAndKeepsTheRecords() {
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("secret-key").functionRetryInterval(Duration.ZERO).build();
    Heartbeat heartbeat = heartbeat("gpu worker/1", "only record");

    DeliveryResult result = transport.deliver(heartbeat);

    assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.HEARTBEAT_ONLY);
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).startsWith("POST rpc secret-key Bearer secret-key {\"worker_id_param\":\"gpu worker/1\"")
        .contains("\"status_param\":\"active\"").contains("\"batch_seq_param\":1");
    // The problem counts come before the records, so heartlog serve need not count them.
    assertThat(requests.get(0).indexOf("\"metadata_param\":{")).isPositive()
        .isLessThan(requests.get(0).indexOf("\"logs_param\":["));
    assertThat(requests.get(1)).contains("\"current_task_id_param\":\"t-1\"").contains("\"logs_param\":[")
        .doesNotContain("status_param");
    assertThat(requests.get(2)).startsWith("PATCH /rest/v1/workers?id=eq.gpu+worker%2F1 ")
        .contains("\"status\":\"active\"").contains("\"vram_used_mb\":23017").contains("\"current_task_id\":\"t-1\"");

    functionExists.set(true);
    assertThat(transport.deliver(heartbeat)).isEqualTo(DeliveryResult.stored(1));
  }

  @Test
  void aPlainHeartbeatTheWorkersTableRefusesIsAFailureThatKeepsTheRecords() {
    // PostgREST's answer when the orchestrator's enum status has no 'stopped'.
    workersRefusal.set("{\"code\":\"22P02\",\"details\":null,\"hint\":null,"
        + "\"message\":\"invalid input value for enum worker_status: \\\"stopped\\\"\"}");
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k").build();

    DeliveryResult result = transport.deliver(heartbeat("gpu-1", "last record"));

    assertThat(result.outcome()).as("not REJECTED: the PATCH carried no records").isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(result.detail()).contains("the workers table refused the plain heartbeat: HTTP 400")
        .contains("invalid input value for enum worker_status");
  }

  @Test
  void anAgentKeepsItsRecordsThroughTheFallbackAndDeliversThemOnceTheFunctionExists() {
    RecordingTransport unused = new RecordingTransport();
    try (HeartlogAgent agent = AgentTestSupport.agent(unused)
        .transport(PostgrestTransport.builder().baseUrl(base).key("secret-key").functionRetryInterval(Duration.ZERO).build())
        .heartbeatInterval(Duration.ofMillis(50))
        .build()) {
      agent.log(Level.INFO, "kept through the fallback");
      await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r -> r.startsWith("PATCH")));
      assertThat(agent.stats().currentBufferSize()).isEqualTo(1);

      functionExists.set(true);
      assertThat(agent.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(agent.stats().totalSent()).isEqualTo(1);
    }
  }

  @Test
  void aLargeBodyIsGzippedOnceTheServerAcceptsItAndCarriesEveryCharacterIntact() {
    functionExists.set(true);
    acceptsGzip.set(true);
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k").build();
    // Three- and four-byte characters make the body longer in UTF-8 than the batch's text is long
    // in characters, so the body outgrows the array sized for it.
    String message = "Übergröße — 日本語のログ 🎬 frame ";
    List<LogRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      records.add(new LogRecord(java.time.Instant.parse("2026-11-27T22:00:00Z").plusMillis(i), i + 1, Level.INFO,
          message + i, "t-1", Map.of()));
    }
    Heartbeat heartbeat = new Heartbeat("w", "session", 1L, WorkerStatus.ACTIVE, 81559, 23017, "t-1", records, Map.of());

    assertThat(transport.deliver(heartbeat)).isEqualTo(DeliveryResult.stored(300));
    assertThat(transport.deliver(heartbeat)).isEqualTo(DeliveryResult.stored(300));

    assertThat(encodings).as("gzip only once the server said it takes it, and never in chunks").hasSize(2)
        .allMatch(line -> line.matches("\\w+, Content-Length (\\d+), \\1 bytes"), "a Content-Length that is the body's")
        .satisfies(lines -> assertThat(lines.get(0)).startsWith("null, "), lines -> assertThat(lines.get(1)).startsWith("gzip, "));
    assertThat(requests.get(0).getBytes(StandardCharsets.UTF_8).length).isGreaterThan(PostgrestTransport.GZIP_THRESHOLD_BYTES);
    assertThat(requests.get(1)).isEqualTo(requests.get(0))
        .contains("\"logs_param\":" + heartbeat.logsJson() + "}")
        .contains(message + "299");
  }

  /** As heartlog serve answers a full disk and a stopped database: the message alone says little. */
  @Test
  void aFailureSaysTheErrorsDetailsAndHintOnOneLine() {
    String fullDisk = PostgrestTransport.describeError("{\"code\":\"53100\",\"details\":null,"
        + "\"hint\":\"Check free disk space.\",\"message\":\"could not extend file \\\"base/5/16528\\\": No space left on device\"}");
    String stopped = PostgrestTransport.describeError("{\"code\":\"PGRST001\",\"details\":\"Connection to db.example.com:5432 "
        + "refused.\\nCheck that the hostname and port are correct\",\"hint\":null,\"message\":\"Database client error. "
        + "Retrying the connection.\"}");
    String long_ = PostgrestTransport.describeError("{\"code\":\"XX000\",\"message\":\"" + "x".repeat(1_000) + "\"}");

    assertThat(fullDisk).isEqualTo(": 53100 could not extend file \"base/5/16528\": No space left on device "
        + "Hint: Check free disk space.");
    assertThat(stopped).isEqualTo(": PGRST001 Database client error. Retrying the connection. "
        + "(Connection to db.example.com:5432 refused. Check that the hostname and port are correct)");
    assertThat(long_).hasSize(": XX000 ".length() + PostgrestTransport.LONGEST_ERROR_PART + "...".length());
  }

  @Test
  void serverTroubleIsRetriedHonouringRetryAfterAndBadRequestsAreRejected() {
    functionExists.set(true);
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k").build();

    nextAnswer.set("503 7 {\"code\":\"PGRST001\",\"message\":\"Database client error\"}");
    DeliveryResult unavailable = transport.deliver(heartbeat("w", "r"));
    nextAnswer.set("429 2 {\"message\":\"slow down\"}");
    DeliveryResult throttled = transport.deliver(heartbeat("w", "r"));
    nextAnswer.set("400 0 {\"code\":\"22P02\",\"message\":\"invalid input syntax for type integer\"}");
    DeliveryResult bad = transport.deliver(heartbeat("w", "r"));

    assertThat(unavailable.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(unavailable.detail()).contains("HTTP 503").contains("PGRST001");
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(bad.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
    assertThat(bad.detail()).contains("22P02");
  }

  @Test
  void anObjectMissingInsideTheFunctionOrAWrongUrlOrARedirectKeepsTheRecordsWhereABadBatchIsRejected() {
    functionExists.set(true);
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k").build();
    // PostgREST's answers (its documentation's status table): 42883 is 404, 42703 is 400.
    String[] keptAnswers = {"404 0 {\"code\":\"42883\",\"message\":\"operator does not exist: uuid = text\"}",
        "400 0 {\"code\":\"42703\",\"message\":\"column \\\"problem_errors\\\" of relation \\\"workers\\\" does not exist\"}",
        "404 0 <html>Not Found</html>", "301 0 Moved Permanently"};
    List<String> details = new ArrayList<>();
    for (String answer : keptAnswers) {
      nextAnswer.set(answer);
      DeliveryResult kept = transport.deliver(heartbeat("w", "r"));
      assertThat(kept.outcome()).as(answer).isEqualTo(DeliveryResult.Outcome.FAILED);
      details.add(kept.detail());
    }
    assertThat(details.get(3)).contains("HTTP 301", "moved to https://project.example.co/rest/v1/rpc/");
    String[] rejectedAnswers = {"400 0 {\"code\":\"23514\",\"message\":\"violates check constraint\"}",
        "400 0 {\"code\":\"PGRST102\",\"message\":\"Empty or invalid json\"}",
        "500 0 {\"code\":\"54001\",\"message\":\"stack depth limit exceeded\"}"};
    for (String answer : rejectedAnswers) {
      nextAnswer.set(answer);
      assertThat(transport.deliver(heartbeat("w", "r")).outcome()).as(answer).isEqualTo(DeliveryResult.Outcome.REJECTED);
    }
    // Too large (413), even as one record: sent again as a short record saying so (OversizeBodyTest
    // splits batches through a real proxy).
    nextAnswer.set("413 0 {\"message\":\"too large\"}");
    requests.clear();
    assertThat(transport.deliver(heartbeat("w", "r")).outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).contains("heartlog: the server refused this record as too large (HTTP 413) even alone; "
        + "it began: r", "\"heartlog_refused_bytes\"");
  }

  @Test
  void theProjectsRestUrlIsReadAsTheProjectsUrl() {
    functionExists.set(true);
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base + "/rest/v1/").key("k").build();

    DeliveryResult result = transport.deliver(heartbeat("w", "r"));

    assertThat(result.outcome()).as(result.detail()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(result.logsInserted()).isEqualTo(1);
  }

  @Test
  void aTokenTravelsAsTheBearerWithTheKeyAsApikeyAndARefusedWorkerKeepsItsRecords() {
    functionExists.set(true);
    PostgrestTransport transport =
        PostgrestTransport.builder().baseUrl(base).key("project-key").token("worker-token").build();

    assertThat(transport.deliver(heartbeat("gpu-1", "r"))).isEqualTo(DeliveryResult.stored(1));
    assertThat(requests.get(0)).startsWith("POST rpc project-key Bearer worker-token {");
    assertThat(transport.toString()).doesNotContain("project-key", "worker-token").contains("token=***");

    // PostgREST's answer when the ingest function refuses the worker its token does not name.
    nextAnswer.set("403 0 {\"code\":\"42501\",\"message\":\"heartlog: this token may write only as workers whose id "
        + "starts with \\\"gpu-\\\", not as \\\"cpu-1\\\"\"}");
    DeliveryResult refused = transport.deliver(heartbeat("cpu-1", "r"));
    assertThat(refused.outcome()).as("kept for an operator to fix, not dropped").isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(refused.detail()).contains("HTTP 403", "42501");
  }

  @Test
  void aRefusalSaysWhenTheTokenHasExpired() {
    // A token's payload as heartlog token writes it, expiring at 2026-11-29T12:00:00Z; PostgREST
    // answers such a token 401 with its own code for an expired JWT.
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"role\":\"authenticated\",\"heartlog_workers\":\"gpu-\",\"iat\":1764417600,\"exp\":1795953600}"
            .getBytes(StandardCharsets.UTF_8));
    String token = "eyJhbGciOiJFUzI1NiJ9." + payload + ".c2lnbmF0dXJl";
    nextAnswer.set("401 0 {\"code\":\"PGRST303\",\"message\":\"JWT expired\"}");
    Instant afterExpiry = Instant.parse("2026-11-29T12:00:01Z");
    DeliveryResult expired = PostgrestTransport.builder().baseUrl(base).key("project-key").token(token)
        .clock(Clock.fixed(afterExpiry, ZoneOffset.UTC)).build().deliver(heartbeat("gpu-1", "r"));

    assertThat(expired.outcome()).as("kept until a new token comes").isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(expired.detail()).contains("HTTP 401", "JWT expired",
        "the token expired at 2026-11-29T12:00:00Z; heartlog token makes a new one");

    nextAnswer.set("401 0 {\"code\":\"PGRST301\",\"message\":\"JWSError JWSInvalidSignature\"}");
    DeliveryResult badSignature = PostgrestTransport.builder().baseUrl(base).key("project-key").token(token)
        .clock(Clock.fixed(afterExpiry.minusSeconds(60), ZoneOffset.UTC)).build().deliver(heartbeat("gpu-1", "r"));
    assertThat(badSignature.detail()).contains("(check the key and the token)").doesNotContain("expired at");
    assertThat(badSignature.detail() + expired.detail()).doesNotContain(token, "project-key");
  }

  @Test
  void aTokenFileIsReadAtEveryHeartbeatSoARotatedTokenNeedsNoRestart(@TempDir Path folder) throws IOException {
    functionExists.set(true);
    Path file = Files.writeString(folder.resolve("token"), "first-token\n");
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("project-key").tokenFile(file).build();

    assertThat(transport.deliver(heartbeat("gpu-1", "r"))).isEqualTo(DeliveryResult.stored(1));
    Files.writeString(file, "second-token");
    assertThat(transport.deliver(heartbeat("gpu-1", "r"))).isEqualTo(DeliveryResult.stored(1));
    assertThat(requests.get(0)).startsWith("POST rpc project-key Bearer first-token {");
    assertThat(requests.get(1)).startsWith("POST rpc project-key Bearer second-token {");
    assertThat(transport.toString()).contains("token from " + file).doesNotContain("second-token");

    // A file gone or emptied: the heartbeat fails and its records wait; nothing is sent without it.
    Files.writeString(file, "  \n");
    DeliveryResult empty = transport.deliver(heartbeat("gpu-1", "r"));
    Files.delete(file);
    DeliveryResult missing = transport.deliver(heartbeat("gpu-1", "r"));
    assertThat(empty.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(empty.detail()).contains("cannot read the token from " + file, "is empty");
    assertThat(missing.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(missing.detail()).contains("cannot read the token from " + file, "NoSuchFileException");
    assertThat(requests).hasSize(2);
  }

  @Test
  void aTokenAndATokenFileTogetherAreRefused(@TempDir Path folder) {
    assertThatThrownBy(() -> PostgrestTransport.builder().baseUrl(base).key("k").token("t").tokenFile(folder.resolve("t")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("give a token or a token file, not both");
    assertThatThrownBy(() -> AgentEnvironment.of(Map.of("SUPABASE_URL", base, "SUPABASE_KEY", "k", "HEARTLOG_TOKEN", "t",
            "HEARTLOG_TOKEN_FILE", folder.resolve("t").toString()), new java.util.Properties()).transport())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HEARTLOG_TOKEN or HEARTLOG_TOKEN_FILE, not both");
  }

  @Test
  void theEnvironmentsTokenFileIsReadForTheBearer(@TempDir Path folder) throws IOException {
    functionExists.set(true);
    Path file = Files.writeString(folder.resolve("token"), "file-token");
    Transport transport = AgentEnvironment.of(
            Map.of("SUPABASE_URL", base, "SUPABASE_KEY", "anon-key", "HEARTLOG_TOKEN_FILE", file.toString()), new java.util.Properties())
        .transport().orElseThrow();

    transport.deliver(heartbeat("gpu-1", "r"));

    assertThat(requests.get(0)).startsWith("POST rpc anon-key Bearer file-token {");
  }

  @Test
  void theEnvironmentsTokenIsSentAsTheBearer() {
    functionExists.set(true);
    Transport transport = AgentEnvironment.of(
            Map.of("SUPABASE_URL", base, "SUPABASE_KEY", "anon-key", "HEARTLOG_TOKEN", "worker-token"), new java.util.Properties())
        .transport().orElseThrow();

    transport.deliver(heartbeat("gpu-1", "r"));

    assertThat(requests.get(0)).startsWith("POST rpc anon-key Bearer worker-token {");
  }

  @Test
  void anUnreachableServerIsAFailureAndTheKeyIsNeverPrinted() {
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl("http://127.0.0.1:9").key("very-secret").build();

    DeliveryResult result = transport.deliver(heartbeat("w", "r"));

    assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(result.detail()).doesNotContain("very-secret");
    assertThat(transport.toString()).doesNotContain("very-secret");
  }

  @Test
  void transportsOfManyAgentsCanShareOneHttpClient() {
    functionExists.set(true);
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
    java.util.concurrent.atomic.AtomicInteger clientTasks = new java.util.concurrent.atomic.AtomicInteger();
    java.net.http.HttpClient shared = java.net.http.HttpClient.newBuilder()
        .executor(task -> {
          clientTasks.incrementAndGet();
          threads.execute(task);
        })
        .build();
    try {
      PostgrestTransport first = PostgrestTransport.builder().baseUrl(base).key("k").httpClient(shared).build();
      PostgrestTransport second = PostgrestTransport.builder().baseUrl(base).key("k").httpClient(shared).build();

      assertThat(first.deliver(heartbeat("w-1", "one")).outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
      int afterFirst = clientTasks.get();
      assertThat(second.deliver(heartbeat("w-2", "two")).outcome()).isEqualTo(DeliveryResult.Outcome.STORED);

      assertThat(afterFirst).as("the first transport ran on the shared client").isPositive();
      assertThat(clientTasks.get()).as("so did the second").isGreaterThan(afterFirst);
      assertThat(requests).anyMatch(r -> r.contains("\"w-1\"")).anyMatch(r -> r.contains("\"w-2\""));
    } finally {
      threads.shutdownNow();
    }
  }

  private static Heartbeat heartbeat(String worker, String message) {
    LogRecord record = new LogRecord(java.time.Instant.parse("2026-11-27T22:00:00Z"), 1, Level.INFO, message, "t-1", Map.of());
    return new Heartbeat(worker, "session", 1L, WorkerStatus.ACTIVE, 81559, 23017, "t-1", List.of(record), Map.of());
  }

  private static String body(HttpExchange exchange) throws IOException {
    return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }
}
