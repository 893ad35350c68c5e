package dev.heartlog.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.heartlog.agent.DeliveryResult;
import dev.heartlog.agent.GpuProbe;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.logback.HeartlogAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The caller's cost of one log call through each pipeline, every one shipping to a no-op sink,
 * in the same run: heartlog's Logback appender, Logback's AsyncAppender ({@code neverBlock}),
 * Log4j2 with all loggers asynchronous (LMAX Disruptor, queue-full policy Discard so it never
 * blocks either), the OpenTelemetry SDK's BatchLogRecordProcessor through its Logback appender,
 * and a synchronous no-op Logback appender as the floor; and Log4j2's synchronous loggers into
 * heartlog's Log4j2 appender ({@code log4j2Heartlog}). Same message, same
 * parameters. Run with {@code -prof gc} for bytes per call and {@code -t 1} / {@code -t 2}.
 *
 * <p>JMH calls as fast as it can, far beyond any shipper, so every asynchronous pipeline runs
 * full: what is measured is the caller's cost in overload, each pipeline dropping by its own
 * policy. {@code -p pace=N} spaces the calls with {@code Blackhole.consumeCPU(N)} (no allocation)
 * so that the pipelines can keep up: the caller's cost at a rate they can ship. Then ns/op
 * includes the spacing, the floor's too, and B/op is each call's own; the teardown prints the
 * calls made and, for AsyncAppender, the events that reached its sink (what it did not discard).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallerCostBenchmark {

  /** A Logback pipeline built in code, outside SLF4J's global configuration. */
  @State(Scope.Benchmark)
  public static class LogbackPipeline {
    @Param({"heartlog", "logback-async", "otel-batch", "sync-noop"})
    public String pipeline;

    Logger logger;
    HeartlogAgent agent;
    LoggerContext context;
    io.opentelemetry.sdk.OpenTelemetrySdk openTelemetry;
    CountingNoopAppender sink;

    @Setup(Level.Trial)
    public void start() {
      context = new LoggerContext();
      // SLF4J's provider sets this in real use; a context made by hand has none, and then every
      // event that reads the MDC throws (an earlier run of this benchmark timed exceptions).
      context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
      context.start();
      logger = context.getLogger("bench.worker");
      logger.setAdditive(false);
      logger.setLevel(ch.qos.logback.classic.Level.INFO);
      switch (pipeline) {
        case "heartlog", "heartlog-levels", "heartlog-counted" -> {
          // The same call over and over is a flood of one record, which the agent counts by
          // default: kept, every call takes the buffer's path, as it does for records that differ.
          agent = installNoopSinkAgent(!pipeline.equals("heartlog-counted"));
          if (pipeline.equals("heartlog-levels")) {
            // Levels per component that keep this logger's INFO records: the same records, each
            // checked against the rules (longest name first) on the caller's thread.
            agent.setLevels(dev.heartlog.agent.ComponentLevels.parse(
                "WARNING,com.example.render.frames=DEBUG,com.example.queue=ERROR,io.netty=OFF,bench=INFO"));
          }
          HeartlogAppender appender = new HeartlogAppender();
          appender.setContext(context);
          appender.setStartAgent(false);
          appender.start();
          logger.addAppender(appender);
        }
        case "logback-async" -> {
          sink = new CountingNoopAppender();
          sink.setContext(context);
          sink.start();
          AsyncAppender async = new AsyncAppender();
          async.setContext(context);
          async.setNeverBlock(true);
          async.addAppender(sink);
          async.start();
          logger.addAppender(async);
        }
        case "otel-batch" -> {
          // The OpenTelemetry SDK's BatchLogRecordProcessor (defaults: queue 2,048, drops when
          // full) exporting to a no-op exporter, fed by its Logback appender.
          openTelemetry = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
              .setLoggerProvider(io.opentelemetry.sdk.logs.SdkLoggerProvider.builder()
                  .addLogRecordProcessor(
                      io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor.builder(new NoopExporter()).build())
                  .build())
              .build();
          var appender = new io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender();
          appender.setContext(context);
          appender.setOpenTelemetry(openTelemetry);
          appender.start();
          logger.addAppender(appender);
        }
        default -> {
          NoopAppender noop = new NoopAppender();
          noop.setContext(context);
          noop.start();
          logger.addAppender(noop);
        }
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      context.stop();
      if (agent != null) {
        // Proof the pipeline worked: records were accepted (and sent or dropped).
        System.out.println("\n[heartlog] " + agent.stats());
        agent.close();
      }
      if (openTelemetry != null) {
        openTelemetry.close();
      }
      if (sink != null) {
        // What AsyncAppender kept: every event that reached its sink; the rest it discarded.
        System.out.println("\n[logback-async] events that reached the sink: " + sink.events);
      }
    }
  }

  /** OpenTelemetry's exporter that does nothing: the no-op sink of the OpenTelemetry pipeline. */
  public static final class NoopExporter implements io.opentelemetry.sdk.logs.export.LogRecordExporter {
    @Override
    public io.opentelemetry.sdk.common.CompletableResultCode export(
        java.util.Collection<io.opentelemetry.sdk.logs.data.LogRecordData> logs) {
      return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
    }

    @Override
    public io.opentelemetry.sdk.common.CompletableResultCode flush() {
      return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
    }

    @Override
    public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
      return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
    }
  }

  /** The spacing between calls, in {@code Blackhole.consumeCPU} tokens; 0 (the default): none. */
  @State(Scope.Benchmark)
  public static class Pace {
    @Param({"0"})
    public int pace;

    /** Calls made, counted only when paced: what the sinks' counts are read against. */
    final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();

    void between() {
      if (pace > 0) {
        calls.increment();
        Blackhole.consumeCPU(pace);
      }
    }

    @TearDown(Level.Trial)
    public void report() {
      if (pace > 0) {
        System.out.println("\n[pace] calls made: " + calls.sum());
      }
    }
  }

  /** Log4j2 with every logger asynchronous; configured by the fork's system properties. */
  @State(Scope.Benchmark)
  public static class Log4jPipeline {
    org.apache.logging.log4j.Logger logger;

    @Setup(Level.Trial)
    public void start() {
      logger = org.apache.logging.log4j.LogManager.getLogger("bench.worker");
    }
  }

  /** Log4j2's synchronous loggers into heartlog's Log4j2 appender; configured by the fork's system properties. */
  @State(Scope.Benchmark)
  public static class Log4jHeartlogPipeline {
    org.apache.logging.log4j.Logger logger;
    HeartlogAgent agent;

    @Setup(Level.Trial)
    public void start() {
      agent = installNoopSinkAgent(true);
      logger = org.apache.logging.log4j.LogManager.getLogger("bench.worker");
    }

    @TearDown(Level.Trial)
    public void stop() {
      System.out.println("\n[heartlog-log4j2] " + agent.stats());
      agent.close();
    }
  }

  /** Takes events and does nothing with them: the sink every pipeline ships to. */
  public static final class NoopAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      // A no-op sink.
    }
  }

  /** The no-op sink behind AsyncAppender, counting the events its one worker thread hands it. */
  public static final class CountingNoopAppender extends AppenderBase<ILoggingEvent> {
    volatile long events;

    @Override
    @SuppressWarnings("NonAtomicOperationOnVolatileField")  // one writer: AsyncAppender's worker
    protected void append(ILoggingEvent event) {
      events++;
    }
  }

  /**
   * An agent whose transport stores nothing and says it stored everything, installed for the
   * logging frameworks' handlers: heartlog's pipeline shipping to a no-op sink.
   */
  static HeartlogAgent installNoopSinkAgent(boolean keepRepeats) {
    HeartlogAgent agent = HeartlogAgent.builder()
        .workerId("bench")
        .keepRepeats(keepRepeats)
        .transport(heartbeat -> DeliveryResult.stored(heartbeat.records().size()))
        .gpuProbe(GpuProbe.none())
        .noSpool()
        .heartbeatInterval(Duration.ofSeconds(1))
        .shutdownHook(false)
        .diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .build();
    Heartlog.install(agent);
    return agent;
  }

  private static final String MESSAGE = "Rendered frame {} of task {} in {} ms";
  private static final String TASK = "0f6c2a4e-7d1b-4a53-9a64-2f0c8d7e1b90";

  @Benchmark
  public void logback(LogbackPipeline state, Pace pace) {
    state.logger.info(MESSAGE, 42, TASK, 17);
    pace.between();
  }

  /** Frame numbers boxed in advance, so that a call that names the next frame allocates nothing more. */
  @State(Scope.Thread)
  public static class Frames {
    private final Integer[] frames = new Integer[4096];
    private int next;

    @Setup(Level.Trial)
    public void box() {
      for (int i = 0; i < frames.length; i++) {
        frames[i] = 1_000 + i;
      }
    }

    Integer next() {
      next = (next + 1) & (frames.length - 1);
      return frames[next];
    }
  }

  /**
   * Each call names another frame, so no call repeats the one before it: with {@code -p
   * pipeline=heartlog,heartlog-counted}, what checking each record for a repeat costs a worker
   * that does not flood.
   */
  @Benchmark
  public void logbackFrameByFrame(LogbackPipeline state, Frames frames, Pace pace) {
    state.logger.info(MESSAGE, frames.next(), TASK, 17);
    pace.between();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {
      "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
      "-Dlog4j2.asyncQueueFullPolicy=Discard",
      // The server's Jetty on this classpath would make Log4j2 think it runs in a web app and
      // turn its garbage-free thread locals off; it does not.
      "-Dlog4j2.isWebapp=false",
      "-Dlog4j2.discardThreshold=TRACE",
      "-Dlog4j2.configurationFile=bench/log4j2-noop.xml"})
  public void log4j2AllAsync(Log4jPipeline state, Pace pace) {
    state.logger.info(MESSAGE, 42, TASK, 17);
    pace.between();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Dlog4j2.isWebapp=false", "-Dlog4j2.configurationFile=bench/log4j2-heartlog.xml"})
  public void log4j2Heartlog(Log4jHeartlogPipeline state, Pace pace) {
    state.logger.info(MESSAGE, 42, TASK, 17);
    pace.between();
  }
}
