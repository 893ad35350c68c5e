package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web viewer in Debian's headless Chromium, against heartlog serve on a store the demo's
 * workers filled. Screenshots of each page go to target/screenshots.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerBrowserTest {

  private static final String READER = "hlr_browser_test_reader_key_000";

  @TempDir static Path folder;
  static String url;
  static String failedTask;
  static ViewerUnderTest viewer;
  static String base;
  static HeadlessChromium chromium;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result demo = Cli.run("demo", "--workers", "2", "--duration", "4s", "--interval", "500ms", "--db-url", url,
        "--home", folder.resolve("home").toString());
    Matcher failed = Pattern.compile("\\(task ([0-9a-f-]{36}) failed\\)").matcher(demo.out());
    assertThat(failed.find()).as(demo.out() + demo.err()).isTrue();
    failedTask = failed.group(1);
    viewer = ViewerUnderTest.start(store, url, READER, folder);
    base = viewer.base();
    chromium = viewer.chromium();
    browser = chromium.driver();
  }

  @AfterAll
  static void stop() {
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  @Order(1)
  void aPageWithoutAKeyAsksForOneAndTheKeyFromTheLinkIsRemembered() throws Exception {
    browser.get(base + "/#/fleet");
    chromium.waitFor(By.id("key-prompt"));

    browser.get(base + "/?key=" + READER + "#/fleet");
    chromium.waitUntilText(By.id("fleet"), "demo-gpu-2");
    assertThat(browser.getCurrentUrl()).doesNotContain(READER);
  }

  @Test
  @Order(2)
  void theFleetPageListsTheWorkers() throws Exception {
    browser.get(base + "/#/fleet");
    WebElement fleet = chromium.waitUntilText(By.id("fleet"), "demo-gpu-2");

    assertThat(fleet.getText()).contains("demo-gpu-1").contains("stopped");
    assertThat(fleet.findElements(By.cssSelector("tbody tr"))).hasSize(2);
    chromium.screenshot("fleet");

    // A part of a worker's id, pasted with spaces around it: the address holds the part alone.
    browser.findElement(By.name("worker")).sendKeys(" gpu-1 ");
    browser.findElement(By.cssSelector("#fleet-filters button")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("#/fleet?worker=gpu-1")
        && browser.findElements(By.cssSelector("#fleet tbody tr")).size() == 1);
    assertThat(browser.findElement(By.cssSelector("#fleet tbody tr")).getText()).startsWith("demo-gpu-1");
  }

  @Test
  @Order(3)
  void openingTheFailedTaskShowsItsException() throws Exception {
    browser.get(base + "/#/task/" + failedTask);
    WebElement trace = chromium.waitUntilText(By.id("stack-trace"), "IllegalStateException");

    assertThat(trace.getText()).contains("CUDA out of memory");
    assertThat(browser.findElement(By.id("task-outcome")).getText()).isEqualTo("FAILED");
    assertThat(browser.findElement(By.id("task-records")).getText()).contains("Claimed task, starting generation");
    // What the task was about, from its records' metadata: the model and frames it loaded.
    assertThat(browser.findElements(By.cssSelector("#task-context dt"))).extracting(WebElement::getText)
        .containsExactly("model", "frames");
    assertThat(browser.findElement(By.cssSelector("#task-context dd a.meta-value")).getAttribute("href"))
        .contains("#/explore?meta=model%3D");
    chromium.screenshot("task");

    browser.findElement(By.id("failure-kind")).click();
    chromium.waitForRows(By.cssSelector("#kind-tasks tbody tr"));
    assertThat(browser.getCurrentUrl()).as("the two hours around the failure").containsPattern(
        "#/errors/[0-9a-f]{8}\\?since=\\d{4}-\\d\\d-\\d\\dT\\d\\d%3A\\d\\d%3A\\d\\dZ&until=\\d{4}-\\d\\d-\\d\\dT\\d\\d%3A\\d\\d%3A\\d\\dZ$");
    assertThat(browser.findElement(By.cssSelector("h1 + .sub")).getText()).matches("Where it was made since \\S+Z until \\S+Z · all kinds");
    assertThat(browser.findElements(By.cssSelector("#kind-tasks tbody tr"))).extracting(WebElement::getText)
        .anySatisfy(row -> assertThat(row).startsWith(failedTask + " "));
  }

  @Test
  @Order(3)   // reads only
  void aTaskIdCutShortNamesTheTaskItStartsOnItsPageAndInExploreAndAMistypedWorkerIdTheNearestWorker() throws Exception {
    browser.get(base + "/#/task/" + failedTask.substring(0, 13));
    WebElement unknown = chromium.waitUntilText(By.id("unknown-task"), "No task " + failedTask.substring(0, 13));

    assertThat(unknown.getText()).contains("Tasks whose id starts so:");
    List<WebElement> links = unknown.findElements(By.cssSelector("li a"));
    assertThat(links).extracting(WebElement::getText).containsExactly(failedTask);
    chromium.screenshot("unknown-task");
    links.get(0).click();
    chromium.waitUntilText(By.id("task-outcome"), "FAILED");

    browser.get(base + "/#/task/no-such-task");
    assertThat(chromium.waitUntilText(By.id("unknown-task"), "No task no-such-task").getText())
        .contains("The store has no records or heartbeats for it. Records are kept 48 hours.");
    browser.get(base + "/#/worker/no-such-gpu");
    assertThat(chromium.waitUntilText(By.id("unknown-worker"), "No worker no-such-gpu").getText())
        .contains("The store has no heartbeats or records of it. The Fleet page lists the workers.");
    // An id mistyped by hand: the fleet's nearest, to open.
    browser.get(base + "/#/worker/demo-gpu1");
    WebElement mistyped = chromium.waitUntilText(By.id("unknown-worker"), "No worker demo-gpu1");
    assertThat(mistyped.getText()).contains("Did you mean demo-gpu-1?");
    mistyped.findElement(By.linkText("demo-gpu-1")).click();
    chromium.waitUntilText(By.tagName("h1"), "Worker demo-gpu-1");

    // Explore's task filter given the same: the records match none, and the task is named.
    browser.get(base + "/#/explore?level=ERROR&task=" + failedTask.substring(0, 13));
    WebElement started = chromium.waitUntilText(By.id("started-tasks"), failedTask);
    started.findElement(By.linkText(failedTask)).click();
    chromium.waitUntilText(By.id("explore-records"), "CUDA out of memory");
    assertThat(browser.getCurrentUrl()).contains("level=ERROR", "task=" + failedTask);
  }

  @Test
  @Order(3)   // reads only, as the test above
  void theFleetsFailedTasksLinkListsTheFailedTaskWhichOpensItsTimeline() throws Exception {
    browser.get(base + "/#/tasks");
    int all = chromium.waitForRows(By.cssSelector("#tasks tbody tr"));

    browser.get(base + "/#/fleet");
    chromium.waitFor(By.id("failed-tasks")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("failed=true")
        && browser.findElements(By.cssSelector("#tasks tbody tr")).size() == 1);
    WebElement failed = browser.findElement(By.cssSelector("#tasks tbody tr"));

    assertThat(all).as("every task of the demo's last hour").isGreaterThan(1);
    assertThat(failed.getText()).contains(failedTask, "FAILED", "demo-gpu-2", "Generation failed: CUDA out of memory");
    assertThat(failed.findElement(By.className("exception")).getText())
        .isEqualTo("java.lang.IllegalStateException: CUDA out of memory. Tried to allocate 2.00 GiB (simulated)");
    assertThat(browser.findElement(By.name("failed")).isSelected()).isTrue();
    WebElement worker = failed.findElement(By.cssSelector("a[href='#/worker/demo-gpu-2']"));
    assertThat(((JavascriptExecutor) browser).executeScript("return arguments[0].getClientRects().length", worker))
        .as("the worker's id on one line, not broken after demo-gpu-").isEqualTo(1L);
    chromium.screenshot("tasks");
    failed.findElement(By.linkText(failedTask)).click();
    chromium.waitUntilText(By.id("task-outcome"), "FAILED");
  }

  /**
   * On a phone's screen the Fleet page was wider than the screen, and its cells broke their words
   * to fit: {@code demo-} above {@code gpu-1}, {@code stopp} above {@code ed}, a task's id in
   * twelve lines; Explore's messages were a column past the screen's edge. Now a table scrolls
   * sideways in its own box and keeps its words whole, and a record's message is below its time.
   */
  @Test
  @Order(3)   // reads only, as the tests above
  void onAPhonesScreenATableScrollsSidewaysInItsOwnBoxAndItsIdsStayWhole() throws Exception {
    Dimension desktop = browser.manage().window().getSize();
    browser.manage().window().setSize(new Dimension(400, 900));
    try {
      JavascriptExecutor page = (JavascriptExecutor) browser;
      browser.get(base + "/#/fleet");
      WebElement fleet = chromium.waitUntilText(By.id("fleet"), "demo-gpu-2");
      chromium.screenshot("fleet-on-a-phone");

      assertThat(page.executeScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
          .as("the page no wider than the screen").isEqualTo(true);
      assertThat(page.executeScript("return arguments[0].scrollWidth > arguments[0].clientWidth", fleet))
          .as("the table scrolls in its own box").isEqualTo(true);
      WebElement worker = fleet.findElement(By.cssSelector("a[href='#/worker/demo-gpu-1']"));
      assertThat(page.executeScript("return arguments[0].getClientRects().length", worker)).as("demo-gpu-1 on one line")
          .isEqualTo(1L);
      WebElement health = fleet.findElement(By.cssSelector("tr[data-worker='demo-gpu-1'] td.health"));
      assertThat(page.executeScript("const words = document.createRange(); words.selectNodeContents(arguments[0].firstChild);"
          + " return words.getClientRects().length", health)).as("stopped on one line").isEqualTo(1L);

      browser.get(base + "/#/tasks?failed=true");
      WebElement task = chromium.waitFor(By.linkText(failedTask));
      assertThat(page.executeScript("return arguments[0].getClientRects().length", task)).as("the task's id on one line")
          .isEqualTo(1L);

      // A table of records: each message below its record's time, level, worker and task, on the screen.
      browser.get(base + "/#/explore?worker=demo-gpu-1");
      WebElement message = chromium.waitFor(By.cssSelector("#explore-records td.msg"));
      chromium.screenshot("explore-on-a-phone");
      assertThat(page.executeScript("const box = arguments[0].getBoundingClientRect();"
          + " return box.left >= 0 && box.right <= document.documentElement.clientWidth", message))
          .as("the message within the screen's width").isEqualTo(true);
      assertThat(page.executeScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
          .isEqualTo(true);
    } finally {
      browser.manage().window().setSize(desktop);
    }
  }

  @Test
  @Order(3)   // reads only, as the tests above
  void theErrorsPageListsTheDemosFailuresAsOneKindWhoseLatestTaskOpensItsTimeline() throws Exception {
    browser.get(base + "/#/fleet");
    chromium.waitFor(By.id("error-kinds-link")).click();
    chromium.waitForRows(By.cssSelector("#error-kinds tbody tr"));
    List<WebElement> kinds = browser.findElements(By.cssSelector("#error-kinds tbody tr"));

    assertThat(kinds).as("the demo's failures, alike").hasSize(1);
    assertThat(kinds.get(0).getText()).contains(failedTask, "demo-gpu-2", "Generation failed: CUDA out of memory");
    assertThat(kinds.get(0).findElement(By.className("exception")).getText())
        .isEqualTo("java.lang.IllegalStateException: CUDA out of memory. Tried to allocate 2.00 GiB (simulated)");
    assertThat(browser.findElement(By.id("error-totals")).getText())
        .matches("\\d+ errors? of 1 kind since 1h; a kind's count opens the workers and tasks it hit");
    assertThat(browser.findElement(By.cssSelector("nav a.active")).getText()).isEqualTo("Errors");
    chromium.screenshot("errors");
    assertThat(browser.findElements(By.cssSelector("#error-kinds td.before"))).as("not compared unless asked").isEmpty();

    // Compared with the hour before, when the demo had not run: its kind is new.
    browser.findElement(By.name("compare")).click();
    browser.findElement(By.cssSelector("#error-filters button")).click();
    chromium.waitUntil(() -> !browser.findElements(By.cssSelector("#error-kinds td.before")).isEmpty());
    assertThat(browser.getCurrentUrl()).endsWith("#/errors?compare=true");
    assertThat(browser.findElement(By.cssSelector("#error-kinds thead")).getText()).startsWith("ERRORS BEFORE WORKERS");
    assertThat(browser.findElement(By.cssSelector("#error-kinds td.before")).getText()).isEqualTo("new");
    assertThat(browser.findElement(By.id("error-before")).getText())
        .matches("Before: each kind's errors in the range before, as long, from \\d{4}-.* to \\d{4}-.*; new: none then "
            + "\\(1 of the 1 kind listed\\)");

    browser.findElement(By.name("worker")).sendKeys("demo-gpu-1");
    browser.findElement(By.cssSelector("#error-filters button")).click();
    assertThat(chromium.waitFor(By.id("no-errors")).getText()).isEqualTo("No errors since 1h. Records are kept 48 hours.");
    assertThat(browser.getCurrentUrl()).contains("#/errors?worker=demo-gpu-1&compare=true");

    browser.navigate().back();
    chromium.waitForRows(By.cssSelector("#error-kinds tbody tr"));
    browser.findElement(By.cssSelector("#error-kinds tbody tr")).findElement(By.linkText(failedTask)).click();
    chromium.waitUntilText(By.id("task-outcome"), "FAILED");
  }

  @Test
  @Order(19)   // last: its 150 failed tasks and its kind would crowd the pages the tests above read
  void aKindThatHitMoreWorkersThanThePageListsShowsThemAllOnAsking() throws Exception {
    // 150 workers, each with one error of one kind of their own in a task of its own.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, seq)
        SELECT now() - g * interval '1 second', 'ERROR', 'NCCL watchdog timed out', 'worker', 'wide-' || g,
               'wide-task-' || g, '{}', g
        FROM generate_series(1, 150) g"""));
    browser.get(base + "/#/errors");
    WebElement wide = chromium.waitUntilText(By.id("error-kinds"), "NCCL watchdog timed out")
        .findElements(By.cssSelector("tbody tr")).stream().filter(row -> row.getText().contains("NCCL")).findFirst().orElseThrow();
    wide.findElement(By.cssSelector("td.num a")).click();

    chromium.waitForRows(By.cssSelector("#kind-workers tbody tr"));
    assertThat(browser.findElements(By.cssSelector("#kind-workers tbody tr"))).hasSize(100);
    assertThat(browser.findElement(By.id("kind-worker-count")).getText()).isEqualTo("the 100 with the most errors, of 150 workers");
    browser.findElement(By.id("kind-show-all")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("all=1")
        && browser.findElements(By.cssSelector("#kind-workers tbody tr")).size() == 150);
    assertThat(browser.findElement(By.id("kind-worker-count")).getText()).isEqualTo("150 workers");
    assertThat(browser.findElements(By.cssSelector("#kind-tasks tbody tr"))).hasSize(150);
    assertThat(browser.findElements(By.id("kind-show-all"))).as("nothing more to show").isEmpty();

    // Its 150 errors: the newest 20 on its page, all in Explore, a page at a time.
    assertThat(browser.findElements(By.cssSelector("#kind-errors tbody tr"))).hasSize(20)
        .allSatisfy(row -> assertThat(row.getText()).contains("NCCL watchdog timed out"));
    assertThat(browser.findElement(By.cssSelector("#kind-errors tbody tr")).getText()).as("the oldest of the newest 20")
        .contains("wide-20 ");
    browser.findElement(By.id("kind-explore")).click();
    chromium.waitUntil(() -> browser.findElements(By.cssSelector("#explore-records tbody tr")).size() == 100);
    assertThat(browser.findElement(By.name("kind")).getAttribute("value")).matches("[0-9a-f]{8}");
    assertThat(browser.findElement(By.id("kind-range")).getText())
        .matches("The errors of kind [0-9a-f]{8} since 1h, as the Errors page groups them");
    assertThat(browser.findElements(By.cssSelector("#explore-records tbody tr")))
        .allSatisfy(row -> assertThat(row.getText()).contains("NCCL watchdog timed out"));
    assertThat(browser.findElement(By.id("tail-control")).isDisplayed()).as("records stored from now on are of no kind yet")
        .isFalse();
    browser.findElement(By.id("older")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("before=")
        && browser.findElements(By.cssSelector("#explore-records tbody tr")).size() == 50);
    assertThat(browser.findElement(By.cssSelector("#explore-records tbody tr")).getText()).as("the oldest")
        .contains("wide-150 ");
  }

  @Test
  @Order(20)   // after the last: its kind would crowd the pages the tests above read
  void anErrorWhoseFirstLineIsARuleIsShownByItsHeading() throws Exception {
    // Spring Boot's report of a worker that could not start: its heading between rules of asterisks.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        INSERT INTO system_logs (timestamp, level, message, source_type, source_id, task_id, metadata, seq)
        VALUES (now(), 'ERROR', E'\\n\\n***************************\\nAPPLICATION FAILED TO START\\n'
                || E'***************************\\n\\nDescription:\\n\\nWeb server failed to start.',
                'worker', 'spring-app', 'spring-task', '{}', 1)"""));
    browser.get(base + "/#/errors");
    WebElement report = chromium.waitUntilText(By.id("error-kinds"), "APPLICATION FAILED TO START")
        .findElements(By.cssSelector("tbody tr")).stream().filter(row -> row.getText().contains("spring-task")).findFirst()
        .orElseThrow();

    assertThat(report.getText()).contains("APPLICATION FAILED TO START").doesNotContain("*****");
  }

  @Test
  @Order(3)   // reads only, as the tests above
  void theVolumePageSaysWhichWorkerOrLevelTheRecordsAreOfTheMostFirst() throws Exception {
    browser.get(base + "/#/volume");
    chromium.waitForRows(By.cssSelector("#volume-parts tbody tr"));

    List<WebElement> workers = browser.findElements(By.cssSelector("#volume-parts tbody tr"));
    assertThat(workers).extracting(WebElement::getText)
        .allSatisfy(row -> assertThat(row).matches("\\S+ [\\d,]+ \\d+\\.\\d% \\d+(\\.\\d)? (B|KiB|MiB) \\d+\\.\\d%"))
        .anySatisfy(row -> assertThat(row).startsWith("demo-gpu-2 "));
    List<Long> records = workers.stream().map(row -> Long.parseLong(row.findElements(By.cssSelector("td")).get(1).getText()
        .replace(",", ""))).toList();
    assertThat(records).as("the most first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(browser.findElement(By.id("volume-totals")).getText())
        .matches("[\\d,]+ records, \\d+\\.\\d (KiB|MiB) of messages and metadata, of \\d+ workers");
    assertThat(browser.findElement(By.id("store-size")).getText())
        .matches("The store's records take \\d+\\.\\d (KiB|MiB|GiB) with their indexes, in \\d+ partitions; "
            + "its heartbeats \\d+\\.\\d (KiB|MiB)");
    assertThat(browser.findElement(By.cssSelector("nav a.active")).getText()).isEqualTo("Volume");
    chromium.screenshot("volume");

    new Select(browser.findElement(By.name("by"))).selectByVisibleText("level");
    browser.findElement(By.cssSelector("#volume-filters button")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("#/volume?by=level")
        && browser.findElement(By.id("volume-parts")).getText().contains("INFO"));
    assertThat(browser.findElements(By.cssSelector("#volume-parts tbody td a"))).as("a level is no page").isEmpty();
    assertThat(browser.findElement(By.cssSelector("#view .sub")).getText())
        .isEqualTo("The records made since 1h, grouped by level, the most first, and the bytes of their messages and "
            + "metadata as stored");

    // Compared with the hour before, which the demo's records of the last minutes were not in.
    browser.findElement(By.name("compare")).click();
    browser.findElement(By.cssSelector("#volume-filters button")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("#/volume?by=level&compare=true")
        && !browser.findElements(By.id("volume-before")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("#volume-parts th"))).extracting(WebElement::getText)
        .containsExactly("LEVEL", "RECORDS", "%", "BEFORE", "BYTES", "%");
    assertThat(browser.findElements(By.cssSelector("#volume-parts td.before"))).isNotEmpty()
        .extracting(WebElement::getText).containsOnly("new");
    assertThat(browser.findElement(By.id("volume-before")).getText()).matches("Before: each level's records in the range "
        + "before, as long, from \\S+ \\S+ to \\S+ \\S+: 0 records, 0 B; new: none then \\((\\d) of the \\1 levels listed\\)");

    browser.get(base + "/#/volume");
    chromium.waitForRows(By.cssSelector("#volume-parts tbody tr"));
    browser.findElement(By.linkText("demo-gpu-2")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("#/worker/demo-gpu-2"));
  }

  @Test
  @Order(3)   // reads only, as the tests above
  void aWorkersErrorsOnTheFleetAndWorkerPagesOpenItsErrorsByKind() throws Exception {
    browser.get(base + "/#/fleet");
    chromium.waitUntilText(By.id("fleet"), "demo-gpu-2");
    WebElement failing = browser.findElement(By.cssSelector("#fleet tr[data-worker='demo-gpu-2']"));
    WebElement quiet = browser.findElement(By.cssSelector("#fleet tr[data-worker='demo-gpu-1']"));

    assertThat(quiet.findElements(By.className("errors-link"))).as("no errors, nothing to open").isEmpty();
    failing.findElement(By.className("errors-link")).click();
    chromium.waitForRows(By.cssSelector("#error-kinds tbody tr"));
    assertThat(browser.getCurrentUrl()).endsWith("#/errors?worker=demo-gpu-2");
    assertThat(browser.findElement(By.name("worker")).getAttribute("value")).isEqualTo("demo-gpu-2");

    browser.get(base + "/#/worker/demo-gpu-2");
    chromium.waitFor(By.className("errors-link"));
    assertThat(browser.findElement(By.id("worker-last-hour")).getText()).as("its one error, not \"1 errors\"")
        .matches("1 error · (1 warning|[02-9]\\d* warnings|1\\d+ warnings)");
    browser.findElement(By.className("errors-link")).click();
    chromium.waitForRows(By.cssSelector("#error-kinds tbody tr"));
    assertThat(browser.getCurrentUrl()).endsWith("#/errors?worker=demo-gpu-2");
  }

  @Test
  @Order(3)   // reads only, as the tests above
  void aKindsCountOpensTheWorkersAndTasksItHitEachLinkedToItsPage() throws Exception {
    browser.get(base + "/#/errors");
    chromium.waitForRows(By.cssSelector("#error-kinds tbody tr"));
    WebElement kind = browser.findElement(By.cssSelector("#error-kinds tbody tr"));
    String id = kind.getAttribute("data-kind");
    kind.findElement(By.cssSelector("td.num a")).click();

    chromium.waitForRows(By.cssSelector("#kind-workers tbody tr"));
    assertThat(browser.getCurrentUrl()).as("the last hour, the Errors page's").endsWith("#/errors/" + id);
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Error kind " + id);
    assertThat(browser.findElement(By.id("kind-summary")).getText())
        .matches("(?s)\\d+ errors? on 1 worker in \\d+ tasks?, from .* to .*Generation failed: CUDA out of memory\n"
            + "java.lang.IllegalStateException: CUDA out of memory. Tried to allocate 2.00 GiB \\(simulated\\)\n"
            + "errors per 1m, the highest \\d+\n"
            + "Stack trace of the latest, .* on demo-gpu-2\n.*");
    List<WebElement> bars = browser.findElements(By.cssSelector("#kind-over-time rect"));
    assertThat(bars).as("a bar for each span of the hour with errors").isNotEmpty()
        .allSatisfy(bar -> assertThat(bar.findElement(By.tagName("title")).getAttribute("textContent"))
            .matches("\\d+ errors? from \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*"));
    assertThat(browser.findElement(By.className("over-time-label")).getText()).matches("errors per 1m, the highest \\d+");
    assertThat(browser.findElement(By.id("kind-stack-trace")).getText()).as("the latest error's, whole")
        .startsWith("java.lang.IllegalStateException: CUDA out of memory.").contains("at dev.heartlog.cli.DemoWorker.runTask(");
    List<WebElement> workers = browser.findElements(By.cssSelector("#kind-workers tbody tr"));
    assertThat(workers).hasSize(1);
    assertThat(workers.get(0).getText()).startsWith("demo-gpu-2 ").contains(failedTask);
    assertThat(browser.findElement(By.id("kind-worker-count")).getText()).isEqualTo("1 worker");
    List<WebElement> tasks = browser.findElements(By.cssSelector("#kind-tasks tbody tr"));
    assertThat(tasks).extracting(WebElement::getText).anySatisfy(row -> assertThat(row).startsWith(failedTask + " "));
    assertThat(browser.findElement(By.id("kind-task-count")).getText()).as("a task's errors, not rows").matches("\\d+ tasks?");
    int errors = Integer.parseInt(browser.findElement(By.id("kind-summary")).getText().split(" ")[0]);
    List<WebElement> latest = browser.findElements(By.cssSelector("#kind-errors tbody tr"));
    assertThat(latest).as("the kind's errors, each whole").hasSize(Math.min(errors, 20))
        .allSatisfy(row -> assertThat(row.getText()).contains("demo-gpu-2", "Generation failed: CUDA out of memory"));
    assertThat(browser.findElement(By.id("kind-error-count")).getText()).isEqualTo(errors <= 20
        ? "all " + errors + " record" + (errors == 1 ? "" : "s") + " of the kind, each whole"
        : "the newest 20 records of the kind, each whole · all of them in Explore");
    chromium.screenshot("error-kind");

    tasks.get(0).findElement(By.linkText(tasks.get(0).getText().split(" ")[0])).click();
    chromium.waitFor(By.id("task-outcome"));
    browser.navigate().back();
    chromium.waitFor(By.id("all-kinds")).click();
    chromium.waitForRows(By.cssSelector("#error-kinds tbody tr"));

    // Until alone: the hour before it, as heartlog errors reads it; the demo's errors are newer.
    browser.findElement(By.name("until")).sendKeys("1h");
    browser.findElement(By.cssSelector("#error-filters button")).click();
    assertThat(chromium.waitFor(By.id("no-errors")).getText()).isEqualTo("No errors in the hour before 1h. Records are kept 48 hours.");

    browser.get(base + "/#/errors/0123abcd?worker=demo-gpu-1");
    assertThat(chromium.waitFor(By.id("no-kind")).getText()).isEqualTo(
        "No errors of kind 0123abcd since 1h by demo-gpu-1. Records are kept 48 hours; all kinds lists the range's kinds.");
  }

  @Test
  @Order(4)
  void aFilterNarrowsTheExploreResultsAndSurvivesAReloadThroughTheUrl() throws Exception {
    browser.get(base + "/#/explore");
    int all = chromium.waitForRows(By.cssSelector("#explore-records tbody tr"));

    new Select(browser.findElement(By.name("level"))).selectByVisibleText("ERROR");
    browser.findElement(By.cssSelector("#filters button")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("level=ERROR")
        && rows().size() > 0 && rows().size() < all);
    List<String> levels = rows().stream().map(r -> r.findElement(By.cssSelector(".badge")).getText()).toList();
    browser.navigate().refresh();
    chromium.waitUntil(() -> rows().size() == levels.size());

    assertThat(levels).isNotEmpty().allMatch(level -> level.equals("ERROR") || level.equals("CRITICAL"));
    assertThat(new Select(browser.findElement(By.name("level"))).getFirstSelectedOption().getText()).isEqualTo("ERROR");
    chromium.screenshot("explore");
  }

  @Test
  @Order(5)
  void aComponentFilterKeepsTheRecordsOfThatLoggerAndThoseBelowIt() throws Exception {
    browser.get(base + "/#/explore");
    int all = chromium.waitForRows(By.cssSelector("#explore-records tbody tr"));

    WebElement component = browser.findElement(By.name("component"));
    component.sendKeys("demo.pipeline");   // the demo's java.util.logging loggers, demo.pipeline.<worker>
    browser.findElement(By.cssSelector("#filters button")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("component=demo.pipeline") && rows().size() > 0 && rows().size() < all);

    assertThat(rows()).extracting(row -> row.findElement(By.cssSelector("details.meta dl")).getAttribute("textContent"))
        .allMatch(metadata -> metadata.contains("demo.pipeline.demo-gpu-"), "the logger is below demo.pipeline");
  }

  @Test
  @Order(6)
  void aRecordsTimeOpensItsWorkersRecordsAroundItInExplore() throws Exception {
    browser.get(base + "/#/task/" + failedTask);
    chromium.waitUntilText(By.id("task-records"), "CUDA out of memory");
    WebElement failure = browser.findElements(By.cssSelector("#task-records tbody tr")).stream()
        .filter(row -> row.getText().contains("CUDA out of memory")).findFirst().orElseThrow();
    String id = failure.getAttribute("data-id");
    assertThat(browser.findElement(By.id("failure-around")).getAttribute("href"))
        .as("the failure's own link, to the record that explains it").endsWith("&around=" + id);
    failure.findElement(By.cssSelector("td.time a.around")).click();

    WebElement point = chromium.waitFor(By.cssSelector("#explore-records tr.point"));
    assertThat(browser.getCurrentUrl()).containsPattern("#/explore\\?worker=demo-gpu-\\d&around=" + id + "$");
    assertThat(point.getAttribute("data-id")).isEqualTo(id);
    assertThat(point.getText()).contains("CUDA out of memory");
    assertThat(browser.findElement(By.id("around-line")).getText())
        .matches("Records around record " + id + " of worker demo-gpu-\\d, 20 on each side · earlier… · later…");
    List<String> ids = rows().stream().map(row -> row.getAttribute("data-id")).toList();
    assertThat(ids.indexOf(id)).as("the task's records before its failure").isPositive();
    assertThat(browser.findElements(By.id("tail-control"))).as("nothing tailed around a point").isEmpty();
    chromium.screenshot("explore-around");

    // The filters applied around it keep the point: the warnings and errors around the failure.
    new Select(browser.findElement(By.name("level"))).selectByVisibleText("WARNING");
    browser.findElement(By.name("context")).sendKeys("3");
    browser.findElement(By.cssSelector("#filters button")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("level=WARNING&around=" + id + "&context=3")
        && !rows().isEmpty() && rows().size() <= 7);
    assertThat(rows()).extracting(row -> row.findElement(By.cssSelector(".badge")).getText())
        .allMatch(level -> List.of("WARNING", "ERROR", "CRITICAL").contains(level));
    assertThat(browser.findElement(By.cssSelector("#explore-records tr.point")).getAttribute("data-id")).isEqualTo(id);

    String first = rows().get(0).getAttribute("data-id");
    chromium.clickWhenThere("#earlier");   // above the point, scrolled to: under the page's header
    // The page drawn again around the first record shown, which is marked now, with the same filters.
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("level=WARNING&around=" + first + "&context=3") && first.equals(
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.querySelector('tr.point')?.dataset.id")));

    browser.get(base + "/#/explore?around=999999999");
    assertThat(chromium.waitFor(By.id("no-results")).getText()).isEqualTo("No record 999999999. Records are kept 48 hours.");
  }

  @Test
  @Order(6)
  void aClickOnAWorkersVramChartOpensItsRecordsAroundThatTime() throws Exception {
    browser.get(base + "/#/worker/demo-gpu-2");
    WebElement band = chromium.waitFor(By.cssSelector("#vram-chart .span-band"));
    String task = band.findElement(By.xpath("..")).getAttribute("data-task");
    new Actions(browser).moveToElement(band).click().perform();
    chromium.waitUntil(() -> browser.getCurrentUrl().endsWith("#/task/" + task));

    browser.get(base + "/#/worker/demo-gpu-2");
    WebElement chart = chromium.waitFor(By.cssSelector("#vram-chart.around"));
    // In the middle of the chart, below the bands of the tasks' names (which open the tasks).
    new Actions(browser).moveToElement(chart, 0, 60).click().perform();

    chromium.waitUntil(() -> browser.getCurrentUrl().matches(
        ".*#/explore\\?worker=demo-gpu-2&around=\\d{4}-\\d\\d-\\d\\dT\\d\\d%3A\\d\\d%3A\\d\\d\\.\\d{3}Z$"));
    Instant at = Instant.parse(java.net.URLDecoder.decode(browser.getCurrentUrl().replaceAll(".*around=", ""),
        java.nio.charset.StandardCharsets.UTF_8));
    chromium.waitFor(By.id("around-time"));
    assertThat(browser.findElement(By.id("around-line")).getText()).matches(
        "Records around \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} of worker demo-gpu-2, 20 on each side · earlier… · later…");
    // The mark between the records made before that time and those made from it on, both there.
    List<WebElement> rows = browser.findElements(By.cssSelector("#explore-records tbody tr"));
    int mark = rows.indexOf(browser.findElement(By.id("around-time")));
    List<Instant> times = rows.stream().filter(row -> !"around-time".equals(row.getAttribute("id")))
        .map(row -> Instant.parse(row.findElement(By.cssSelector("td.time span")).getAttribute("title").split("\\s")[1]))
        .toList();
    assertThat(mark).isPositive().isLessThan(rows.size() - 1);
    assertThat(times.subList(0, mark)).allMatch(time -> time.isBefore(at));
    assertThat(times.subList(mark, times.size())).allMatch(time -> !time.isBefore(at));
    chromium.screenshot("explore-around-time");
  }

  @Test
  @Order(6)
  void aRecordsMetadataOpensBelowItsMessage() throws Exception {
    browser.get(base + "/#/explore?worker=demo-gpu-1");
    chromium.waitForRows(By.cssSelector("#explore-records tbody tr"));
    WebElement row = rows().stream().filter(r -> r.getText().contains("Loading model")).findFirst().orElseThrow();
    WebElement details = row.findElement(By.cssSelector("details.meta"));
    assertThat(details.getAttribute("open")).as("closed at first").isNull();

    details.findElement(By.tagName("summary")).click();

    chromium.waitUntil(() -> details.findElement(By.tagName("dl")).isDisplayed());
    assertThat(details.findElements(By.tagName("dt"))).extracting(WebElement::getText)
        .contains("logger", "thread", "class", "method", "line");
    assertThat(details.findElement(By.tagName("dl")).getText()).contains("demo.worker.demo-gpu-1", "DemoWorker", "runTask");
    chromium.screenshot("metadata");

    details.findElement(By.cssSelector("a.component")).click();   // the logger: its records
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("component=demo.worker.demo-gpu-1") && !rows().isEmpty());
    assertThat(browser.findElement(By.name("component")).getAttribute("value")).isEqualTo("demo.worker.demo-gpu-1");
    chromium.waitUntil(() -> rows().stream().allMatch(r -> r.findElement(By.cssSelector("details.meta dl"))
        .getAttribute("textContent").contains("demo.worker.demo-gpu-1")));
  }

  @Test
  @Order(7)
  void aRecordStoredNowAppearsInLiveTailWithoutAReload() throws Exception {
    browser.get(base + "/#/worker/demo-gpu-1");
    chromium.waitUntilText(By.id("worker-records"), "Worker shutting down");
    chromium.waitUntilText(By.id("tail-control"), "live");
    ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('demo-gpu-1', NULL, NULL, "
          + "jsonb_build_array(jsonb_build_object('timestamp', now(), 'level', 'WARNING', 'message', 'arrived live')), NULL)")) {
        return s.execute();
      }
    });

    chromium.waitUntilText(By.id("worker-records"), "arrived live");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
    assertThat(browser.findElements(By.cssSelector("#vram-chart .task-span"))).isNotEmpty()
        .as("demo-gpu-1's tasks did not fail").extracting(span -> span.findElement(By.tagName("title")).getAttribute("textContent"))
        .allMatch(title -> title.startsWith("task ") && !title.contains("failed"));
    chromium.screenshot("worker");
  }

  @Test
  @Order(8)
  void resumingTheLiveTailShowsWhatWasStoredWhileItWasPaused() throws Exception {
    browser.get(base + "/#/worker/demo-gpu-2");
    chromium.waitUntilText(By.id("worker-records"), "Worker shutting down");
    // The failed task's span on the VRAM chart says what failed it, when the pointer rests on it.
    WebElement failedSpan = browser.findElement(By.cssSelector("#vram-chart .task-span[data-task='" + failedTask + "']"));
    assertThat(failedSpan.findElement(By.tagName("title")).getAttribute("textContent"))
        .isEqualTo("task " + failedTask + " (failed: Generation failed: CUDA out of memory "
            + "(java.lang.IllegalStateException: CUDA out of memory. Tried to allocate 2.00 GiB (simulated)))");
    chromium.waitUntilText(By.id("tail-control"), "live");
    browser.findElement(By.id("tail-toggle")).click();
    chromium.waitUntilText(By.id("tail-control"), "paused");

    // More of the fleet's records than the tail once looked through for what a browser missed.
    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs(?, NULL, NULL, ?::jsonb, NULL)")) {
        s.setString(1, "demo-gpu-3");
        s.setString(2, "[" + String.join(",", java.util.Collections.nCopies(300, "{\"message\": \"another worker's\"}")) + "]");
        s.execute();
        s.setString(1, "demo-gpu-2");
        s.setString(2, "[{\"level\": \"ERROR\", \"message\": \"stored while paused\"}]");
        return s.execute();
      }
    });
    assertThat(browser.findElement(By.id("worker-records")).getText()).doesNotContain("stored while paused");

    browser.findElement(By.id("tail-toggle")).click();
    chromium.waitUntilText(By.id("worker-records"), "stored while paused");
    chromium.waitUntilText(By.id("tail-control"), "live");
  }

  @Test
  @Order(9)
  void olderRecordsOfTheSameTimeAsThePagesLastAreOnTheNextPage() throws Exception {
    // 30 records of one time, as a tight logging loop stamps them; pages of 20 end among them.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute(
        "SELECT func_worker_heartbeat_with_logs('tied-worker', NULL, NULL, (SELECT jsonb_agg(jsonb_build_object("
            + "'timestamp', '2026-11-30T00:00:00.000001Z', 'message', 'tied ' || g, 'seq', g)) "
            + "FROM generate_series(1, 30) g), NULL)"));
    browser.get(base + "/#/explore?worker=tied-worker&limit=20");
    chromium.waitUntil(() -> rows().size() == 20);
    List<String> first = rows().stream().map(WebElement::getText).toList();

    browser.findElement(By.id("older")).click();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("before=") && rows().size() == 10);
    List<String> second = rows().stream().map(WebElement::getText).toList();

    List<String> shown = new java.util.ArrayList<>(second);
    shown.addAll(first);
    assertThat(shown).hasSize(30).doesNotHaveDuplicates()
        .allMatch(row -> row.contains("tied "), "a record of the tied worker");
    assertThat(browser.findElement(By.id("tail-control")).isDisplayed()).as("no live tail on an older page").isFalse();
  }

  @Test
  @Order(10)
  void aMetadataValueOpensTheRecordsWithTheSameValueAndTheLiveTailKeepsToThem() throws Exception {
    browser.get(base + "/#/explore?worker=demo-gpu-1");
    chromium.waitForRows(By.cssSelector("#explore-records tbody tr"));
    WebElement row = rows().stream().filter(r -> r.getText().contains("Loading model")).findFirst().orElseThrow();
    row.findElement(By.cssSelector("details.meta summary")).click();
    WebElement model = row.findElement(By.xpath(".//dt[text()='model']/following-sibling::dd[1]/a"));
    String name = model.getText();

    model.click();   // the demo's SLF4J key-value pair: the records of that model, from every worker
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("meta=model%3D") && !rows().isEmpty()
        && rows().stream().allMatch(r -> r.getText().contains("Loading model " + name + " ")));
    assertThat(browser.findElement(By.name("meta")).getAttribute("value")).isEqualTo("model=" + name);
    chromium.waitUntilText(By.id("tail-control"), "live");

    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('demo-gpu-1', NULL, NULL, "
          + "jsonb_build_array(jsonb_build_object('message', 'another model live', 'metadata', jsonb_build_object('model', 'x')),"
          + " jsonb_build_object('message', 'this model live', 'metadata', jsonb_build_object('model', ?::text))), NULL)")) {
        s.setString(1, name);
        return s.execute();
      }
    });
    chromium.waitUntilText(By.id("explore-records"), "this model live");
    assertThat(browser.findElement(By.id("explore-records")).getText()).doesNotContain("another model live");

    // The Tasks page takes the same filter: the tasks that loaded this model.
    browser.get(base + "/#/tasks?since=1d");
    chromium.waitForRows(By.cssSelector("#tasks tbody tr"));
    browser.findElement(By.name("meta")).sendKeys("model=" + name);
    browser.findElement(By.cssSelector("#task-filters button")).click();
    List<String> expected = Store.open(url, null, null)
        .tasks(new dev.heartlog.store.TaskFilter(null, java.time.Instant.now().minus(Duration.ofDays(1)), null, false,
            java.util.Map.of("model", name), 200))
        .stream().map(dev.heartlog.store.RecentTask::id).toList();
    assertThat(expected).isNotEmpty();
    chromium.waitUntil(() -> browser.getCurrentUrl().contains("meta=model%3D")
        && browser.findElements(By.cssSelector("#tasks tbody tr")).stream().map(taskRow -> taskRow.getAttribute("data-task"))
            .toList().equals(expected));
  }

  @Test
  @Order(11)   // adds workers the Fleet page's test does not expect
  void aTasksPageDrawsTheVramOfEachWorkerThatRanIt() throws Exception {
    // Task "vram-task" ran on one worker, then on another, where its memory grew.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        INSERT INTO worker_heartbeats (worker_id, received_at, status, vram_total_mb, vram_used_mb, current_task_id,
                                       records, logs_inserted)
        SELECT worker, now() - (5 - n) * interval '20 seconds', 'active', 81559, used, 'vram-task', 0, 0
        FROM (VALUES (1, 'vram-a', 21000), (2, 'vram-a', 22000), (3, 'vram-b', 30000), (4, 'vram-b', 60000)) AS beats(n, worker, used)"""));

    browser.get(base + "/#/task/vram-task");
    chromium.waitFor(By.cssSelector("#vram-chart polyline"));

    assertThat(browser.findElements(By.cssSelector("#vram-chart polyline")))
        .extracting(line -> line.getAttribute("data-worker"), line -> line.getAttribute("points").split(" ").length)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("vram-a", 2), org.assertj.core.groups.Tuple.tuple("vram-b", 2));
    assertThat(browser.findElement(By.id("task-workers")).getText()).as("from its heartbeats: it logged nothing")
        .isEqualTo("vram-a, vram-b");
    chromium.screenshot("task-vram");

    // A click on it: the task's records around that time (it has none: it logged nothing).
    new Actions(browser).moveToElement(browser.findElement(By.id("vram-chart")), 0, 60).click().perform();
    chromium.waitUntil(() -> browser.getCurrentUrl().matches(".*#/explore\\?task=vram-task&around=[0-9T%A.-]+Z$"));
    assertThat(chromium.waitFor(By.id("around-line")).getText()).contains(" of task vram-task, 20 on each side");
  }

  @Test
  @Order(12)   // adds a worker the Fleet page's test does not expect
  void aWorkerWhoseClockRunsBehindSaysSoOnTheFleetAndWorkerPages() throws Exception {
    // A heartlog agent's heartbeat from a clock three hours behind the store's.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('slow-clock', NULL, NULL, jsonb_build_array(
                   jsonb_build_object('timestamp', now() - interval '3 hours', 'level', 'ERROR', 'message', 'CUDA out of memory')),
                   NULL, 'active', 's-slow-clock', 1, jsonb_build_object(
                   'sent_at_ms', floor(extract(epoch FROM now() - interval '3 hours') * 1000),
                   'problem_counts', jsonb_build_array(jsonb_build_array(heartlog_period(now() - interval '3 hours'), 1, 0)),
                   'gpu_problem', 'nvidia-smi not found'))"""));

    browser.get(base + "/#/worker/slow-clock");
    WebElement clock = chromium.waitFor(By.id("worker-clock"));

    assertThat(clock.getText()).isEqualTo("clock 3 h 0 min behind");
    assertThat(clock.getAttribute("title")).contains("3 h 0 min behind the store's", "last hour's counts allow for it");
    // Its heartbeat carries no VRAM figures: the chart says so, where it drew a scale of 0 GiB five
    // times, and the VRAM card says why, as the worker's agent said it.
    assertThat(browser.findElement(By.id("vram-chart")).getText()).contains("No VRAM figures in these heartbeats")
        .doesNotContain("GiB");
    assertThat(browser.findElement(By.id("worker-gpu-problem")).getText()).isEqualTo("nvidia-smi not found");
    chromium.screenshot("worker-clock");

    browser.get(base + "/#/fleet");
    WebElement row = chromium.waitFor(By.cssSelector("#fleet tr[data-worker='slow-clock']"));
    assertThat(row.findElement(By.cssSelector(".skew")).getText()).isEqualTo("clock 3 h 0 min behind");
    assertThat(row.findElements(By.cssSelector("td")).get(5).getText()).as("its error, in the last hour").isEqualTo("1");
    assertThat(row.findElements(By.cssSelector("td")).get(4).getAttribute("title")).as("why its VRAM is missing")
        .isEqualTo("nvidia-smi not found");
    assertThat(browser.findElements(By.cssSelector("#fleet tr[data-worker='demo-gpu-1'] .skew"))).as("a clock on time").isEmpty();

    // Fleet health counts its error in the last hour; the last hour's failed tasks say why its is not among them.
    browser.get(base + "/#/tasks?failed=true");
    assertThat(chromium.waitFor(By.id("skewed-clocks")).getText())
        .contains("A worker's clock is a minute or more off the store's: slow-clock (3 h 0 min behind).")
        .contains("its records sit as far off this range");
    chromium.screenshot("tasks-clock");
    browser.get(base + "/#/tasks?worker=demo-gpu-1");
    chromium.waitFor(By.id("tasks"));
    assertThat(browser.findElements(By.id("skewed-clocks"))).as("another worker's tasks").isEmpty();
    // Its records of the last 10 minutes, none at its own times.
    browser.get(base + "/#/explore?worker=slow-clock&since=10m");
    chromium.waitFor(By.id("no-results"));
    assertThat(browser.findElement(By.id("skewed-clocks")).getText()).contains("slow-clock (3 h 0 min behind)");
    browser.get(base + "/#/explore?worker=slow-clock");
    chromium.waitFor(By.id("explore-records"));
    assertThat(browser.findElements(By.id("skewed-clocks"))).as("no range asked").isEmpty();
  }

  @Test
  @Order(13)   // adds a worker the Fleet page's test does not expect
  void aLongTaskIdCutShortSaysSoAndOpensTheWholeOne() throws Exception {
    String task = "render/shot-12 #3?x=1";
    Store.open(url, null, null).withConnection(c -> {
      try (java.sql.PreparedStatement s = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('odd-ids', NULL, NULL, "
          + "jsonb_build_array(jsonb_build_object('level', 'ERROR', 'message', 'shot failed', 'task_id', ?::text)), ?)")) {
        s.setString(1, task);
        s.setString(2, task);
        return s.execute();
      }
    });

    browser.get(base + "/#/worker/odd-ids");
    WebElement current = chromium.waitUntilText(By.cssSelector(".card a[href^='#/task/']"), "render/shot-1");
    WebElement inRecord = chromium.waitFor(By.cssSelector("#worker-records a[href^='#/task/']"));

    assertThat(current.getText()).isEqualTo("render/shot-1…");
    assertThat(current.findElement(By.cssSelector("span")).getAttribute("title")).isEqualTo(task);
    assertThat(inRecord.getText()).isEqualTo("render/shot-1…");
    current.click();
    assertThat(chromium.waitFor(By.id("task-outcome")).getText()).isEqualTo("FAILED");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains(task);
  }

  @Test
  @Order(14)
  void aFilterTheServerRefusesSaysWhyBesideTheFormKeptToMendIt() throws Exception {
    browser.get(base + "/#/explore?worker=demo-gpu-1&since=30m&until=1h");
    WebElement refused = chromium.waitFor(By.id("filter-error"));

    assertThat(refused.getText()).contains(") is after until (", "since 1h until 30m is the half hour that ended 30 minutes ago");
    assertThat(browser.findElement(By.name("worker")).getAttribute("value")).isEqualTo("demo-gpu-1");
    WebElement since = browser.findElement(By.name("since"));
    assertThat(since.getAttribute("value")).isEqualTo("30m");
    chromium.screenshot("explore-refused");

    // Mended in the form, the same page lists the worker's records.
    since.clear();
    since.sendKeys("1d");
    browser.findElement(By.name("until")).clear();
    browser.findElement(By.cssSelector("#filters button")).click();
    chromium.waitForRows(By.cssSelector("#explore-records tbody tr"));
    assertThat(browser.findElements(By.id("filter-error"))).isEmpty();

    // A time it cannot read, said as the page reads times: the API's reason says a time of day
    // is UTC, but the page sends the browser's offset with it.
    browser.get(base + "/#/tasks?since=someday");
    assertThat(chromium.waitFor(By.id("filter-error")).getText())
        .contains("Since: 'someday' is not a time this page reads.", "in this browser's time zone")
        .doesNotContain("UTC");
    assertThat(browser.findElement(By.name("since")).getAttribute("value")).isEqualTo("someday");
    browser.get(base + "/#/errors?since=1h&until=22.00");
    assertThat(chromium.waitFor(By.id("filter-error")).getText())
        .contains("Until: '22.00' is not a time this page reads.", "a time of day (22:00: its last time)");
  }

  @Test
  @Order(15)   // adds a worker the Fleet page's test does not expect
  void aMessageOfSeveralLinesKeepsItsLineBreaksAndIndents() throws Exception {
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('table-printer', NULL, NULL, jsonb_build_array(
            jsonb_build_object('level', 'INFO', 'message', E'epoch  loss\\n    1  0.52\\n    2  0.31\\n')), NULL)"""));

    browser.get(base + "/#/explore?worker=table-printer");
    WebElement text = chromium.waitFor(By.cssSelector("#explore-records td.msg .text"));

    assertThat(text.getText()).isEqualTo("epoch  loss\n    1  0.52\n    2  0.31");
  }

  @Test
  @Order(16)   // adds a worker the Fleet page's test does not expect
  void aWorkerWhoseRowTheOrchestratorsTableRefusedSaysSoOnTheFleetAndWorkerPages() throws Exception {
    // As the ingest function leaves a heartbeat whose row a stricter workers table refused.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        INSERT INTO worker_heartbeats (worker_id, status, records, logs_inserted) VALUES ('unregistered-gpu', 'active', 0, 0);
        INSERT INTO worker_row_refusals (worker_id, refused_at, reason)
        VALUES ('unregistered-gpu', now(), 'null value in column "instance_type" of relation "workers"')"""));

    browser.get(base + "/#/fleet");
    WebElement row = chromium.waitFor(By.cssSelector("#fleet tr[data-worker='unregistered-gpu']"));

    WebElement note = row.findElement(By.cssSelector(".row-refused"));
    assertThat(note.getText()).isEqualTo("row refused");
    assertThat(note.getAttribute("title")).contains("refused this worker's row", "\"instance_type\"", "Its records are stored");
    assertThat(browser.findElements(By.cssSelector("#fleet tr[data-worker='demo-gpu-1'] .row-refused"))).isEmpty();
    browser.get(base + "/#/worker/unregistered-gpu");
    assertThat(chromium.waitFor(By.id("worker-row-refused")).getAttribute("title")).contains("\"instance_type\"");
    chromium.screenshot("worker-row-refused");
  }

  @Test
  @Order(17)   // adds a worker the Fleet page's test does not expect
  void aWorkerIdTwoProcessesShareSaysSoOnTheFleetAndWorkerPages() throws Exception {
    // Two replicas given one worker id, each an agent session, taking turns.
    for (String session : List.of("replica-a", "replica-b", "replica-a")) {
      Store.open(url, null, null).withConnection(c -> c.createStatement().execute(
          "SELECT func_worker_heartbeat_with_logs(worker_id_param => 'replicated-gpu', session_id_param => '" + session + "')"));
    }

    browser.get(base + "/#/fleet");
    WebElement row = chromium.waitFor(By.cssSelector("#fleet tr[data-worker='replicated-gpu']"));

    WebElement note = row.findElement(By.cssSelector(".shared-id"));
    assertThat(note.getText()).isEqualTo("shared id");
    assertThat(note.getAttribute("title")).contains("Several processes send heartbeats as this worker",
        "Give each process its own worker id");
    assertThat(browser.findElements(By.cssSelector("#fleet tr[data-worker='demo-gpu-1'] .shared-id"))).isEmpty();
    browser.get(base + "/#/worker/replicated-gpu");
    assertThat(chromium.waitFor(By.id("worker-shared-id")).getText()).isEqualTo("shared id");
  }

  /**
   * The page shows times in the browser's zone, and read the times typed into its forms as UTC,
   * as the API does: in Kolkata, a Since and Until around a record's time as the page showed it
   * were 5 h 30 min off it, and found nothing.
   */
  @Test
  @Order(18)   // adds a worker the Fleet page's test does not expect
  void timesTypedIntoAFormAreReadInTheBrowsersZoneAsThePageShowsThem() throws Exception {
    Instant at = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    Store.open(url, null, null).withConnection(c -> {
      try (PreparedStatement heartbeat = c.prepareStatement("SELECT func_worker_heartbeat_with_logs('zone-gpu', NULL, NULL, "
          + "jsonb_build_array(jsonb_build_object('timestamp', ?::timestamptz, 'level', 'ERROR', 'message', 'encoder lost', "
          + "'task_id', 'zone-task')), NULL)")) {
        heartbeat.setString(1, at.toString());
        return heartbeat.execute();
      }
    });
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(kolkata);
    DateTimeFormatter minute = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(kolkata);
    chromium.inTimeZone(kolkata.getId());
    try {
      // A time of day, as the page shows the record's.
      browser.get(base + "/#/explore?worker=zone-gpu&since=" + clock.format(at.minusSeconds(60))
          + "&until=" + clock.format(at.plusSeconds(60)));
      WebElement records = chromium.waitUntilText(By.id("explore-records"), "encoder lost");
      assertThat(records.findElement(By.cssSelector("td.time")).getText())
          .isEqualTo(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(kolkata).format(at));

      // A date and time, typed into the Errors page's form.
      browser.get(base + "/#/errors?worker=zone-gpu");
      chromium.waitFor(By.name("since")).sendKeys(minute.format(at.minusSeconds(60)));
      browser.findElement(By.name("until")).sendKeys(minute.format(at.plusSeconds(120)));
      browser.findElement(By.cssSelector("#view form button")).click();
      assertThat(chromium.waitUntilText(By.id("error-kinds"), "encoder lost").getText()).contains("zone-task");
    } finally {
      chromium.inTimeZone("");
    }
  }

  @Test
  @Order(18)   // adds a worker the Fleet page's test does not expect
  void aFailureWithoutAStackTraceShowsTheLastErrorsBeforeItThatHadOneAndTheTasksPageItsException() throws Exception {
    // A wrapped Python worker's logger.exception, then its closing line, which has no traceback.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('closing-line-gpu', NULL, NULL, '[
          {"level": "ERROR", "message": "upload failed, retrying", "task_id": "closing-line-task",
           "metadata": {"exception": "ConnectionError: reset by peer"}},
          {"level": "ERROR", "message": "render failed for frame 2", "task_id": "closing-line-task",
           "metadata": {"exception": "Traceback (most recent call last):\\nKeyError: 12"}},
          {"level": "ERROR", "message": "Task failed", "task_id": "closing-line-task", "metadata": {}},
          {"level": "ERROR", "message": "Task failed: No space left on device", "task_id": "said-task",
           "metadata": {"exception": "OSError: No space left on device"}},
          {"level": "ERROR", "message": "decode failed", "task_id": "blank-trace-task",
           "metadata": {"exception": "Traceback (most recent call last):\\nValueError: bad frame"}},
          {"level": "ERROR", "message": "Task failed", "task_id": "blank-trace-task", "metadata": {"exception": " "}},
          {"level": "ERROR", "message": "decode failed", "task_id": "none-type-task",
           "metadata": {"exception": "Traceback (most recent call last):\\nValueError: bad frame 7"}},
          {"level": "ERROR", "message": "Task failed", "task_id": "none-type-task", "metadata": {"exception": "NoneType: None"}}]'::jsonb,
          NULL)"""));

    browser.get(base + "/#/task/closing-line-task");
    WebElement trace = chromium.waitUntilText(By.id("stack-trace"), "KeyError: 12");

    assertThat(browser.findElement(By.id("task-failure")).getText()).startsWith("Failed: Task failed");
    assertThat(browser.findElement(By.cssSelector("#earlier-trace summary")).getText())
        .startsWith("Stack trace of the last error before it that had one: render failed for frame 2");
    assertThat(trace.getText()).doesNotContain("ConnectionError");
    chromium.screenshot("task-earlier-trace");

    // Its kind is the explaining error's, whose stack trace the kind's page shows.
    browser.findElement(By.id("failure-kind")).click();
    assertThat(chromium.waitUntilText(By.id("kind-stack-trace"), "KeyError: 12").getText()).doesNotContain("ConnectionError");
    assertThat(browser.findElement(By.id("kind-summary")).getText()).contains("render failed for frame 2");

    // A long task's page shows its ends; the error that explains its closing line is between
    // them, and shown all the same.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('closing-line-gpu', NULL, NULL, (
          SELECT jsonb_agg(jsonb_build_object('level', CASE WHEN g IN (600, 1499) THEN 'ERROR' ELSE 'INFO' END,
                   'message', CASE g WHEN 600 THEN 'render failed for frame 600' WHEN 1499 THEN 'Task failed'
                                     ELSE 'frame ' || g END,
                   'task_id', 'long-closing-task', 'seq', g,
                   'metadata', CASE WHEN g = 600 THEN '{"exception": "Traceback (most recent call last):\\nKeyError: 600"}'
                                    ELSE '{}' END::jsonb) ORDER BY g)
          FROM generate_series(0, 1499) g), NULL)"""));
    browser.get(base + "/#/task/long-closing-task");
    chromium.waitUntilText(By.id("stack-trace"), "KeyError: 600");
    assertThat(browser.findElement(By.cssSelector("#earlier-trace summary")).getText())
        .startsWith("Stack trace of the last error before it that had one: render failed for frame 600");
    assertThat(browser.findElement(By.id("failure-around")).getAttribute("href")).as("around that error")
        .endsWith("around=" + TestDatabase.single(url, "SELECT id FROM system_logs WHERE message = 'render failed for frame 600'"));

    // A stack trace of white space is none: the one before it is shown.
    browser.get(base + "/#/task/blank-trace-task");
    assertThat(chromium.waitFor(By.cssSelector("#earlier-trace summary")).getText())
        .startsWith("Stack trace of the last error before it that had one: decode failed");

    // Python's logging writes "NoneType: None" for exc_info=True outside an except block: no
    // stack trace, so the traceback before it is shown.
    browser.get(base + "/#/task/none-type-task");
    assertThat(chromium.waitFor(By.cssSelector("#earlier-trace summary")).getText())
        .startsWith("Stack trace of the last error before it that had one: decode failed");
    assertThat(browser.findElement(By.id("task-failure")).getText()).doesNotContain("NoneType");

    // On the Tasks page, below the closing line, the exception that explains it; none where the
    // failure's message says it already.
    browser.get(base + "/#/tasks?failed=true");
    WebElement closing = chromium.waitFor(By.cssSelector("#tasks tr[data-task='closing-line-task']"));
    WebElement said = browser.findElement(By.cssSelector("#tasks tr[data-task='said-task']"));
    assertThat(closing.findElement(By.className("msg")).getText()).isEqualTo("Task failed\nKeyError: 12");
    assertThat(browser.findElement(By.cssSelector("#tasks tr[data-task='none-type-task'] .msg")).getText())
        .isEqualTo("Task failed\nValueError: bad frame 7");
    assertThat(said.findElement(By.className("msg")).getText()).isEqualTo("Task failed: No space left on device");
    assertThat(said.findElements(By.className("exception"))).isEmpty();
    chromium.screenshot("tasks-failure-exception");

    // asyncio's "Task exception was never retrieved" names the exception on its second line,
    // which the Errors page does not show: the exception below its first line, all the same.
    Store.open(url, null, null).withConnection(c -> c.createStatement().execute("""
        SELECT func_worker_heartbeat_with_logs('closing-line-gpu', NULL, NULL, '[
          {"level": "ERROR", "task_id": "never-retrieved-task",
           "message": "Task exception was never retrieved\\nfuture: <Task finished name=''Task-2'' exception=ValueError(''bad frame 5'')>",
           "metadata": {"exception": "Traceback (most recent call last):\\n  File \\"w.py\\", line 4, in render\\nValueError: bad frame 5"}}]'::jsonb,
          NULL)"""));
    browser.get(base + "/#/errors?worker=closing-line-gpu");
    WebElement neverRetrieved = chromium.waitUntilText(By.id("error-kinds"), "Task exception was never retrieved")
        .findElements(By.cssSelector("tbody tr")).stream()
        .filter(row -> row.getText().contains("never retrieved")).findFirst().orElseThrow();
    assertThat(neverRetrieved.findElement(By.className("exception")).getText()).isEqualTo("ValueError: bad frame 5");
    // So does its task's span on the worker's chart, when the pointer rests on it.
    browser.get(base + "/#/worker/closing-line-gpu");
    WebElement span = chromium.waitFor(By.cssSelector("#vram-chart .task-span[data-task='never-retrieved-task']"));
    assertThat(span.findElement(By.tagName("title")).getAttribute("textContent"))
        .isEqualTo("task never-retrieved-task (failed: Task exception was never retrieved (ValueError: bad frame 5))");
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#explore-records tbody tr"));
  }
}
