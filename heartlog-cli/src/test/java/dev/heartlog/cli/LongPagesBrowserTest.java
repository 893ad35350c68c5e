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
 * followed page that would otherwise grow for as long as it stays open, and a large fleet; and
 * values longer or later than any page expects.
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
    String url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
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
    // The task list counts its records as the task's page does.
    browser.get(base + "/#/tasks?since=2h");
    WebElement row = chromium.waitFor(By.cssSelector("#tasks tr[data-task=long-task-2]"));
    assertThat(row.findElements(By.cssSelector("td.num")).get(1).getText()).isEqualTo("2,600");
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
  void aTaskThatRanForTwoDaysShowsItsHoursAndTheVramPeakOfEachSpanOfItsHeartbeats() throws Exception {
    // A render that heartbeat every 2 s for 47 h 45 min: 85,950 heartbeats, the task's answer keeps
    // 1,000. Its page drew nothing before, every heartbeat an argument of Math.max ("Maximum call
    // stack size exceeded").
    store.withConnection(c -> c.createStatement().execute("""
        INSERT INTO worker_heartbeats (worker_id, received_at, status, vram_total_mb, vram_used_mb, current_task_id,
                                       records, logs_inserted)
        SELECT 'render-1', now() - interval '47 hours 45 minutes' + i * interval '2 seconds', 'active', 81559,
               20000 + i % 900 * 40 + CASE WHEN i = 51234 THEN 20000 ELSE 0 END, 'render-two-days', 0, 0
        FROM generate_series(0, 85949) AS i;
        SELECT func_worker_heartbeat_with_logs('render-1', NULL, NULL, jsonb_build_array(
            jsonb_build_object('timestamp', now() - interval '47 hours 45 minutes', 'message', 'render started',
                               'task_id', 'render-two-days'),
            jsonb_build_object('timestamp', now(), 'message', 'render finished', 'task_id', 'render-two-days')), NULL);
        """));
    browser.get(base + "/#/task/render-two-days");
    chromium.waitFor(By.cssSelector("#vram-chart polyline"));

    assertThat(browser.findElement(By.id("task-duration")).getText()).isEqualTo("47 h 45 min");
    assertThat(browser.findElement(By.id("task-vram-peak")).getText()).as("the spike, kept in its span")
        .isEqualTo("73,360 / 81,559 MiB");
    assertThat(browser.findElement(By.cssSelector("#vram-chart polyline")).getAttribute("points").split(" "))
        .hasSize(1_000);
    List<WebElement> axis = browser.findElements(By.cssSelector("#vram-chart text.axis"));
    // In the 24-hour local time of the timeline below it, whatever the browser's locale: en-US
    // wrote "12/5/2026, 3:04:35 PM" there.
    assertThat(axis.get(axis.size() - 2).getText()).as("a chart of two days names the day")
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    // Its worker's chart: 6 hours of 2 s heartbeats (10,800) in 5,000 points, the task's whole id on its span.
    browser.get(base + "/#/worker/render-1");
    chromium.waitFor(By.cssSelector("#vram-chart polyline"));
    assertThat(browser.findElement(By.cssSelector("#vram-chart polyline")).getAttribute("points").split(" "))
        .hasSize(5_000);
    assertThat(browser.findElement(By.cssSelector("#vram-chart .span-label")).getText()).isEqualTo("render-two-days");
    List<WebElement> hours = browser.findElements(By.cssSelector("#vram-chart text.axis"));
    assertThat(hours.get(hours.size() - 1).getText()).as("6 hours: the time of day alone, not \"3:04:35 PM\"")
        .matches("\\d\\d:\\d\\d:\\d\\d");
    // The chart of more heartbeats than a call takes arguments (as many workers side by side would send).
    assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
        return vramChart(Array.from({length: 200000}, (_, i) => ({worker_id: 'w' + i % 2, vram_total_mb: 81559,
            vram_used_mb: i % 1000, received_at: new Date(1.8e12 + i * 1000).toISOString()})), [])
          .split('<polyline').length - 1""")).isEqualTo(2L);
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
    // The other tests' workers report no VRAM; the crashed ones hold none now.
    assertThat(browser.findElement(By.id("fleet-gpu-memory")).getText())
        .isEqualTo("GPU memory of the 598 running workers: 11,960,000 of 48,772,282 MiB used (25%)");

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

  @Test
  void aLongStatusAndTaskIdStayWithinThePageAndATimePastTheYear9999IsShownAsWritten() throws Exception {
    // Statuses are free text, of up to 200 characters as the store keeps them: one without a
    // space widened the Fleet page's summary, and a long task id pushed the tables' other
    // columns off the page's edge.
    String status = "x".repeat(200);
    String task = "t".repeat(300);
    store.withConnection(c -> {
      try (java.sql.PreparedStatement heartbeat = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('odd-values', "
          + "NULL, NULL, jsonb_build_array(jsonb_build_object('message', repeat('m', 3000), 'task_id', ?::text, 'metadata', "
          + "jsonb_build_object('shot', repeat('s', 300))), jsonb_build_object("
          + "'timestamp', '10000-01-01T00:00:00Z', 'message', 'far ahead', 'task_id', ?::text)), ?, ?)")) {
        heartbeat.setString(1, task);
        heartbeat.setString(2, task);
        heartbeat.setString(3, task);
        heartbeat.setString(4, status);
        return heartbeat.execute();
      }
    });
    String cut = "x".repeat(39) + "…";

    browser.get(base + "/#/fleet?worker=odd-values");
    WebElement row = chromium.waitFor(By.cssSelector("#fleet tr[data-worker=odd-values]"));
    List<WebElement> cells = row.findElements(By.tagName("td"));
    assertThat(cells.get(1).getText()).isEqualTo(cut);
    assertThat(cells.get(1).findElement(By.tagName("span")).getAttribute("title")).isEqualTo(status);
    assertThat(cells.get(3).getText()).isEqualTo("t".repeat(99) + "…");
    assertThat(browser.findElements(By.cssSelector("#fleet-summary a[data-health]")))
        .filteredOn(link -> status.equals(link.getAttribute("data-health")))
        .extracting(WebElement::getText).containsExactly("1 " + cut);
    assertThat(withinThePagesWidth()).isTrue();

    browser.get(base + "/#/tasks?since=1h");
    WebElement taskRow = chromium.waitFor(By.cssSelector("#tasks tr[data-task=" + task + "]"));
    assertThat(taskRow.findElements(By.cssSelector("td.num")).get(0).getText()).as("its duration").isEqualTo("-");
    assertThat(withinThePagesWidth()).isTrue();

    browser.get(base + "/#/task/" + task);
    chromium.waitUntilText(By.id("task-records"), "far ahead");
    assertThat(browser.findElements(By.cssSelector("#task-records tbody tr td.time")))
        .extracting(WebElement::getText).endsWith("+10000-01-01T00:00:00Z");
    assertThat(browser.findElements(By.cssSelector("#task-context a.meta-value")))
        .extracting(WebElement::getText).containsExactly("s".repeat(99) + "…");
    assertThat(withinThePagesWidth()).isTrue();
    // Beside a message of 3,000 characters without a space, each level's badge stays on one line.
    assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
        "return [...document.querySelectorAll('#task-records .badge')].map(b => b.getClientRects()[0].height < 2 * 11)"))
        .isEqualTo(List.of(true, true));
  }

  @Test
  void theFleetsCountsNameTheMostCommonStatusesOfTheWorkersOwnAndAddUpTheRest() throws Exception {
    // A fleet that puts each worker's task in its status: one count for each worker before.
    store.withConnection(c -> c.createStatement().execute("SELECT count(func_worker_heartbeat_with_logs("
        + "worker_id_param => 'status-job-' || g, status_param => 'rendering job ' || g)) FROM generate_series(1, 8) g"));

    browser.get(base + "/#/fleet");
    WebElement others = chromium.waitFor(By.id("other-statuses"));

    java.util.regex.Matcher counts = java.util.regex.Pattern.compile("and ([\\d,]+) workers? of ([\\d,]+) other statuses")
        .matcher(others.getText());
    assertThat(counts.matches()).as(others.getText()).isTrue();
    List<WebElement> links = browser.findElements(By.cssSelector("#fleet-summary a[data-health]"));
    List<String> own = links.stream().map(link -> link.getAttribute("data-health"))
        .filter(h -> !List.of("active", "stale", "stopped", "crashed", "unknown").contains(h)).toList();
    assertThat(own).hasSize(5);
    int named = links.stream().mapToInt(link -> Integer.parseInt(link.getText().split(" ")[0].replace(",", ""))).sum();
    String total = browser.findElement(By.id("fleet-summary")).getText().split(" ")[0].replace(",", "");
    assertThat(named + Integer.parseInt(counts.group(1).replace(",", ""))).as("every worker counted once")
        .isEqualTo(Integer.parseInt(total));
    assertThat(Integer.parseInt(counts.group(2))).isGreaterThanOrEqualTo(3);
  }

  /** Whether the page shown is no wider than the window: nothing pushed off its right edge. */
  private static boolean withinThePagesWidth() {
    return (Boolean) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth");
  }
}
