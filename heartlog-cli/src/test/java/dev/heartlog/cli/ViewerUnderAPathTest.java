package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
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
  private String url;
  private Store store;

  @BeforeEach
  void migrateAStore() {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
  }

  @Test
  void theViewerWorksUnderAPathItsProxyServesItAt() throws Exception {
    heartbeat("behind-proxy", null, "first record");
    try (ViewerUnderTest viewer = ViewerUnderTest.start(store, url, READER, folder);
        PathPrefixProxy proxy = new PathPrefixProxy("/heartlog/", viewer.base())) {
      HeadlessChromium chromium = viewer.chromium();

      chromium.driver().get(proxy.base() + "?key=" + READER + "#/worker/behind-proxy");
      chromium.waitUntilText(By.id("worker-records"), "first record");
      chromium.waitUntilText(By.id("tail-control"), "live");
      heartbeat("behind-proxy", null, "arrived through the proxy");
      chromium.waitUntilText(By.id("worker-records"), "arrived through the proxy");

      assertThat(proxy.outside).as("requests that left the viewer's path").isEmpty();
      assertThat(proxy.forwarded).contains("/heartlog/", "/heartlog/style.css", "/heartlog/app.js",
          "/heartlog/api/workers/behind-proxy", "/heartlog/api/tail");
    }
  }

  /**
   * Debian's nginx with the README's configuration. It decodes the path before it passes it on
   * when {@code proxy_pass} names a URI, as it must to take the path's prefix off, so an id the
   * viewer writes with {@code %2F} ("render-farm/gpu-3") arrives with its slash: the worker's and
   * the task's pages answered 404 before.
   */
  @Test
  void aWorkersAndATasksPagesWithSlashesInTheirIdsAndTheLiveTailWorkThroughNginx() throws Exception {
    Assumptions.assumeTrue(TestNginx.installed(), "needs Debian's nginx (apt-get install nginx-light; .ci/run installs it)");
    String worker = "render-farm/gpu-3";
    String task = "clips/2026-12-01/7";
    heartbeat(worker, task, "first frame rendered");
    try (ViewerUnderTest viewer = ViewerUnderTest.start(store, url, READER, folder);
        TestNginx nginx = TestNginx.start(folder.resolve("nginx"), "/heartlog/", viewer.base() + "/")) {
      HeadlessChromium chromium = viewer.chromium();
      WebDriver browser = chromium.driver();

      browser.get(nginx.base() + "/heartlog/?key=" + READER + "#/worker/render-farm%2Fgpu-3");
      chromium.waitUntilText(By.id("worker-records"), "first frame rendered");
      chromium.waitUntilText(By.id("tail-control"), "live");
      heartbeat(worker, task, "second frame rendered");
      chromium.waitUntilText(By.id("worker-records"), "second frame rendered");   // the page reads no more: the tail brought it

      browser.get(nginx.base() + "/heartlog/?key=" + READER + "#/task/clips%2F2026-12-01%2F7");
      chromium.waitUntilText(By.id("task-record-count"), "2");
      assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Task " + task);
      assertThat(nginx.accessLog()).as("what reached nginx").contains("GET /heartlog/api/workers/render-farm%2Fgpu-3 ",
          "GET /heartlog/api/tasks/clips%2F2026-12-01%2F7?");
    }
  }

  private void heartbeat(String worker, String task, String message) {
    String taskId = task == null ? "NULL" : "'" + task + "'";
    store.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('" + worker + "', NULL, "
        + "NULL, jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', '" + message
        + "', 'task_id', " + taskId + ")), " + taskId + ")"));
  }
}
