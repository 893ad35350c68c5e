package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.heartlog.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The live tail over a WebSocket ({@code ws://.../api/tail}): each record one JSON message, the
 * filters and {@code after} of the event stream, and pings that keep a quiet socket open.
 */
class TailWebSocketTest extends LiveTailTestBase {

  @Test
  void aWebSocketGetsEachNewRecordItWantsAsOneJsonMessage() throws Exception {
    BlockingQueue<String> errors = connect("?level=error&worker=gpu-2&apikey=" + READER);
    awaitFollowing(errors, "gpu-2", "ERROR");

    store("gpu-2", "INFO", "routine on gpu-2");
    store("gpu-1", "ERROR", "error on gpu-1");
    store("gpu-2", "CRITICAL", "critical on gpu-2");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(errors, "critical on gpu-2", received)).isTrue();
    assertThat(withoutProbes(received)).singleElement().asString()
        .startsWith("{\"id\":").endsWith("}")
        .contains("\"level\":\"CRITICAL\"", "\"worker_id\":\"gpu-2\"");
  }

  @Test
  void aWebSocketThatComesBackAfterAnIdIsSentWhatItMissed() throws Exception {
    BlockingQueue<String> first = connect("?level=WARNING&apikey=" + READER);
    awaitFollowing(first, "gpu-5", "WARNING");
    long lastId = storeAndAwaitId(first, "gpu-5", "ERROR", "seen before the drop");
    sockets.forEach(WebSocket::abort);

    store("gpu-5", "WARNING", "missed");
    store("gpu-5", "INFO", "not wanted");
    BlockingQueue<String> again = connect("?level=WARNING&after=" + lastId + "&apikey=" + READER);
    store("gpu-6", "ERROR", "new");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(again, "new", received)).isTrue();
    assertThat(withoutProbes(received)).satisfiesExactly(
        event -> assertThat(event).contains("\"missed\""),
        event -> assertThat(event).contains("\"new\""));
  }

  @Test
  void aFollowerThatComesBackWhileTheStoreIsDownIsToldToTryAgainAndNoOtherIsEnded() throws Exception {
    BlockingQueue<String> other = connect("?worker=gpu-8&apikey=" + READER);
    awaitFollowing(other, "gpu-8", "INFO");
    long lastId = storeAndAwaitId(other, "gpu-8", "INFO", "seen before the store went down");
    store("gpu-8", "INFO", "missed by the one coming back");   // read by following: to be read again for it
    assertThat(awaitEvent(other, "missed by the one coming back")).isTrue();

    int nameStart = url.lastIndexOf('/') + 1;
    int nameEnd = url.contains("?") ? url.indexOf('?') : url.length();
    String database = url.substring(nameStart, nameEnd);
    String serverDatabase = url.substring(0, nameStart) + "postgres" + url.substring(nameEnd);
    try (Connection admin = DriverManager.getConnection(serverDatabase); Statement statement = admin.createStatement()) {
      statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");   // what it missed cannot be read
      try {
        BlockingQueue<String> ends = new LinkedBlockingQueue<>();
        stalledFollower("?worker=gpu-8&after=" + lastId + "&apikey=" + READER, ends).request(Long.MAX_VALUE);
        assertThat(ends.poll(15, TimeUnit.SECONDS)).as("how the returning follower ended")
            .isEqualTo("1013 heartlog: could not read what this follower missed; follow again with after=<the last id received>");
      } finally {
        statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
      }
    }
    store("gpu-8", "INFO", "stored once the store was back");
    assertThat(awaitEvent(other, "stored once the store was back")).as("the other follower still follows").isTrue();
  }

  @Test
  void aQuietWebSocketIsPingedAndTheServerLeavesNoThreadBehindThatKeepsTheProgramRunning() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    HeartlogServer own = HeartlogServer.builder().store(Store.open(url, null, null))
        .keysFile(Files.createTempDirectory("live-tail-keys").resolve("keys")).readerKeys(READER)
        .listenTo(url, null, null).tailKeepAlive(Duration.ofMillis(500)).port(0).build().start();
    BlockingQueue<String> pings = new LinkedBlockingQueue<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + own.port() + "/api/tail?apikey=" + READER), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.add("ping");
            return WebSocket.Listener.super.onPing(webSocket, message);
          }
        }).join();
    sockets.add(socket);

    assertThat(pings.poll(10, TimeUnit.SECONDS)).isEqualTo("ping");
    assertThat(socket.isInputClosed()).isFalse();

    own.close();
    await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nonDaemonThreads())
        .as("threads that would keep a program that closed its server from exiting").isSubsetOf(before));
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(thread -> !thread.isDaemon() && thread.isAlive())
        .collect(Collectors.toSet());
  }
}
