package dev.heartlog.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium for the viewer's tests (no browser download),
 * with the waits they share.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;

  /** Starts a browser with its profile in {@code profile}. */
  HeadlessChromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
  }

  /** Whether Debian's chromium and chromium-driver are installed (.ci/run installs them). */
  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  WebDriver driver() {
    return driver;
  }

  WebElement waitFor(By locator) {
    return waiting().until(d -> d.findElement(locator));
  }

  /** The first element found, once its text contains {@code text}. */
  WebElement waitUntilText(By locator, String text) {
    return waiting().until(d -> {
      List<WebElement> found = d.findElements(locator);
      return !found.isEmpty() && found.get(0).getText().contains(text) ? found.get(0) : null;
    });
  }

  /** How many elements are found, once there are any. */
  int waitForRows(By locator) {
    return waiting().until(d -> {
      int count = d.findElements(locator).size();
      return count > 0 ? count : null;
    });
  }

  void waitUntil(BooleanSupplier condition) {
    waiting().until(d -> condition.getAsBoolean());
  }

  /**
   * Clicks the element once it is there, found and clicked in one script: a page that draws
   * itself again (the Fleet page, every 5 s) may replace an element between a find and a click.
   */
  void clickWhenThere(String css) {
    waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
        "const e = document.querySelector(arguments[0]); if (e) e.click(); return e !== null;", css));
  }

  /**
   * The messages of a table's rows, in order, a row without one (the timeline's gap) as "": read
   * in one script, since asking the driver row by row takes seconds per thousand rows.
   */
  @SuppressWarnings("unchecked")
  List<String> messages(String rows) {
    return (List<String>) ((JavascriptExecutor) driver).executeScript(
        "return [...document.querySelectorAll(arguments[0])].map(r => r.querySelector('td.msg')?.textContent.trim() ?? '')",
        rows);
  }

  /**
   * Runs the page as a browser in that time zone would ({@code Asia/Kolkata}), until called
   * again; {@code ""} gives the machine's zone back.
   */
  void inTimeZone(String zoneId) {
    driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zoneId));
  }

  /** Saves what the page shows now as target/screenshots/{@code name}.png. */
  void screenshot(String name) throws Exception {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path folder = Path.of("target", "screenshots");
    Files.createDirectories(folder);
    Files.copy(shot.toPath(), folder.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }

  /** Waits up to 20 s; a timeout says where the browser was and what the page showed. */
  private WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
    wait.withMessage(() -> {
      List<WebElement> main = driver.findElements(By.id("view"));
      String shown = main.isEmpty() ? "(no #view)" : main.get(0).getText();
      return "at " + driver.getCurrentUrl() + ", the page showing: "
          + (shown.length() > 600 ? shown.substring(0, 600) + "…" : shown);
    });
    return wait;
  }
}
