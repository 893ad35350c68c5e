package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The viewer, in Debian's headless Chromium, while its database is stopped or has no connection
 * free: each page says which, with the server's reason, and "Try again" shows the page once the
 * database answers. A PostgreSQL of the test's own, stopped and started again on its port.
 */
@Timeout(120)
class ViewerOutageBrowserTest {

  private static final String READER = "hlr_viewer_outage_reader_key_00";

  @TempDir Path folder;
  private EmbeddedPostgres postgres;
  private HikariDataSource pool;
  private HeartlogServer server;
  private HeadlessChromium chromium;
  private WebDriver browser;
  private int port;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    port = PortedPostgres.freePort();
    postgres = PortedPostgres.start(folder.resolve("data"), port);
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    Store.open(url, null, null).migrate();
    try (Connection connection = java.sql.DriverManager.getConnection(url)) {
      TestDatabase.heartbeat(connection, "gpu-1", "[{\"level\": \"INFO\", \"message\": \"rendering\"}]");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(1_000);
    config.setInitializationFailTimeout(-1);
    pool = new HikariDataSource(config);
    server = HeartlogServer.builder().store(Store.open(pool, url)).keysFile(folder.resolve("keys")).readerKeys(READER)
        .port(0).diagnostics(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build().start();
    chromium = new HeadlessChromium(folder.resolve("chromium-profile"));
    browser = chromium.driver();
    browser.get("http://127.0.0.1:" + server.port() + "/?key=" + READER + "#/fleet");
    chromium.waitUntilText(By.id("fleet"), "gpu-1");
  }

  @AfterEach
  void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aStoppedDatabaseIsSaidUnreachableWithTheServersReasonAndTryAgainShowsThePageOnceItAnswers() throws Exception {
    postgres.close();
    browser.navigate().refresh();
    chromium.waitUntilText(By.id("page-error"), "The store is unreachable");
    browser.navigate().refresh();   // the server knows by now: answered at once, saying for how long
    String said = chromium.waitUntilText(By.id("page-error"), "has not answered for").getText();

    assertThat(said).contains("The store is unreachable", "Database client error. Retrying the connection.",
        "heartlog serve checks it every 1 s");
    assertThat(browser.findElements(By.id("fleet"))).isEmpty();

    postgres = PortedPostgres.start(folder.resolve("data"), port);
    chromium.waitUntil(() -> {
      if (!browser.findElements(By.id("try-again")).isEmpty()) {
        browser.findElement(By.id("try-again")).click();
      }
      return !browser.findElements(By.id("fleet")).isEmpty();
    });
    assertThat(chromium.waitUntilText(By.id("fleet"), "gpu-1").getText()).contains("gpu-1");
  }

  @Test
  void aDatabaseWithNoConnectionFreeIsSaidBusyNotUnreachable() throws Exception {
    String said;
    try (Connection held = pool.getConnection()) {   // the pool's one connection, busy for longer than its 1 s wait
      browser.navigate().refresh();
      said = chromium.waitUntilText(By.id("page-error"), "The store cannot answer now").getText();
    }

    assertThat(said).contains("Timed out acquiring connection from connection pool.", "Connection is not available",
        "Try again in a few seconds.").doesNotContain("unreachable");
    browser.findElement(By.id("try-again")).click();
    assertThat(chromium.waitUntilText(By.id("fleet"), "gpu-1").getText()).contains("gpu-1");
  }
}
