package dev.heartlog.store;

import java.nio.file.Path;
import java.util.List;

/**
 * A heartlog process's use of the embedded store, for {@link EmbeddedStoreTest}: starts (or joins)
 * the server of the folder given, prints its port, and closes it once its standard input ends.
 */
final class EmbeddedStoreProcess {

  private EmbeddedStoreProcess() {}

  /** This in a JVM of its own on {@code home}, with {@code jvmOptions} ({@code -Djava.io.tmpdir=...}). */
  static ProcessBuilder launcher(Path home, String... jvmOptions) {
    List<String> command = TestJvm.java(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmbeddedStoreProcess.class.getName(),
        home.toString()));
    return new ProcessBuilder(command);
  }

  public static void main(String[] args) throws Exception {
    try (EmbeddedStore store = EmbeddedStore.start(Path.of(args[0]))) {
      System.out.println("port " + store.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes the pipe
      }
    }
  }
}
