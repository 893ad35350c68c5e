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
 * The viewer behind a real nginx, under a path, with the README's configuration. nginx decodes
 * the path before it passes it on when {@code proxy_pass} names a URI, as it must to take the
 * path's prefix off, so an id the viewer writes with {@code %2F} ("render-farm/gpu-3") arrives
 * with its slash: the worker's and the task's pages answered 404 before.
 */
@Timeout(180)
class ViewerBehindNginxTest {

  private static final String READER = "hlr_nginx_test_reader_key_00000";
  private static final String WORKER = "render-farm/gpu-3";
  private static final String TASK = "clips/2026-12-01/7";

  @TempDir Path folder;

  @Test
  void aWorkersAndATasksPagesWithSlashesInTheirIdsAndTheLiveTailWorkThroughNginx() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    Assumptions.assumeTrue(TestNginx.installed(), "needs Debian's nginx (apt-get install nginx-light; .ci/run installs it)");
    String url = TestDatabase.freshUrl();
    Store store = Store.open(url, null, null);
    store.migrate();
    heartbeat(store, "first frame rendered");
    try (ViewerUnderTest viewer = ViewerUnderTest.start(store, url, READER, folder);
        TestNginx nginx = TestNginx.start(folder.resolve("nginx"), "/heartlog/", viewer.base() + "/")) {
      HeadlessChromium chromium = viewer.chromium();
      WebDriver browser = chromium.driver();

      browser.get(nginx.base() + "/heartlog/?key=" + READER + "#/worker/render-farm%2Fgpu-3");
      chromium.waitUntilText(By.id("worker-records"), "first frame rendered");
      chromium.waitUntilText(By.id("tail-control"), "live");
      heartbeat(store, "second frame rendered");
      chromium.waitUntilText(By.id("worker-records"), "second frame rendered");   // the page reads no more: the tail brought it

      browser.get(nginx.base() + "/heartlog/?key=" + READER + "#/task/clips%2F2026-12-01%2F7");
      chromium.waitUntilText(By.id("task-record-count"), "2");
      assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Task " + TASK);
      assertThat(nginx.accessLog()).as("what reached nginx").contains("GET /heartlog/api/workers/render-farm%2Fgpu-3 ",
          "GET /heartlog/api/tasks/clips%2F2026-12-01%2F7?");
    }
  }

  private static void heartbeat(Store store, String message) {
    store.withConnection(c -> c.createStatement().execute("SELECT func_worker_heartbeat_with_logs('" + WORKER + "', NULL, "
        + "NULL, jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'INFO', 'message', '" + message
        + "', 'task_id', '" + TASK + "')), '" + TASK + "')"));
  }
}
