package dev.heartlog.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Times a viewer page in Debian's headless Chromium on several {@code heartlog serve}s in turns:
 * from asking for the page (after another one) until a script says it is drawn.
 */
final class BrowserTiming {

  private BrowserTiming() {}

  /**
   * Prints, for each server, the milliseconds of each round.
   *
   * @param page the page's hash, as {@code #/fleet}
   * @param drawn a script that returns true once the page shows what is timed
   */
  static void inTurns(List<String> servers, String readerKey, String page, String drawn, int rounds)
      throws InterruptedException {
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    ChromeDriver browser = chromium();
    try {
      for (String server : servers) {
        browser.get(server + "/?key=" + readerKey + "#/tasks");
        millis.put(server, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (String server : servers) {
          browser.get(server + "/#/tasks");
          Thread.sleep(1_000);
          long start = System.nanoTime();
          browser.get(server + "/" + page);
          while (!Boolean.TRUE.equals(browser.executeScript(drawn))) {
            Thread.sleep(10);
          }
          millis.get(server).add((System.nanoTime() - start) / 1e6);
        }
      }
    } finally {
      browser.quit();
    }
    millis.forEach((server, times) -> System.out.println(server + ": " + String.join(" / ",
        times.stream().map(ms -> String.format(Locale.ROOT, "%.0f ms", ms)).toList())));
  }

  private static ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000");
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
  }
}
