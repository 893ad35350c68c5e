package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The viewer served under a path by a reverse proxy ({@code https://ops.example.com/heartlog/}),
 * as an ingress or nginx shares one host among several tools: its pages, reads and live tail all
 * go through that path.
 */
@Timeout(180)
class ViewerUnderAPathTest {

  private static final String READER = "hlr_path_test_reader_key_000000";

  @TempDir Path folder;

  @Test
  void theViewerWorksUnderAPathItsProxyServesItAt() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.migrate();
    heartbeat(store, "first record");
    try (ViewerUnderTest viewer = ViewerUnderTest.start(store, url, READER, folder);
        PathPrefixProxy proxy = new PathPrefixProxy("/heartlog/", viewer.base())) {
      HeadlessChromium chromium = viewer.chromium();
      WebDriver browser = chromium.driver();

      browser.get(proxy.base() + "?key=" + READER + "#/worker/behind-proxy");
      chromium.waitUntilText(By.id("worker-records"), "first record");
      chromium.waitUntilText(By.id("tail-control"), "live");
      heartbeat(store, "arrived through the proxy");
      chromium.waitUntilText(By.id("worker-records"), "arrived through the proxy");

      assertThat(proxy.outside).as("requests that left the viewer's path").isEmpty();
      assertThat(proxy.forwarded).contains("/heartlog/", "/heartlog/style.css", "/heartlog/app.js",
          "/heartlog/api/workers/behind-proxy", "/heartlog/api/tail");
    }
  }

  private static void heartbeat(Store store, String message) {
    store.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('behind-proxy', NULL, "
        + "NULL, jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', '" + message + "')), NULL)"));
  }
}
