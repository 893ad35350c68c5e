package dev.heartlog.bench;

import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.PostgrestTransport;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * How long the viewer's Task page takes to show a long task in Debian's headless Chromium, for
 * two or more running {@code heartlog serve}s of different builds on one store (the baseline's
 * first), taking turns: from asking for the page to the first rows of its timeline. It first
 * sends one task of the given number of records through the first server's ingest endpoint, as
 * a worker's agent does, a thousand at a time.
 *
 * <p>Usage: {@code HEARTLOG_WRITER_KEY=hlw_... HEARTLOG_READER_KEY=hlr_... java -cp
 * heartlog-bench/target/benchmarks.jar dev.heartlog.bench.TaskPageLoad <records> <rounds> <url>
 * [<url>...]}.
 */
public final class TaskPageLoad {

  private TaskPageLoad() {}

  public static void main(String[] args) throws Exception {
    int records = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<String> servers = List.of(args).subList(2, args.length);
    String task = sendTask(servers.get(0), System.getenv("HEARTLOG_WRITER_KEY"), records);
    System.out.println("task " + task + ": " + records + " records; " + rounds + " rounds, servers in turns");

    Map<String, List<Double>> millis = new java.util.LinkedHashMap<>();
    ChromeDriver browser = chromium();
    try {
      for (String server : servers) {
        browser.get(server + "/?key=" + System.getenv("HEARTLOG_READER_KEY") + "#/fleet");
        millis.put(server, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        for (String server : servers) {
          millis.get(server).add(timePage(browser, server, task));
        }
      }
    } finally {
      browser.quit();
    }
    millis.forEach((server, times) -> System.out.println(server + ": " + String.join(" / ",
        times.stream().map(ms -> String.format(Locale.ROOT, "%.0f ms", ms)).toList())));
  }

  /** Sends one task's records as one worker, a thousand per heartbeat, and waits for them all. */
  private static String sendTask(String server, String writerKey, int records) {
    String task = UUID.randomUUID().toString();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (HeartlogAgent agent = HeartlogAgent.builder()
        .workerId("long-task-worker")
        .transport(PostgrestTransport.builder().baseUrl(server).key(writerKey).build())
        .noSpool()
        .gpuProbe(GpuProbe.none())
        .shutdownHook(false)
        .diagnostics(quiet)
        .build()) {
      for (int i = 1; i <= records; i++) {
        agent.log(Level.INFO, "frame " + i + " rendered in 0.41 s", task, Map.of("logger", "render", "frame", i));
        if (i % 1_000 == 0 && !agent.flush(Duration.ofSeconds(30))) {
          throw new IllegalStateException("the store did not take the records in time: " + agent.stats());
        }
      }
      if (!agent.flush(Duration.ofSeconds(30)) || agent.stats().totalDropped() > 0) {
        throw new IllegalStateException("not every record was stored: " + agent.stats());
      }
    }
    return task;
  }

  private static ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000");
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
  }

  /** From asking for the task's page (after another page) to the first rows of its timeline. */
  private static double timePage(ChromeDriver browser, String server, String task) throws InterruptedException {
    browser.get(server + "/#/fleet");
    Thread.sleep(1_000);
    long start = System.nanoTime();
    browser.get(server + "/#/task/" + task);
    while (((Number) browser.executeScript(
        "const t = document.querySelector('#task-records'); return t ? t.querySelectorAll('tbody tr').length : 0"))
        .longValue() == 0) {
      Thread.sleep(20);
    }
    return (System.nanoTime() - start) / 1e6;
  }
}
