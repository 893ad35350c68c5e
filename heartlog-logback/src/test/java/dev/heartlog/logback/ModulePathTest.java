package dev.heartlog.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.Appender;
import com.fasterxml.jackson.core.JsonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.jdbc.JdbcTransport;
import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import dev.heartlog.store.TestJvm;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A worker that is a module of its own ({@code src/test/modular-worker}) runs on the module path
 * with heartlog's modules and their dependencies as modules: its records from Logback, from
 * {@code java.util.logging} and from the facade reach the store, over JDBC (the transport found
 * by the agent's service lookup) and over HTTP. The worker names none of the JDK's modules, so
 * the ones the agent and the JDBC transport need must come from their module descriptors.
 */
class ModulePathTest {

  private static final Path WORKER_SOURCES = Path.of("src", "test", "modular-worker");
  private static final List<String> MESSAGES =
      List.of("through SLF4J and Logback", "through java.util.logging", "through the facade");

  @TempDir Path folder;

  @Test
  @Timeout(120)
  void aModularWorkerShipsItsRecordsOverJdbc() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    String output = runWorker(Map.of("HEARTLOG_WORKER_ID", "modular-jdbc", "HEARTLOG_DB_URL", url));

    List<String> stored = store.withConnection(c -> {
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery(
          "SELECT level || ' ' || message || ' ' || coalesce(task_id, '-') FROM system_logs "
              + "WHERE source_id = 'modular-jdbc' ORDER BY seq")) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    });
    assertThat(stored).as(output).containsExactly(
        "INFO through SLF4J and Logback module-task",
        "WARNING through java.util.logging module-task",
        "ERROR through the facade module-task");
  }

  @Test
  @Timeout(120)
  void aModularWorkerShipsItsRecordsOverHttp() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/rest/v1/rpc/func_worker_heartbeat_with_logs", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      int records = body.split("\"seq\"", -1).length - 1;
      answer(exchange, "{\"success\": true, \"logs_inserted\": " + records + "}");
    });
    server.start();
    try {
      String output = runWorker(Map.of(
          "HEARTLOG_WORKER_ID", "modular-http",
          "HEARTLOG_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
          "HEARTLOG_KEY", "test-key"));
      assertThat(String.join("\n", bodies)).as(output).contains(MESSAGES);
    } finally {
      server.stop(0);
    }
  }

  /** Compiles the worker module, runs it to its end and returns what it printed. */
  private String runWorker(Map<String, String> environment) throws Exception {
    String modulePath = modulePath();
    Path classes = folder.resolve("classes");
    List<String> javac = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", modulePath));
    try (Stream<Path> sources = Files.walk(WORKER_SOURCES)) {
      sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> javac.add(p.toString()));
    }
    assertThat(ToolProvider.findFirst("javac").orElseThrow().run(System.out, System.err, javac.toArray(String[]::new)))
        .as("javac of the modular worker").isZero();

    ProcessBuilder worker = new ProcessBuilder(TestJvm.java(
        "-Dlogback.configurationFile=" + WORKER_SOURCES.resolve("logback.xml").toAbsolutePath(),
        "-Djava.util.logging.config.file=" + WORKER_SOURCES.resolve("logging.properties").toAbsolutePath(),
        "--module-path", modulePath + File.pathSeparator + classes,
        // Logback makes the appender from its name in logback.xml, and the agent looks the JDBC
        // transport up: nothing in the worker names these two modules, so they are added.
        "--add-modules", "dev.heartlog.logback,dev.heartlog.jdbc",
        "--module", "worker/worker.Main"))
        .directory(folder.toFile())
        .redirectErrorStream(true);
    worker.environment().putAll(environment);
    worker.environment().put("HEARTLOG_SPOOL_DIR", folder.resolve("spool").toString());
    Process process = worker.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /**
   * heartlog's modules (their jars, or their classes folders in a build that has not packaged
   * them: a descriptor makes either one a module) and the libraries they need, from the class
   * path this test runs on.
   */
  private static String modulePath() throws URISyntaxException {
    List<String> entries = new ArrayList<>();
    for (Class<?> member : List.of(HeartlogAgent.class, JdbcTransport.class, HeartlogAppender.class,
        JsonFactory.class, org.postgresql.Driver.class, LoggerFactory.class, Logger.class, Appender.class)) {
      entries.add(Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
