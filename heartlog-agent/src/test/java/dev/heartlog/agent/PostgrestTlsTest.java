package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP transport against a server whose certificate this JVM does not trust (a proxy that
 * inspects TLS, a private authority): a real TLS server with a certificate made for the test.
 */
@Timeout(60)
class PostgrestTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path folder;

  @Test
  void aCertificateTheJvmDoesNotTrustIsSaidWithWhatToDo() throws Exception {
    KeyStore keys = selfSignedKeyStore();
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keys)));
    server.createContext("/rest/v1/rpc/func_worker_heartbeat_with_logs", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] answer = "{\"success\": true, \"logs_inserted\": 1}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      String base = "https://127.0.0.1:" + server.getAddress().getPort();

      DeliveryResult untrusted = PostgrestTransport.builder().baseUrl(base).key("k").environment(Map.of()).build()
          .deliver(heartbeat());
      HttpClient trusting = HttpClient.newBuilder().sslContext(sslContext(keys)).build();
      DeliveryResult trusted = PostgrestTransport.builder().baseUrl(base).key("k").httpClient(trusting).build()
          .deliver(heartbeat());

      assertThat(untrusted.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
      assertThat(untrusted.detail()).contains("PKIX")
          .endsWith("(this JVM does not trust the server's certificate, as behind a proxy that inspects TLS or with a "
              + "private certificate authority: add that authority to the JVM's trust store, or name one with "
              + "-Djavax.net.ssl.trustStore=... in JAVA_TOOL_OPTIONS)");
      assertThat(trusted.outcome()).as("a client that trusts it, as the hint says to make").isEqualTo(DeliveryResult.Outcome.STORED);
    } finally {
      server.stop(0);
    }
  }

  /** A key pair and its self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
  private KeyStore selfSignedKeyStore() throws Exception {
    Path file = folder.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keys.load(in, PASSWORD);
    }
    return keys;
  }

  /** Serves with the key and trusts its certificate. */
  private static SSLContext sslContext(KeyStore keys) throws Exception {
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(keys);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  private static Heartbeat heartbeat() {
    LogRecord record = new LogRecord(Instant.parse("2026-12-01T10:00:00Z"), 1, Level.INFO, "over TLS", null, Map.of());
    return new Heartbeat("tls-worker", "session", 1L, WorkerStatus.ACTIVE, null, null, null, List.of(record), Map.of());
  }
}
