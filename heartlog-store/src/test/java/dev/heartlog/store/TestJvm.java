package dev.heartlog.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM of the tests' own {@code java}, for the tests that run heartlog or a
 * worker in a process of its own.
 *
 * <p>Those JVMs live for seconds, and on CI's two cores the tests around them pay for every one:
 * each compiles with C1 alone ({@code -XX:TieredStopAtLevel=1}). C2's compiles cost such a short
 * JVM more than they save: {@code heartlog workers} on an embedded store took 3.2 to 3.8 s of CPU
 * with them and 2.1 s without. What the JVM does is the same; no test asserts on its compiler.
 */
public final class TestJvm {

  private TestJvm() {}

  /** {@code java}, its compiler option, then {@code arguments} (options, a class and its arguments). */
  public static List<String> java(String... arguments) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of(arguments));
    return command;
  }

  /** {@code main} in a JVM on the tests' class path, with {@code arguments}. */
  public static List<String> main(Class<?> main, String... arguments) {
    List<String> command = java("-cp", System.getProperty("java.class.path"), main.getName());
    command.addAll(List.of(arguments));
    return command;
  }
}
