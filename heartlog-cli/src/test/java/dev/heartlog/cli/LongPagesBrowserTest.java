package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The viewer's pages of many rows, in Debian's headless Chromium: a long task's timeline, a
 * followed page that would otherwise grow for as long as it stays open, and a large fleet.
 */
@Timeout(180)
class LongPagesBrowserTest {

  private static final String READER = "hlr_long_pages_test_reader_key_0";

  @TempDir static Path folder;
  static Store store;
  static ViewerUnderTest viewer;
  static String base;
  static HeadlessChromium chromium;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    String url = TestDatabase.freshUrl();
    store = Store.open(url, null, null);
    store.migrate();
    viewer = ViewerUnderTest.start(store, url, READER, folder);
    base = viewer.base();
    chromium = viewer.chromium();
    browser = chromium.driver();
    browser.get(base + "/?key=" + READER + "#/fleet");
  }

  @AfterAll
  static void stop() {
    if (viewer != null) {
      viewer.close();
    }
  }

  /** A task of {@code records} records, "step 1" on, a WARNING at step 1800. */
  private static void longTask(String taskId, int records) {
    longTask(taskId, 1, records);
  }

  /** Steps {@code from} to {@code to} of a task, one heartbeat, a second apart; a WARNING at step 1800. */
  private static void longTask(String taskId, int from, int to) {
    store.withConnection(c -> c.createStatement().execute(
        "SELECT func_worker_heartbeat_with_logs('long-worker', NULL, NULL, (SELECT jsonb_agg(jsonb_build_object("
            + "'timestamp', now() - interval '1 hour' + g * interval '1 second', 'message', 'step ' || g, "
            + "'level', CASE WHEN g = 1800 THEN 'WARNING' ELSE 'INFO' END, 'task_id', '" + taskId + "', 'seq', g)) "
            + "FROM generate_series(" + from + ", " + to + ") g), NULL)"));
  }

  private static List<String> steps(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "step " + i).toList();
  }

  @Test
  void aLongTasksTimelineShowsBothEndsAndTheRestOnDemand() throws Exception {
    // The page reads the first and last 500 records, and the rest as it shows them.
    longTask("long-task", 3000);
    String timeline = "#task-records tbody tr";
    browser.get(base + "/#/task/long-task");
    WebElement gap = chromium.waitUntilText(By.id("timeline-gap"), "records not shown");

    assertThat(gap.getText()).contains("2,000 records not shown (1 WARNING)");
    assertThat(browser.findElement(By.id("task-record-count")).getText()).isEqualTo("3,000");
    assertThat(chromium.messages(timeline)).hasSize(1_001).startsWith("step 1").endsWith("step 3000")
        .contains("step 500", "step 2501").doesNotContain("step 501", "step 2500");

    browser.findElement(By.id("timeline-next")).click();
    chromium.waitUntilText(By.id("timeline-gap"), "1,000 records not shown (1 WARNING)");
    assertThat(chromium.messages(timeline)).hasSize(2_001).contains("step 501", "step 1500").doesNotContain("step 1501");

    // The next 1,000 are all the gap holds: it closes without asking for more.
    chromium.clickWhenThere("#timeline-next");
    chromium.waitUntil(() -> browser.findElements(By.id("timeline-gap")).isEmpty());
    assertThat(chromium.messages(timeline)).isEqualTo(steps(1, 3000));
  }

  @Test
  void showAllFillsALongTasksGapInOrder() throws Exception {
    longTask("long-task-2", 2600);
    browser.get(base + "/#/task/long-task-2");
    chromium.waitUntilText(By.id("timeline-gap"), "1,600 records not shown");

    chromium.clickWhenThere("#timeline-all");
    chromium.waitUntil(() -> browser.findElements(By.id("timeline-gap")).isEmpty());

    assertThat(chromium.messages("#task-records tbody tr")).isEqualTo(steps(1, 2600));
  }

  @Test
  void aRunningTasksPageAddsItsNewRecordsAndPutsThoseOverItsRowsIntoTheGap() throws Exception {
    longTask("live-task", 1, 600);
    String timeline = "#task-records tbody tr";
    browser.get(base + "/#/task/live-task");
    chromium.waitUntilText(By.id("tail-control"), "live");
    assertThat(chromium.messages(timeline)).hasSize(600);

    // 1,500 more while the page is open: it keeps 2,000 rows, the first 500 and the newest 1,500.
    longTask("live-task", 601, 2100);

    chromium.waitUntil(() -> chromium.messages(timeline).contains("step 2100"));
    chromium.waitUntilText(By.id("timeline-gap"), "100 records not shown");
    assertThat(chromium.messages(timeline)).hasSize(2_001).startsWith("step 1").endsWith("step 2100")
        .contains("step 500", "step 601").doesNotContain("step 501", "step 600");
    assertThat(browser.findElement(By.id("task-record-count")).getText()).isEqualTo("2,100");
    assertThat(browser.findElement(By.id("timeline-gap")).getText()).doesNotContain("WARNING");

    chromium.clickWhenThere("#timeline-all");
    chromium.waitUntil(() -> browser.findElements(By.id("timeline-gap")).isEmpty());
    assertThat(chromium.messages(timeline)).isEqualTo(steps(1, 2100));

    // Having asked to see all of them, the reader keeps them as the next record comes.
    longTask("live-task", 2101, 2101);
    chromium.waitUntil(() -> chromium.messages(timeline).contains("step 2101"));
    assertThat(chromium.messages(timeline)).isEqualTo(steps(1, 2101));
  }

  @Test
  void aFollowedPageKeepsItsNewestRowsAndSaysItLeftTheOlderOut() throws Exception {
    String heartbeat = "SELECT func_worker_heartbeat_with_logs('busy-worker', NULL, NULL, (SELECT jsonb_agg("
        + "jsonb_build_object('message', 'live ' || g, 'seq', g)) FROM generate_series(?, ?) g), NULL)";
    store.withConnection(c -> c.createStatement().execute(heartbeat.replace("?, ?", "0, 0")));
    browser.get(base + "/#/worker/busy-worker");
    chromium.waitUntilText(By.id("worker-records"), "live 0");
    chromium.waitUntilText(By.id("tail-control"), "live");
    assertThat(browser.findElement(By.id("tail-trimmed")).isDisplayed()).isFalse();

    store.withConnection(c -> c.createStatement().execute(heartbeat.replace("?, ?", "1, 2100")));

    chromium.waitUntilText(By.id("tail-trimmed"), "the newest 2,000 records are kept here");
    chromium.waitUntil(() -> chromium.messages("#worker-records tbody tr").contains("live 2100"));
    List<String> shown = chromium.messages("#worker-records tbody tr");
    assertThat(shown).hasSize(2_000).startsWith("live 101").endsWith("live 2100");
  }

  @Test
  void aLargeFleetShowsItsFirst500WorkersWithCountsAndFiltersThatCoverThemAll() throws Exception {
    // 600 workers, two of them crashed.
    store.withConnection(c -> c.createStatement().execute(
        "SELECT count(func_worker_heartbeat_with_logs('many-' || lpad(g::text, 4, '0'), 81559, 20000, '[]'::jsonb, NULL, "
            + "CASE WHEN g IN (7, 599) THEN 'crashed' ELSE 'active' END)) FROM generate_series(1, 600) g"));
    String fleet = "#fleet tbody tr";
    browser.get(base + "/#/fleet?worker=many-");
    chromium.waitUntilText(By.id("fleet-more"), "the first 500 of 600 in this order");

    assertThat(browser.findElements(By.cssSelector(fleet))).hasSize(500);
    assertThat(browser.findElement(By.id("fleet-summary")).getText()).contains("2 crashed");

    chromium.clickWhenThere("#fleet-summary a[data-health=crashed]");
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("health=crashed")
        && browser.findElements(By.cssSelector(fleet)).size() == 2);
    assertThat(browser.findElements(By.cssSelector(fleet))).extracting(row -> row.getAttribute("data-worker"))
        .containsExactly("many-0007", "many-0599");

    browser.get(base + "/#/fleet?worker=many-");
    chromium.clickWhenThere("#fleet-all");
    chromium.waitUntil(() -> browser.findElements(By.cssSelector(fleet)).size() == 600);
    assertThat(browser.findElements(By.id("fleet-more"))).isEmpty();
  }
}
