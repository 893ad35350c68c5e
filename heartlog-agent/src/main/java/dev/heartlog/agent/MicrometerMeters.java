package dev.heartlog.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * The agent's statistics as Micrometer meters, tagged with the worker id. This class names
 * Micrometer's types, so it is loaded only after {@link Metering#bindIfPresent} found Micrometer
 * on the classpath; the agent does not need it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code heartlog.records.buffered}</td><td>counter: records accepted</td></tr>
 *   <tr><td>{@code heartlog.records.sent}</td><td>counter: records the store acknowledged</td></tr>
 *   <tr><td>{@code heartlog.records.dropped}</td><td>counter per {@code reason}</td></tr>
 *   <tr><td>{@code heartlog.records.repeated}</td><td>counter: records counted as repeats of a flood, not kept</td></tr>
 *   <tr><td>{@code heartlog.heartbeat.retries}</td><td>counter: failed heartbeats retried</td></tr>
 *   <tr><td>{@code heartlog.buffer.records}</td><td>gauge: records in memory</td></tr>
 *   <tr><td>{@code heartlog.spool.batches}, {@code heartlog.spool.bytes}</td><td>gauges: spool backlog</td></tr>
 * </table>
 */
final class MicrometerMeters {

  private MicrometerMeters() {}

  /** Registers the agent's meters on Micrometer's global registry. */
  static void bindGlobally(HeartlogAgent agent) {
    bind(agent, Metrics.globalRegistry);
  }

  // Visible for testing
  static void bind(HeartlogAgent agent, MeterRegistry registry) {
    Tags worker = Tags.of("worker", agent.workerId());
    counter(registry, "heartlog.records.buffered", "records accepted", worker, agent, a -> a.stats().totalLogsBuffered());
    counter(registry, "heartlog.records.sent", "records the store acknowledged", worker, agent, a -> a.stats().totalSent());
    counter(registry, "heartlog.heartbeat.retries", "failed heartbeats retried", worker, agent, a -> a.stats().retries());
    for (Drops.Reason reason : Drops.Reason.values()) {
      counter(registry, "heartlog.records.dropped", "records dropped, reported to the store", worker.and("reason", reason.key),
          agent, a -> a.stats().droppedByReason().getOrDefault(reason.key, 0L));
    }
    counter(registry, "heartlog.records.repeated", "records counted as repeats of a flood, not kept", worker, agent,
        a -> a.stats().totalRepeatsCounted());
    gauge(registry, "heartlog.buffer.records", "records in memory", worker, agent, a -> a.stats().currentBufferSize());
    gauge(registry, "heartlog.spool.batches", "batches waiting in the spool", worker, agent, a -> a.stats().spooledBatches());
    gauge(registry, "heartlog.spool.bytes", "bytes waiting in the spool", worker, agent, a -> a.stats().spooledBytes());
  }

  private static void counter(MeterRegistry registry, String name, String description, Tags tags, HeartlogAgent agent,
      ToDoubleFunction<HeartlogAgent> value) {
    FunctionCounter.builder(name, agent, value).description(description).tags(tags).register(registry);
  }

  private static void gauge(MeterRegistry registry, String name, String description, Tags tags, HeartlogAgent agent,
      ToDoubleFunction<HeartlogAgent> value) {
    Gauge.builder(name, agent, value).description(description).tags(tags).register(registry);
  }
}
