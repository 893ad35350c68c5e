package dev.heartlog.jdbc.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL that injects network faults: it can refuse
 * every connection (the store is unreachable), and it can cut the connection after the server
 * committed a heartbeat but before its answer reaches the client.
 *
 * <p>The second fault is precise: once the server's answer to the ingest function (a row holding
 * {@code logs_inserted}) has passed, the proxy holds back the bytes until the server's
 * ReadyForQuery, which PostgreSQL sends only after the transaction committed, then closes both
 * sides without forwarding them. The client sees a broken connection for a call that succeeded.
 */
final class FaultProxy implements AutoCloseable {

  private static final byte[] RESULT_MARKER = "logs_inserted".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] READY_FOR_QUERY = {'Z', 0, 0, 0, 5};

  private final ServerSocket server;
  private final String direct;
  private final int targetPort;
  private final AtomicBoolean refusing = new AtomicBoolean();
  private final AtomicInteger cutEvery = new AtomicInteger();
  private final AtomicInteger answers = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** A proxy in front of the server of {@code direct}, a JDBC URL of a server on this machine. */
  FaultProxy(String direct) throws IOException {
    this.direct = direct;
    this.targetPort = DatabaseAddress.of(direct).port();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "fault-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * The URL the proxy was made for, pointed at the proxy instead: its database, user and password
   * kept (a test server's password too, HEARTLOG_TEST_JDBC_URL).
   */
  String jdbcUrl() {
    return direct.replaceFirst("^jdbc:postgresql://[^/]+/", "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/");
  }

  /** While set, every connection is closed at once and open ones are cut: the store is down. */
  void refuse(boolean refuse) {
    refusing.set(refuse);
    if (refuse) {
      open.forEach(FaultProxy::closeQuietly);
      open.clear();
    }
  }

  /** Cuts every n-th heartbeat answer after the server committed it; 0 cuts none. */
  void cutEveryNthAnswer(int n) {
    cutEvery.set(n);
  }

  int cuts() {
    return cuts.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (refusing.get()) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(upstream);
        pump(client.getInputStream(), upstream.getOutputStream(), client, upstream, false);
        pump(upstream.getInputStream(), client.getOutputStream(), client, upstream, true);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(InputStream in, OutputStream out, Socket client, Socket upstream, boolean fromServer) {
    Thread thread = new Thread(() -> {
      byte[] chunk = new byte[64 * 1024];
      java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
      boolean holding = false;
      try {
        int read;
        while ((read = in.read(chunk)) > 0) {
          if (!fromServer) {
            out.write(chunk, 0, read);
            out.flush();
            continue;
          }
          if (!holding && indexOf(chunk, read, RESULT_MARKER, 0) >= 0) {
            int n = cutEvery.get();
            holding = n > 0 && answers.incrementAndGet() % n == 0;
          }
          if (!holding) {
            out.write(chunk, 0, read);
            out.flush();
            continue;
          }
          held.write(chunk, 0, read);
          byte[] bytes = held.toByteArray();
          if (indexOf(bytes, bytes.length, READY_FOR_QUERY, 0) >= 0) {
            // Committed: the server said it is ready for the next query. Lose the answer.
            cuts.incrementAndGet();
            closeQuietly(client);
            closeQuietly(upstream);
            return;
          }
        }
      } catch (IOException e) {
        // One side closed; close the other.
      }
      closeQuietly(client);
      closeQuietly(upstream);
    }, "fault-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
    outer:
    for (int i = from; i <= length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(FaultProxy::closeQuietly);
  }
}
