package dev.heartlog.bench;

import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.jul.HeartlogHandler;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The caller's cost of one {@code java.util.logging} call with parameters ({@code {0}} style)
 * through heartlog's {@link HeartlogHandler}, shipping to a no-op sink, without and with its
 * caller data (JUL walks the stack to find the calling class and method), against two handlers in
 * the same run: one that does nothing (the floor: what JUL itself costs) and one that only formats
 * the message as JUL's formatters do ({@code Formatter.formatMessage}), which is what a handler
 * formatting on the caller's thread pays at least. Run with {@code -prof gc} for bytes per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JulCallerCostBenchmark {

  /** A JUL logger with one handler, not the global configuration's. */
  @State(Scope.Benchmark)
  public static class JulPipeline {
    @Param({"heartlog", "heartlog-caller-data", "format-only", "noop"})
    public String pipeline;

    Logger logger;
    HeartlogAgent agent;

    @Setup(Level.Trial)
    public void start() {
      logger = Logger.getLogger("bench.worker." + pipeline);
      logger.setUseParentHandlers(false);
      logger.setLevel(java.util.logging.Level.INFO);
      Handler handler = switch (pipeline) {
        case "heartlog", "heartlog-caller-data" -> {
          agent = CallerCostBenchmark.installNoopSinkAgent(true);
          HeartlogHandler heartlog = new HeartlogHandler();
          heartlog.setIncludeCallerData(pipeline.equals("heartlog-caller-data"));
          yield heartlog;
        }
        case "format-only" -> new FormatOnlyHandler();
        default -> new NoopHandler();
      };
      logger.addHandler(handler);
    }

    @TearDown(Level.Trial)
    public void stop() {
      for (Handler handler : logger.getHandlers()) {
        logger.removeHandler(handler);
      }
      if (agent != null) {
        // Proof the pipeline worked: records were accepted (and sent or dropped).
        System.out.println("\n[heartlog] " + agent.stats());
        agent.close();
      }
    }
  }

  /** Takes records and does nothing with them. */
  public static final class NoopHandler extends Handler {
    @Override
    public void publish(LogRecord record) {
      // A no-op sink.
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Formats each record's message as JUL's formatters do, then drops it. */
  public static final class FormatOnlyHandler extends Handler {
    private static final SimpleFormatter MESSAGES = new SimpleFormatter();
    public volatile int length;

    @Override
    public void publish(LogRecord record) {
      length = MESSAGES.formatMessage(record).length();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static final String MESSAGE = "Rendered frame {0} of task {1} in {2} ms";
  private static final String TASK = "0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90";

  @Benchmark
  public void jul(JulPipeline state) {
    state.logger.log(java.util.logging.Level.INFO, MESSAGE, new Object[] {42, TASK, 17});
  }
}
