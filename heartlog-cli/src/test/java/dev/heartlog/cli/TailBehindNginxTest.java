package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live tail's WebSocket ({@code ws://.../api/tail}) through Debian's nginx under a path. The
 * viewer's event stream needs only the README's {@code location}; a WebSocket needs nginx to pass
 * the upgrade on too, which it does not by default.
 */
@Timeout(120)
class TailBehindNginxTest {

  private static final String READER = "hlr_nginx_tail_test_reader_key_0";
  private static final String[] UPGRADE = {
      "proxy_http_version 1.1", "proxy_set_header Upgrade $http_upgrade", "proxy_set_header Connection \"upgrade\""};

  @TempDir Path folder;
  private String url;
  private Store store;

  @BeforeEach
  void migrateAStore() {
    Assumptions.assumeTrue(TestNginx.installed(), "needs Debian's nginx (apt-get install nginx-light; .ci/run installs it)");
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
  }

  @Test
  void withTheUpgradePassedOnAWebSocketFollowsTheTail() throws Exception {
    try (HeartlogServer server = server();
        TestNginx nginx = TestNginx.start(folder.resolve("nginx"), "/heartlog/", "http://127.0.0.1:" + server.port() + "/",
            UPGRADE)) {
      BlockingQueue<String> messages = new LinkedBlockingQueue<>();
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(tail(nginx), collectingInto(messages)).join();
      try {
        String received = null;
        for (int attempt = 0; attempt < 40 && (received == null || !received.contains("through nginx")); attempt++) {
          heartbeat("through nginx");   // until the tail, which starts following as the socket opens, has it
          received = messages.poll(500, TimeUnit.MILLISECONDS);
        }
        assertThat(received).contains("\"worker_id\":\"nginx-tail\"", "\"message\":\"through nginx\"");
      } finally {
        socket.abort();
      }
    }
  }

  @Test
  void withoutItTheHandshakeIsRefused() throws Exception {
    try (HeartlogServer server = server();
        TestNginx nginx = TestNginx.start(folder.resolve("nginx"), "/heartlog/", "http://127.0.0.1:" + server.port() + "/")) {
      assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(tail(nginx), collectingInto(new LinkedBlockingQueue<>())).join())
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
    }
  }

  private HeartlogServer server() throws Exception {
    return HeartlogServer.builder().store(store).listenTo(url, null, null)
        .keysFile(folder.resolve("keys")).readerKeys(READER).port(0).build().start();
  }

  private static URI tail(TestNginx nginx) {
    return URI.create(nginx.base().replace("http://", "ws://") + "/heartlog/api/tail?worker=nginx-tail&apikey=" + READER);
  }

  private static WebSocket.Listener collectingInto(BlockingQueue<String> messages) {
    return new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        messages.add(data.toString());
        socket.request(1);
        return null;
      }
    };
  }

  private void heartbeat(String message) {
    store.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('nginx-tail', NULL, "
        + "NULL, jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', '" + message
        + "')), NULL)"));
  }
}
