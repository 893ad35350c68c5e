package dev.heartlog.cli;

import dev.heartlog.server.HeartlogServer;
import dev.heartlog.store.Store;
import java.nio.file.Path;

/** heartlog serve on a test's store, with a reader key, and a headless Chromium to open its pages. */
final class ViewerUnderTest implements AutoCloseable {

  private final HeartlogServer server;
  private final HeadlessChromium chromium;

  private ViewerUnderTest(HeartlogServer server, HeadlessChromium chromium) {
    this.server = server;
    this.chromium = chromium;
  }

  /** Serves the store at {@code url} on a free port; keys and the browser's profile go in {@code folder}. */
  static ViewerUnderTest start(Store store, String url, String readerKey, Path folder) throws Exception {
    HeartlogServer server = HeartlogServer.builder().store(store).listenTo(url, null, null)
        .keysFile(folder.resolve("keys")).readerKeys(readerKey).port(0).build().start();
    try {
      return new ViewerUnderTest(server, new HeadlessChromium(folder.resolve("chromium-profile")));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The server's address, {@code http://127.0.0.1:<port>}. */
  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  HeadlessChromium chromium() {
    return chromium;
  }

  @Override
  public void close() {
    try {
      chromium.close();
    } finally {
      server.close();
    }
  }
}
