package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An answer whose headers come and whose body does not, or comes without end: the heartbeat
 * fails and the next one goes out. Found against a server that sent its headers and part of its
 * body, then stalled: the JDK's request timeout ends with the headers, and no heartbeat went out
 * again for as long as the worker ran.
 */
@Timeout(30)
class StalledAnswerTest {

  private static final String STORED = "{\"success\": true, \"duplicate\": false, \"logs_inserted\": 1, \"logs_rejected\": 0}";

  private HttpServer server;
  private final AtomicReference<String> mode = new AtomicReference<>("stall");
  private final CountDownLatch released = new CountDownLatch(1);
  private PostgrestTransport transport;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/rest/v1/rpc/func_worker_heartbeat_with_logs", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      try (OutputStream out = exchange.getResponseBody()) {
        switch (mode.get()) {
          case "stall" -> {
            exchange.sendResponseHeaders(200, 1_000);
            out.write("{\"success\": tr".getBytes(StandardCharsets.UTF_8));
            out.flush();
            released.await();   // the rest of the body never comes while the test runs
          }
          case "endless" -> {
            exchange.sendResponseHeaders(200, 0);   // chunked, without end
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 1_000 && released.getCount() > 0; i++) {
              out.write(chunk);
            }
          }
          default -> {
            byte[] body = STORED.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            out.write(body);
          }
        }
      } catch (InterruptedException | IOException e) {
        // the client went away
      }
    });
    server.start();
    transport = PostgrestTransport.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).key("k")
        .requestTimeout(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    released.countDown();
    server.stop(0);
  }

  @Test
  void aBodyThatStallsIsATimedOutHeartbeatAndTheNextOneGoesOut() {
    DeliveryResult stalled = transport.deliver(heartbeat());
    mode.set("answer");
    DeliveryResult next = transport.deliver(heartbeat());

    assertThat(stalled.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(stalled.detail()).startsWith("no whole answer from http://127.0.0.1:").endsWith("/rest/v1 within 1s");
    assertThat(next.outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
  }

  @Test
  void aBodyLargerThanAnyAnswerIsRefusedNotReadIntoMemory() {
    mode.set("endless");

    DeliveryResult endless = transport.deliver(heartbeat());

    assertThat(endless.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(endless.detail()).endsWith("/rest/v1 sent an answer of more than " + BoundedExchange.MAX_ANSWER_BYTES
        + " bytes, which no answer of the ingest function is");
  }

  private static Heartbeat heartbeat() {
    LogRecord record = new LogRecord(Instant.parse("2026-11-27T22:00:00Z"), 1, Level.INFO, "m", "t-1", Map.of());
    return new Heartbeat("w", "session", 1L, WorkerStatus.ACTIVE, 81559, 23017, "t-1", List.of(record), Map.of());
  }
}
