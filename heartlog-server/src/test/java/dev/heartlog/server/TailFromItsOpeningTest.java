package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A follower is sent every record stored once its stream or socket is open, the first ones too:
 * a client that starts storing records as soon as it follows (a test, a deploy script, a page
 * that opened on an empty worker) must not miss them. The server sends a stream's headers, and a
 * WebSocket's upgrade, before it sets the follower up; a record stored between the two was lost
 * when the server had no follower yet, 5 times in 10 (each round here is a server just started).
 */
class TailFromItsOpeningTest extends LiveTailTestBase {

  private static final int ROUNDS = 4;

  @Test
  void anEventStreamGetsTheRecordStoredAsItsHeadersArrive() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      restartWithTailMaxQueued(HeartlogServer.DEFAULT_TAIL_MAX_QUEUED);
      HttpResponse<Stream<String>> opened = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail?worker=gpu-3"))
              .header("apikey", READER).header("Accept", "text/event-stream").build(),
              HttpResponse.BodyHandlers.ofLines());   // returns once the headers are in
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> opened.body().filter(line -> line.startsWith("data:")).forEach(events::add));
      reader.setDaemon(true);
      reader.start();

      store("gpu-3", "INFO", "first frame of round " + round);

      assertThat(awaitEvent(events, "first frame of round " + round)).as("round %d", round).isTrue();
      opened.body().close();
    }
  }

  @Test
  void aWebSocketGetsTheRecordStoredAsItOpens() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      restartWithTailMaxQueued(HeartlogServer.DEFAULT_TAIL_MAX_QUEUED);
      BlockingQueue<String> messages = connect("?worker=gpu-4&apikey=" + READER);   // once the upgrade is answered

      store("gpu-4", "INFO", "first frame of round " + round);

      assertThat(awaitEvent(messages, "first frame of round " + round)).as("round %d", round).isTrue();
      sockets.forEach(WebSocket::abort);
    }
  }
}
