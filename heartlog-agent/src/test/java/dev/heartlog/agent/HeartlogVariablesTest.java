package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A {@code HEARTLOG_*} variable heartlog does not read is said at start, with the one it likely meant. */
class HeartlogVariablesTest {

  @Test
  void aMisspeltSettingIsNamedWithTheOneItLikelyMeant() {
    Map<String, String> environment = Map.of(
        "HEARTLOG_SPOOL_DIRECTORY", "/data/spool",
        "HEARTLOG_WORKER", "gpu-7",
        "HEARTLOG_WORKERID", "gpu-7",
        "HEARTLOG_INTERVAL", "10s",
        "HEARTLOG_DB_PASS", "secret",
        "HEARTLOG_GPU_VENDOR", "amd",
        "HEARTLOG_DB_URL", "jdbc:postgresql://db/fleet",
        "PATH", "/usr/bin");

    assertThat(HeartlogVariables.unknown(environment)).containsExactly(
        "HEARTLOG_DB_PASS is set, but heartlog reads no such variable: did you mean HEARTLOG_DB_PASSWORD?",
        "HEARTLOG_GPU_VENDOR is set, but heartlog reads no such variable (README, Configuration, lists them)",
        "HEARTLOG_INTERVAL is set, but heartlog reads no such variable: did you mean HEARTLOG_HEARTBEAT_INTERVAL?",
        "HEARTLOG_SPOOL_DIRECTORY is set, but heartlog reads no such variable: did you mean HEARTLOG_SPOOL_DIR?",
        "HEARTLOG_WORKER is set, but heartlog reads no such variable: did you mean HEARTLOG_WORKER_ID?",
        "HEARTLOG_WORKERID is set, but heartlog reads no such variable: did you mean HEARTLOG_WORKER_ID?");
  }

  @Test
  void anAgentBuiltFromTheEnvironmentSaysSoAsItStarts() {
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    AgentEnvironment environment = AgentEnvironment.of(
        Map.of("HEARTLOG_WORKER_ID", "gpu-7", "HEARTLOG_SPOOL_DIRECTORY", "/data/spool"), new Properties());

    try (HeartlogAgent agent = environment.agentBuilder().noSpool().shutdownHook(false).gpuProbe(GpuProbe.none())
        .diagnostics(new PrintStream(said, true, StandardCharsets.UTF_8)).build()) {
      assertThat(agent.sessionId()).isNotBlank();
    }

    assertThat(said.toString(StandardCharsets.UTF_8)).contains("heartlog: warning: HEARTLOG_SPOOL_DIRECTORY is set, "
        + "but heartlog reads no such variable: did you mean HEARTLOG_SPOOL_DIR?");
  }

  /**
   * Every variable the sources read is one the check knows, or a worker given it would be told
   * it is read by none: the agent, the command line and server, bin/heartlog, CI and the tests.
   */
  @Test
  void everyVariableTheSourcesReadIsKnown() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Pattern read = Pattern.compile("\"(HEARTLOG_[A-Z0-9_]*[A-Z0-9])\"|env:(HEARTLOG_[A-Z0-9_]*[A-Z0-9])"
        + "|\\$\\{?(HEARTLOG_[A-Z0-9_]*[A-Z0-9])");
    Set<String> named = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> isSource(root, f)).toList()) {
        Matcher matcher = read.matcher(Files.readString(file));
        while (matcher.find()) {
          named.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
        }
      }
    }

    assertThat(named).as("found in the sources").contains("HEARTLOG_WORKER_ID", "HEARTLOG_STOP_GRACE", "HEARTLOG_JAVA_OPTS");
    assertThat(HeartlogVariables.KNOWN).containsAll(named);
  }

  private static boolean isSource(Path root, Path file) {
    String path = root.relativize(file).toString();
    boolean thisTest = file.getFileName().toString().equals("HeartlogVariablesTest.java");   // its misspelt examples
    return path.equals("bin/heartlog") || path.equals(".ci/run")
        || (path.endsWith(".java") && path.contains("/src/") && !path.contains("/target/") && !thisTest);
  }
}
