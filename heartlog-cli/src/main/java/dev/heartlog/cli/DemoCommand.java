package dev.heartlog.cli;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.PostgresUrl;
import dev.heartlog.agent.jul.HeartlogHandler;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.server.HeartlogServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = "Runs simulated GPU workers that claim tasks and log through Logback, java.util.logging and the "
        + "WorkerLog facade into the store (one task fails), then prints what was stored and how to look at it.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "4", description = "Simulated workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "15s",
      description = "How long the workers run (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
      description = "Heartbeat interval; short, so the demo shows several (default ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--serve", description = "Also serve the web viewer while the workers run, and keep serving afterwards "
      + "(until Ctrl-C); prints the address to open.")
  boolean serve;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070", description = "Port for --serve (default ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    if (workers < 1 || workers > 64) {
      throw new ParameterException(spec.commandLine(), "--workers must be between 1 and 64");
    }
    Duration runFor = parse("--duration", duration);
    Duration beat = parse("--interval", interval);
    PrintWriter out = spec.commandLine().getOut();
    try (StoreOptions.Opened opened = storeOptions.open()) {
      out.printf(Locale.ROOT, "heartlog demo: %d workers for %s, heartbeat every %s, store %s%n",
          workers, duration, interval, opened.store().displayUrl());
      out.flush();
      java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("demo");
      HeartlogHandler handler = new HeartlogHandler();
      julRoot.addHandler(handler);
      julRoot.setUseParentHandlers(false);
      try {
        HeartlogServer server = serve ? startServer(opened, out) : null;
        int result = run(opened.jdbcUrl(), runFor, beat, out, opened);
        if (server != null) {
          out.println("Still serving the viewer; Ctrl-C stops it.");
          out.flush();
          CountDownLatch stopped = new CountDownLatch(1);
          opened.onShutdown(() -> {
            server.close();
            stopped.countDown();
          });
          stopped.await();
        }
        return result;
      } finally {
        julRoot.removeHandler(handler);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HeartlogServer startServer(StoreOptions.Opened opened, PrintWriter out) throws IOException {
    String readerKey = HeartlogServer.newReaderKey();
    HeartlogServer server = HeartlogServer.builder()
        .store(opened.store())
        .listenTo(opened.jdbcUrl(), opened.database().user(), opened.database().password())
        .keysFile(storeOptions.home.resolve("keys"))
        .readerKeys(readerKey)
        .port(port)
        .build();
    try {
      server.start();
    } catch (RuntimeException e) {
      throw ServeCommand.cannotListen(e, "--port");
    }
    out.println("Open http://127.0.0.1:" + server.port() + "/?key=" + readerKey + " to watch (this reader key lasts this run)");
    out.flush();
    return server;
  }

  private int run(String jdbcUrl, Duration runFor, Duration beat, PrintWriter out, StoreOptions.Opened opened)
      throws InterruptedException {
    Instant end = Instant.now().plus(runFor);
    List<HeartlogAgent> agents = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<DemoWorker> demoWorkers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    // Tasks last longer than a heartbeat interval, so each task's VRAM shows in the history.
    long stepMillis = Math.max(50, Math.min(beat.toMillis() / 4, runFor.toMillis() / 20));
    // SLF4J starts on its first use. Started by two worker threads at once, it holds the calls of
    // the second and replays them later on the first, before that thread is bound to its agent:
    // the failed task lost its "Loading model" record that way. Started here, before any worker.
    org.slf4j.LoggerFactory.getILoggerFactory();
    opened.onShutdown(() -> agents.forEach(a -> a.shutdown(dev.heartlog.agent.WorkerStatus.STOPPED, Duration.ofSeconds(10))));
    for (int i = 1; i <= workers; i++) {
      SimulatedGpu gpu = new SimulatedGpu();
      HeartlogAgent agent =
          HeartlogAgent.builder()
              .workerId("demo-gpu-" + i)
              .transport(JdbcTransport.builder().url(jdbcUrl).user(opened.database().user()).password(opened.database().password()).build())
              .heartbeatInterval(beat)
              .spoolDirectory(storeOptions.home.resolve("spool"))
              .gpuProbe(gpu)
              .debug(AgentEnvironment.current().debug())
              .build();
      DemoWorker worker = new DemoWorker(agent, gpu, end, i == workers, stepMillis, beat, i);
      agents.add(agent);
      demoWorkers.add(worker);
      Thread thread = new Thread(worker, "demo-gpu-" + i);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    // This run's records are compared with those stored from its sessions; those an earlier run
    // left in the spool (a demo stopped while the database was down, or before it was migrated)
    // were replayed first, and are said apart: counted as this run's, 221 records sent and 118
    // stored read as records lost.
    long sent = 0;
    long earlierRuns = 0;
    boolean allDelivered = true;
    for (HeartlogAgent agent : agents) {
      allDelivered &= agent.shutdown(dev.heartlog.agent.WorkerStatus.STOPPED, Duration.ofSeconds(10));
      sent += agent.stats().totalSent() - agent.stats().totalSentFromEarlierRuns();
      earlierRuns += agent.stats().totalSentFromEarlierRuns();
    }
    String[] sessions = agents.stream().map(HeartlogAgent::sessionId).toArray(String[]::new);
    long stored = opened.store().recordsOfSessions(sessions);
    int tasks = demoWorkers.stream().mapToInt(w -> w.tasks().size()).sum();
    String failed = demoWorkers.get(demoWorkers.size() - 1).failedTask();
    printSummary(out, tasks, sent, stored, failed);
    if (earlierRuns > 0) {
      out.printf(Locale.ROOT, "Also sent: %d records an earlier run left in the spool.%n", earlierRuns);
    }
    return allDelivered && stored == sent ? 0 : 1;
  }

  private void printSummary(PrintWriter out, int tasks, long sent, long stored, String failed) {
    out.printf(Locale.ROOT, "%nDemo finished: %d workers ran %d tasks; %d records sent, %d stored%s.%n",
        workers, tasks, sent, stored, failed == null ? "" : " (task " + failed + " failed)");
    String shownUrl = storeOptions.isEmbedded() ? null : StoreOptions.withoutPasswords(storeOptions.url);
    String where = storeOptions.isEmbedded()
        ? (storeOptions.home.toString().equals(StoreOptions.DEFAULT_HOME) ? "" : " --home " + RecordText.shellWord(storeOptions.home.toString()))
        : " --db-url " + RecordText.shellWord(shownUrl);
    boolean passwordLeftOut = shownUrl != null
        && (!shownUrl.equals(storeOptions.url) || spec.commandLine().getParseResult().hasMatchedOption("--db-password"));
    out.println(passwordLeftOut
        ? "Look at what they did (the password is not shown here: export HEARTLOG_DB_PASSWORD=... first):"
        : "Look at what they did:");
    String heartlog = Launcher.command();
    out.println("  " + heartlog + " workers" + where);
    out.println("  " + heartlog + " worker demo-gpu-1" + where);
    if (failed != null) {
      out.println("  " + heartlog + " tasks --failed" + where);
      out.println("  " + heartlog + " errors" + where);
      out.println("  " + heartlog + " task " + failed + where);
    }
    out.println("  " + heartlog + " logs --level WARNING" + where);
    out.println("  " + heartlog + " logs --meta model=hunyuan-video" + where);
    if (!serve) {
      out.println("Or in the browser: " + heartlog + " demo --serve, or " + heartlog + " serve" + where + ", then open http://127.0.0.1:7070");
    }
  }

  private Duration parse(String option, String value) {
    return DurationOption.positive(spec, option, value);
  }

}
