package dev.heartlog.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.heartlog.store.Store;
import io.javalin.Javalin;
import jakarta.servlet.DispatcherType;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * {@code GET /metrics}: what heartlog serve has done and how its fleet stands, in Prometheus's
 * text format, for a scraper that sends a reader key ({@code authorization: {credentials:
 * hlr_...}} in Prometheus's {@code scrape_config}):
 *
 * <ul>
 *   <li>{@code heartlog_heartbeats_total{outcome}}: heartbeat calls by how they were answered:
 *       {@code stored}, {@code duplicate} (a batch stored before, answered as such), {@code
 *       refused} (by the ingest function: an empty or too long worker id), {@code client_error}
 *       (a key that may not write, a body that cannot be read) or {@code store_unavailable} (the
 *       database down or busy: the agents keep their batches and send them again).
 *   <li>{@code heartlog_worker_updates_total{outcome}}: {@code PATCH}es of a worker's row (the
 *       Python sidecar's status): {@code updated}, {@code unknown_worker} (no row of that id),
 *       {@code client_error} or {@code store_unavailable}.
 *   <li>{@code heartlog_records_stored_total}, {@code heartlog_records_rejected_total}: the
 *       records of those calls, as the ingest function counted them.
 *   <li>{@code heartlog_heartbeat_duration_seconds}: how long the calls took to answer.
 *   <li>the fleet by health, its records of the last hour, its GPU memory, and the workers
 *       flagged below {@code heartlog workers}' list, read at each scrape ({@link FleetMetrics}).
 *   <li>{@code heartlog_database_reachable}: 0 while heartlog serve finds its database
 *       unreachable ({@link StoreGuard}), else 1.
 *   <li>{@code heartlog_database_connections{state}}, {@code ..._max}, {@code ..._waiting}: the
 *       connection pool's connections in use and idle, its most, and the requests waiting for one
 *       (where the server was given its pool).
 *   <li>{@code heartlog_http_requests_seconds{method, route, status}}: every request, by its
 *       method, the route that answered it as the server declares it ({@code
 *       /api/tasks/<id>}, never the id itself; {@code static} for the viewer's files, {@code
 *       unmatched} for a path nothing serves) and its status: how many, their time added up, and
 *       the longest lately. A follower of the live tail is one request as long as it follows.
 *   <li>{@code heartlog_tail_followers}: the live tail's followers; and the JVM's memory,
 *       collections, threads, CPU and uptime.
 * </ul>
 */
final class ServerMetrics implements AutoCloseable {

  static final String PATH = "/metrics";

  private static final JsonFactory JSON = new JsonFactory();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final KeyCheck keys;
  private final Counter stored;
  private final Counter duplicate;
  private final Counter refused;
  private final Counter clientError;
  private final Counter storeUnavailable;
  private final Counter updated;
  private final Counter unknownWorker;
  private final Counter updateClientError;
  private final Counter updateStoreUnavailable;
  private final Counter recordsStored;
  private final Counter recordsRejected;
  private final Timer duration;
  private final FleetMetrics fleet;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  ServerMetrics(Store store, StoreGuard guard, KeyCheck keys, IntSupplier tailFollowers, HikariDataSource pool) {
    this.keys = keys;
    stored = heartbeats("stored");
    duplicate = heartbeats("duplicate");
    refused = heartbeats("refused");
    clientError = heartbeats("client_error");
    storeUnavailable = heartbeats("store_unavailable");
    updated = workerUpdates("updated");
    unknownWorker = workerUpdates("unknown_worker");
    updateClientError = workerUpdates("client_error");
    updateStoreUnavailable = workerUpdates("store_unavailable");
    recordsStored = Counter.builder("heartlog.records.stored").description("Records the ingest function stored")
        .register(registry);
    recordsRejected = Counter.builder("heartlog.records.rejected")
        .description("Records the ingest function rejected (each replaced by an ERROR row saying why)").register(registry);
    duration = Timer.builder("heartlog.heartbeat.duration").description("How long heartbeat calls took to answer")
        .register(registry);
    fleet = new FleetMetrics(registry, store, guard);
    Gauge.builder("heartlog.database.reachable", () -> guard.reachable() ? 1 : 0)
        .description("0 while heartlog serve finds its database unreachable").register(registry);
    Gauge.builder("heartlog.tail.followers", tailFollowers::getAsInt).description("Followers of the live tail")
        .register(registry);
    if (pool != null) {
      connections(pool);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The pool's connections: in use, idle, its most, and the requests waiting for one. */
  private void connections(HikariDataSource pool) {
    String name = "heartlog.database.connections";
    Gauge.builder(name, pool, p -> poolFigure(p, HikariPoolMXBean::getActiveConnections)).tag("state", "active")
        .description("The connection pool's connections, in use (active) or idle").register(registry);
    Gauge.builder(name, pool, p -> poolFigure(p, HikariPoolMXBean::getIdleConnections)).tag("state", "idle")
        .description("The connection pool's connections, in use (active) or idle").register(registry);
    Gauge.builder(name + ".max", pool, HikariDataSource::getMaximumPoolSize)
        .description("The most connections the pool opens (heartlog serve's --db-pool)").register(registry);
    Gauge.builder(name + ".waiting", pool, p -> poolFigure(p, HikariPoolMXBean::getThreadsAwaitingConnection))
        .description("Requests waiting for a connection of the pool").register(registry);
  }

  private static double poolFigure(HikariDataSource pool, ToIntFunction<HikariPoolMXBean> figure) {
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    return bean == null ? Double.NaN : figure.applyAsInt(bean);
  }

  private Counter heartbeats(String outcome) {
    return Counter.builder("heartlog.heartbeats").tag("outcome", outcome).description("Heartbeat calls, by how they were answered")
        .register(registry);
  }

  private Counter workerUpdates(String outcome) {
    return Counter.builder("heartlog.worker.updates").tag("outcome", outcome)
        .description("PATCHes of a worker's row, by how they were answered").register(registry);
  }

  void register(Javalin app) {
    app.get(PATH, this::scrape);
  }

  /**
   * A request answered after {@code millis} (Javalin's request logger, which sees every request,
   * those that failed too). The route is the path as declared, so that ids make no series of their
   * own; the method one of HTTP's, so that a made-up one makes none either.
   */
  void requestAnswered(Context ctx, float millis) {
    if (ctx.req().getDispatcherType() != DispatcherType.REQUEST) {
      return;   // "/" forwarded to the viewer's index.html: the request is counted once, as it ends
    }
    String method = KNOWN_METHODS.contains(ctx.method().name()) ? ctx.method().name() : "OTHER";
    Timer.builder("heartlog.http.requests").description("HTTP requests, by method, route and status")
        .tag("method", method).tag("route", route(ctx, method)).tag("status", Integer.toString(ctx.statusCode()))
        .register(registry).record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private static String route(Context ctx, String method) {
    try {
      return ctx.endpointHandlerPath();
    } catch (IllegalStateException noEndpoint) {
      // No endpoint answered: a file of the viewer's, served before any would, or nothing at all.
      // Javalin's request logger then fails the request (500) for an exception of its own.
      return (method.equals("GET") || method.equals("HEAD")) && ctx.statusCode() < 400 ? "static" : "unmatched";
    }
  }

  /** A heartbeat call the ingest function answered with {@code answer}, {@code nanos} after it came. */
  void answered(String answer, long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
    Map<String, Object> fields = topLevelFields(answer);
    if (Boolean.TRUE.equals(fields.get("duplicate"))) {
      duplicate.increment();
    } else if (Boolean.TRUE.equals(fields.get("success"))) {
      stored.increment();
    } else {
      refused.increment();
    }
    if (fields.get("logs_inserted") instanceof Number inserted) {
      recordsStored.increment(inserted.doubleValue());
    }
    if (fields.get("logs_rejected") instanceof Number rejected) {
      recordsRejected.increment(rejected.doubleValue());
    }
  }

  /** A heartbeat call answered with an error of HTTP status {@code status} before or instead of the ingest function's answer. */
  void failed(int status, long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
    (status >= 500 ? storeUnavailable : clientError).increment();
  }

  /** A {@code PATCH} of a worker's row, answered: {@code found} whether the worker had one. */
  void workerUpdated(boolean found) {
    (found ? updated : unknownWorker).increment();
  }

  /** A {@code PATCH} of a worker's row answered with an error of HTTP status {@code status}. */
  void workerUpdateFailed(int status) {
    (status >= 500 ? updateStoreUnavailable : updateClientError).increment();
  }

  private void scrape(Context ctx) {
    keys.require(ctx, ApiKeys.Role.READER);
    fleet.refresh();
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
  }

  /** The ingest function's answer's top-level numbers and booleans ({@code {"success": true, "logs_inserted": 3, ...}}). */
  private static Map<String, Object> topLevelFields(String answer) {
    Map<String, Object> fields = new TreeMap<>();
    try (JsonParser parser = JSON.createParser(answer)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return fields;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (value) {
          case VALUE_TRUE, VALUE_FALSE -> fields.put(name, value == JsonToken.VALUE_TRUE);
          case VALUE_NUMBER_INT -> fields.put(name, parser.getLongValue());
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return fields;   // the answer is passed on as it came; it is only not counted
    }
    return fields;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
