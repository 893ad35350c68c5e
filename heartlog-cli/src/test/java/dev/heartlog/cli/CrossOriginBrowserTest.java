package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * An orchestrator's dashboard, a page on an origin of its own, calls heartlog serve's query API
 * and follows its live tail from a real Chromium: the browser lets it only when the server names
 * the page's origin ({@code --cors-origins}).
 */
@Timeout(120)
class CrossOriginBrowserTest {

  private static final String READER = "hlr_cors_test_reader_key_000000";
  /** Reads the records of worker {@code gpu-7} from the server at {@code arguments[0]}; "failed: ..." when refused. */
  private static final String FETCH_RECORDS = String.join("\n",
      "const done = arguments[arguments.length - 1];",
      "fetch(arguments[0] + '/api/logs?worker=gpu-7', { headers: { apikey: arguments[1] } })",
      "  .then(response => response.json())",
      "  .then(records => done(records.map(r => r.message).join('|')))",
      "  .catch(error => done('failed: ' + error));");

  @TempDir Path folder;
  private Store store;
  private String url;
  private HttpServer dashboard;
  private HeadlessChromium chromium;

  @BeforeEach
  void openTheDashboard() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
    heartbeat("frame 1 rendered");
    dashboard = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    dashboard.createContext("/", exchange -> {
      byte[] page = "<!doctype html><title>Render farm</title><h1>Render farm</h1>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    dashboard.start();
    chromium = new HeadlessChromium(folder.resolve("chromium-profile"));
    chromium.driver().get(dashboardOrigin() + "/");
  }

  @AfterEach
  void close() {
    if (chromium != null) {
      chromium.close();
    }
    if (dashboard != null) {
      dashboard.stop(0);
    }
  }

  @Test
  void aPageOnAnOriginTheServerNamesReadsRecordsAndFollowsTheTail() throws Exception {
    try (HeartlogServer server = server(List.of(dashboardOrigin()), true)) {
      String api = "http://127.0.0.1:" + server.port();

      assertThat(script().executeAsyncScript(FETCH_RECORDS, api, READER)).isEqualTo("frame 1 rendered");

      script().executeScript(String.join("\n",
          "window.followed = [];",
          "window.tail = new EventSource(arguments[0] + '/api/tail?worker=gpu-7&apikey=' + arguments[1]);",
          "window.tail.addEventListener('record', event => window.followed.push(JSON.parse(event.data).message));",
          "window.tail.onopen = () => window.following = true;"), api, READER);
      chromium.waitUntil(() -> Boolean.TRUE.equals(script().executeScript("return window.following === true")));
      heartbeat("frame 2 rendered");
      chromium.waitUntil(() -> String.valueOf(script().executeScript("return window.followed.join('|')"))
          .contains("frame 2 rendered"));
    }
  }

  @Test
  void aPageOnAnyOtherOriginIsRefusedByTheBrowser() throws Exception {
    try (HeartlogServer none = server(List.of(), false);
        HeartlogServer another = server(List.of("https://ops.example.com"), false)) {
      for (HeartlogServer server : List.of(none, another)) {
        Object answer = script().executeAsyncScript(FETCH_RECORDS, "http://127.0.0.1:" + server.port(), READER);

        assertThat(answer).asString().startsWith("failed: TypeError");
      }
    }
  }

  private HeartlogServer server(List<String> corsOrigins, boolean liveTail) throws Exception {
    var builder = HeartlogServer.builder().store(store).keysFile(folder.resolve("keys-" + corsOrigins.size()))
        .readerKeys(READER).port(0).corsOrigins(corsOrigins);
    if (liveTail) {
      builder.listenTo(url, null, null);
    }
    return builder.build().start();
  }

  /** {@code http://127.0.0.1:<port>}: the API's host, on another port, is another origin. */
  private String dashboardOrigin() {
    return "http://127.0.0.1:" + dashboard.getAddress().getPort();
  }

  private JavascriptExecutor script() {
    return (JavascriptExecutor) chromium.driver();
  }

  private void heartbeat(String message) {
    store.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('gpu-7', NULL, NULL, "
        + "jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', '" + message + "')))"));
  }
}
