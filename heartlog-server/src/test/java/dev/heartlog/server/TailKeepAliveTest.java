package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A quiet event stream of the live tail (a worker that logs nothing for a minute) is sent a
 * comment line now and then, which its reader ignores: a proxy ends a stream it sees nothing on
 * for its read timeout (nginx's proxy_read_timeout, 60 s: a curl following through the README's
 * nginx ended after 60 s, and a browser's EventSource reconnected every minute). The records
 * still come on the same stream.
 */
class TailKeepAliveTest extends LiveTailTestBase {

  @Test
  void aQuietStreamIsSentCommentsAndGetsTheNextRecordOnTheSameStream() throws Exception {
    restartWithTailKeepAlive(Duration.ofMillis(300));
    HttpResponse<Stream<String>> stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail?worker=quiet-worker"))
            .header("apikey", READER).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();

    assertThat(lines.poll(5, TimeUnit.SECONDS)).as("a comment within 5 s of a quiet stream").isEqualTo(": keep-alive");

    store("quiet-worker", "INFO", "at last a frame");
    assertThat(awaitEvent(lines, "at last a frame")).isTrue();
    stream.body().close();
  }
}
