package dev.heartlog.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx serving a server under a path, with the configuration the README gives:
 * {@code location /heartlog/ { proxy_pass http://127.0.0.1:7070/; }}. Its files and logs go in a
 * folder of the test's; it runs in the foreground, one process, until closed.
 */
final class TestNginx implements AutoCloseable {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");

  private final Process process;
  private final Path folder;
  private final int port;

  private TestNginx(Process process, Path folder, int port) {
    this.process = process;
    this.folder = folder;
    this.port = port;
  }

  static boolean installed() {
    return Files.isExecutable(NGINX);
  }

  /**
   * Serves {@code backend} (such as {@code http://127.0.0.1:7070/}) at {@code location} (such as
   * {@code /heartlog/}), with these further directives for the server, such as {@code
   * client_max_body_size 32k}.
   */
  static TestNginx start(Path folder, String location, String backend, String... serverDirectives)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.createDirectories(folder);
    Path config = Files.writeString(folder.resolve("nginx.conf"), String.join("\n",
        "daemon off;",
        "master_process off;",
        "pid " + folder.resolve("nginx.pid") + ";",
        "error_log " + folder.resolve("error.log") + ";",
        "events {}",
        "http {",
        "  access_log " + folder.resolve("access.log") + ";",
        "  client_body_temp_path " + folder.resolve("body") + ";",
        "  proxy_temp_path " + folder.resolve("proxy") + ";",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        String.join("\n", Arrays.stream(serverDirectives).map(d -> "    " + d + ";").toList()),
        "    location " + location + " { proxy_pass " + backend + "; }",
        "  }",
        "}", ""));
    Process process = new ProcessBuilder(NGINX.toString(), "-p", folder.toString(), "-c", config.toString())
        .redirectErrorStream(true).redirectOutput(folder.resolve("nginx.out").toFile()).start();
    TestNginx nginx = new TestNginx(process, folder, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!nginx.accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        nginx.close();
        throw new IllegalStateException("nginx did not start: " + Files.readString(folder.resolve("nginx.out"))
            + (Files.exists(folder.resolve("error.log")) ? Files.readString(folder.resolve("error.log")) : ""));
      }
      Thread.sleep(50);
    }
    return nginx;
  }

  /** Where nginx listens, {@code http://127.0.0.1:<port>}. */
  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** The requests nginx answered, as its access log has them. */
  String accessLog() throws IOException {
    Path log = folder.resolve("access.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
