package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP transport behind the egress proxy the environment names ({@code http_proxy}), as a
 * worker in a cluster that allows no direct connection out: through a real forwarding proxy.
 */
@Timeout(30)
class PostgrestProxyTest {

  private HttpServer store;
  private ForwardingProxy proxy;
  private String base;
  private final List<String> stored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    store = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    store.createContext("/rest/v1/rpc/func_worker_heartbeat_with_logs", exchange -> {
      stored.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] answer = "{\"success\": true, \"logs_inserted\": 1}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    store.start();
    base = "http://127.0.0.1:" + store.getAddress().getPort();
    proxy = new ForwardingProxy();
  }

  @AfterEach
  void stop() throws IOException {
    store.stop(0);
    proxy.close();
  }

  @Test
  void heartbeatsGoThroughTheProxyTheEnvironmentNames() {
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k")
        .environment(Map.of("http_proxy", "http://localhost:" + proxy.port())).build();

    DeliveryResult result = transport.deliver(heartbeat());

    assertThat(result.outcome()).as(result.detail()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(proxy.requestLines).containsExactly("POST " + base + "/rest/v1/rpc/func_worker_heartbeat_with_logs HTTP/1.1");
    assertThat(stored).hasSize(1);
    assertThat(transport).hasToString("PostgrestTransport[" + base + "/rest/v1, proxy localhost:" + proxy.port() + ", key=***]");
  }

  @Test
  void aHostNoProxyListsIsReachedDirectly() {
    PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k")
        .environment(Map.of("HTTP_PROXY", "http://localhost:" + proxy.port(), "NO_PROXY", "localhost,127.0.0.0/8")).build();

    assertThat(transport.deliver(heartbeat()).outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(proxy.requestLines).isEmpty();
    assertThat(stored).hasSize(1);
  }

  @Test
  void aProxyThatIsDownIsNamedInTheFailure() throws IOException {
    // A port bound but not listening refuses connections, and stays this test's: a port closed
    // here could be taken meanwhile by a server of another test JVM (two run at once), once a
    // proxy of another test, which forwarded the heartbeat to this store.
    try (Socket reserved = new Socket()) {
      reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int closedPort = reserved.getLocalPort();
      PostgrestTransport transport = PostgrestTransport.builder().baseUrl(base).key("k")
          .environment(Map.of("http_proxy", "127.0.0.1:" + closedPort)).build();

      DeliveryResult result = transport.deliver(heartbeat());

      assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(result.detail()).startsWith("cannot reach " + base + "/rest/v1 through the proxy 127.0.0.1:" + closedPort + ": ");
      assertThat(stored).isEmpty();
    }
  }

  private static Heartbeat heartbeat() {
    LogRecord record = new LogRecord(Instant.parse("2026-12-01T10:00:00Z"), 1, Level.INFO, "through the proxy", null, Map.of());
    return new Heartbeat("proxied-worker", "session", 1L, WorkerStatus.ACTIVE, null, null, null, List.of(record), Map.of());
  }

  /**
   * An HTTP proxy as egress proxies forward plain HTTP: it reads the request line, which names the
   * whole URL, connects to that host and passes the bytes both ways.
   */
  private static final class ForwardingProxy implements AutoCloseable {
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    ForwardingProxy() throws IOException {
      Thread acceptor = new Thread(this::accept, "test-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Thread connection = new Thread(() -> forward(client), "test-proxy-connection");
          connection.setDaemon(true);
          connection.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void forward(Socket client) {
      try (client) {
        InputStream in = client.getInputStream();
        String requestLine = readLine(in);
        requestLines.add(requestLine);
        URI target = URI.create(requestLine.split(" ")[1]);
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
          upstream.getOutputStream().write((requestLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          Thread back = new Thread(() -> copy(upstreamIn(upstream), clientOut(client)), "test-proxy-back");
          back.setDaemon(true);
          back.start();
          copy(in, upstream.getOutputStream());
          back.join(5_000);
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        // The connection ends.
      }
    }

    private static InputStream upstreamIn(Socket upstream) {
      try {
        return upstream.getInputStream();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static OutputStream clientOut(Socket client) {
      try {
        return client.getOutputStream();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static void copy(InputStream from, OutputStream to) {
      try {
        from.transferTo(to);
      } catch (IOException ended) {
        // One side closed.
      }
    }

    private static String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.write(c);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
