package dev.heartlog.server;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The probes of what runs {@code heartlog serve}: a container's health check, Kubernetes'
 * liveness and readiness, a load balancer's target check. They need no key (a probe sends none)
 * and say nothing a caller could use beyond up or down: why the database does not answer goes to
 * the server's own output, once each time it stops answering.
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the server answers HTTP at all.
 *   <li>{@code GET /readyz}: 200 when the database answers within {@link #TIMEOUT} and holds
 *       heartlog's schema, 503 otherwise: heartbeats sent here now would fail, send them to
 *       another server (a deployment whose migration job has not run yet).
 * </ul>
 */
final class HealthRoutes implements AutoCloseable {

  static final String LIVENESS_PATH = "/healthz";
  static final String READINESS_PATH = "/readyz";
  /**
   * How long readiness waits for the database, which answers a pooled connection's statement in
   * milliseconds when it is well. As long as Kubernetes gives a probe by default.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final Store store;
  private final PrintStream diagnostics;
  /**
   * One check at a time: a database that does not answer holds a check for as long as a pooled
   * connection is waited for (10 s in serve), and the probes that come meanwhile wait behind it, time out
   * and are dropped, rather than each holding a thread of its own.
   */
  private final ExecutorService checks = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "heartlog-readiness");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean lastReady = true;

  HealthRoutes(Store store, PrintStream diagnostics) {
    this.store = store;
    this.diagnostics = diagnostics;
  }

  void register(Javalin app) {
    app.get(LIVENESS_PATH, ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
    app.get(READINESS_PATH, this::readiness);
  }

  private void readiness(Context ctx) {
    Future<?> check = checks.submit(store::checkReady);
    String unavailable;
    try {
      check.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!lastReady) {
        lastReady = true;
        diagnostics.println("heartlog serve: ready again, the database answers");
      }
      ctx.contentType("application/json").result("{\"status\":\"ready\"}");
      return;
    } catch (TimeoutException e) {
      check.cancel(true);
      unavailable = "the database did not answer within " + TIMEOUT.toSeconds() + " s";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      unavailable = cause instanceof StoreException ? cause.getMessage() : "the check failed: " + cause;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailable = "the check was interrupted";
    }
    if (lastReady) {
      lastReady = false;
      diagnostics.println("heartlog serve: not ready (" + READINESS_PATH + " answers 503): " + unavailable);
    }
    ctx.status(503).contentType("application/json").result("{\"status\":\"unavailable\"}");
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
