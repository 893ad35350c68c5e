package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentEnvironmentTest {

  @Test
  void durationsAcceptSecondsAndUnits() {
    assertThat(AgentEnvironment.duration("X", "20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(AgentEnvironment.duration("X", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(AgentEnvironment.duration("X", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(AgentEnvironment.duration("X", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> AgentEnvironment.duration("HEARTBEAT_INTERVAL", "soon"))
        .hasMessage("HEARTBEAT_INTERVAL must be a duration such as 20, 20s, 500ms or 5m (got 'soon')");
  }

  @Test
  void aDurationLongerThanADayOrNotPositiveIsRefusedNamingTheVariable() {
    // Twenty digits overflowed the agent's counts of time: every heartbeat failed, or (the
    // shutdown timeout) its heartbeat thread died with an ArithmeticException.
    assertThat(AgentEnvironment.duration("X", "24h")).isEqualTo(Duration.ofHours(24));
    assertThatThrownBy(() -> AgentEnvironment.duration("HEARTBEAT_INTERVAL", "99999999999999999999"))
        .hasMessage("HEARTBEAT_INTERVAL must be at most 24h (got '99999999999999999999')");
    assertThatThrownBy(() -> AgentEnvironment.duration("X", "1e30")).hasMessage("X must be at most 24h (got '1e30')");
    for (String variable : new String[] {"HEARTLOG_HEARTBEAT_INTERVAL", "HEARTLOG_SHUTDOWN_TIMEOUT", "HEARTLOG_MAX_RETRY_DELAY",
        "HEARTLOG_SPOOL_SYNC"}) {
      assertThatThrownBy(() -> AgentEnvironment.of(Map.of(variable, "25h"), new Properties()).agentBuilder())
          .as(variable).hasMessage(variable + " must be at most 24h (got '25h')");
      assertThatThrownBy(() -> AgentEnvironment.of(Map.of(variable, "-1"), new Properties()).agentBuilder())
          .as(variable).hasMessage(variable + " must be positive (got '-1')");
    }
  }

  @Test
  void seedNamesWorkAndHeartlogNamesAndPropertiesWin() {
    Properties properties = new Properties();
    properties.setProperty("heartlog.worker.id", "from-property");
    AgentEnvironment environment =
        AgentEnvironment.of(
            Map.of("HEARTLOG_WORKER_ID", "from-env", "LOG_BUFFER_SIZE", "50", "WAN2GP_DEBUG", "1",
                "HEARTBEAT_INTERVAL", "20", "HEARTLOG_HEARTBEAT_INTERVAL", "5"),
            properties);

    assertThat(environment.get("HEARTLOG_WORKER_ID")).contains("from-property");
    assertThat(environment.get("HEARTLOG_BUFFER_SIZE", "LOG_BUFFER_SIZE")).contains("50");
    assertThat(environment.get("HEARTLOG_HEARTBEAT_INTERVAL", "HEARTBEAT_INTERVAL")).contains("5");
    assertThat(environment.debug()).isTrue();
  }

  @Test
  void aBadValueNamesTheVariableOrPropertyItWasSetUnder() {
    // Before, HEARTLOG_BUFFER_SIZE=lots was said as "LOG_BUFFER_SIZE must be ...", a variable
    // the worker never set, and HEARTLOG_HEARTBEAT_INTERVAL as HEARTBEAT_INTERVAL.
    assertThatThrownBy(AgentEnvironment.of(Map.of("LOG_BUFFER_SIZE", "lots"), new Properties())::agentBuilder)
        .hasMessage("LOG_BUFFER_SIZE must be a whole number (got 'lots')");
    assertThatThrownBy(AgentEnvironment.of(Map.of("HEARTLOG_BUFFER_SIZE", "lots"), new Properties())::agentBuilder)
        .hasMessage("HEARTLOG_BUFFER_SIZE must be a whole number (got 'lots')");
    assertThatThrownBy(AgentEnvironment.of(Map.of("HEARTBEAT_INTERVAL", "soon"), new Properties())::agentBuilder)
        .hasMessageStartingWith("HEARTBEAT_INTERVAL must be a duration");
    Properties properties = new Properties();
    properties.setProperty("heartlog.max.buffered.bytes", "lots");
    properties.setProperty("heartlog.levels", "INFO,a=DEBUG,a=INFO");
    assertThatThrownBy(AgentEnvironment.of(Map.of(), properties)::agentBuilder).hasMessageStartingWith("heartlog.max.buffered.bytes ");
    properties.remove("heartlog.max.buffered.bytes");
    assertThatThrownBy(AgentEnvironment.of(Map.of(), properties)::agentBuilder)
        .hasMessage("heartlog.levels: component 'a' is given twice");
  }

  @Test
  void repeatsAreCountedUnlessTheVariableKeepsThem() {
    assertThat(AgentEnvironment.of(Map.of("HEARTLOG_WORKER_ID", "w"), new Properties()).agentBuilder().config().keepRepeats())
        .isFalse();
    assertThat(AgentEnvironment.of(Map.of("HEARTLOG_WORKER_ID", "w", "HEARTLOG_KEEP_REPEATS", "1"), new Properties())
        .agentBuilder().config().keepRepeats()).isTrue();
  }

  @Test
  void memorysCapacityComesFromEitherVariableTheOtherKeepingItsDefault() {
    AgentConfig both = AgentEnvironment.of(Map.of("HEARTLOG_WORKER_ID", "w", "HEARTLOG_MAX_BUFFERED_RECORDS", "100000",
        "HEARTLOG_MAX_BUFFERED_BYTES", "128m"), new Properties()).agentBuilder().config();
    AgentConfig records = AgentEnvironment.of(Map.of("HEARTLOG_WORKER_ID", "w", "HEARTLOG_MAX_BUFFERED_RECORDS", "50000"),
        new Properties()).agentBuilder().config();

    assertThat(both.maxBufferedRecords()).isEqualTo(100_000);
    assertThat(both.maxBufferedBytes()).isEqualTo(128L << 20);
    assertThat(records.maxBufferedRecords()).isEqualTo(50_000);
    assertThat(records.maxBufferedBytes()).isEqualTo(HeartlogAgent.DEFAULT_MAX_BUFFERED_BYTES);
    assertThatThrownBy(AgentEnvironment.of(Map.of("HEARTLOG_MAX_BUFFERED_RECORDS", "0"), new Properties())::agentBuilder)
        .hasMessage("HEARTLOG_MAX_BUFFERED_RECORDS must be positive (got '0')");
    assertThatThrownBy(AgentEnvironment.of(Map.of("HEARTLOG_MAX_BUFFERED_BYTES", "lots"), new Properties())::agentBuilder)
        .hasMessage("HEARTLOG_MAX_BUFFERED_BYTES must be a size such as 256m or 1g (got 'lots')");
  }

  @Test
  void levelsPerComponentComeFromHeartlogLevelsAndAMistakeNamesTheVariable() {
    AgentEnvironment environment = AgentEnvironment.of(Map.of("HEARTLOG_LEVELS", "ERROR,GENERATOR=DEBUG"), new Properties());
    HeartlogAgentBuilder builder = environment.agentBuilder();
    try (HeartlogAgent agent = builder.workerId("env-levels").transport(new RecordingTransport()).noSpool()
        .gpuProbe(GpuProbe.none()).shutdownHook(false).build()) {
      assertThat(agent.levels()).hasToString("ERROR,GENERATOR=DEBUG");
      assertThat(agent.isEnabled(Level.DEBUG, "generator")).isTrue();
      assertThat(agent.isEnabled(Level.WARNING, "QUEUE")).isFalse();
    }

    AgentEnvironment wrong = AgentEnvironment.of(Map.of("HEARTLOG_LEVELS", "GENERATOR:DEBUG"), new Properties());
    assertThatThrownBy(wrong::agentBuilder).hasMessageStartingWith("HEARTLOG_LEVELS: 'GENERATOR:DEBUG'");
  }

  /** The first heartbeat of an agent built from these environment variables. */
  private static Heartbeat firstHeartbeat(Map<String, String> variables) {
    RecordingTransport store = new RecordingTransport();
    try (HeartlogAgent agent = AgentEnvironment.of(variables, new Properties()).agentBuilder().workerId("gpu-env")
        .transport(store).noSpool().shutdownHook(false).build()) {
      agent.log(Level.INFO, "a record, so that a heartbeat goes");
      agent.flush(Duration.ofSeconds(10));
    }
    return store.received.get(0);
  }

  @Test
  void theGpusReportedAreThoseOfCudaVisibleDevicesAnEmptyValueIncluded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
      throws java.io.IOException {
    // A tool that says which GPUs it was asked about: the query with indexes comes only with the variable.
    java.nio.file.Path tool = java.nio.file.Files.writeString(folder.resolve("nvidia-smi"),
        "#!/bin/sh\ncase \"$1\" in *index*) printf '0, GPU-a, 100, 10, NVIDIA H100\\n1, GPU-b, 100, 20, NVIDIA H100\\n';;"
            + " *) printf '100, 10\\n100, 20\\n';; esac\n");
    tool.toFile().setExecutable(true);
    java.util.List<String> used = new java.util.ArrayList<>();
    for (String value : new String[] {null, "1", ""}) {
      Map<String, String> variables = new java.util.HashMap<>(Map.of("HEARTLOG_NVIDIA_SMI", tool.toString()));
      if (value != null) {
        variables.put("CUDA_VISIBLE_DEVICES", value);
      }
      used.add(value + " -> " + firstHeartbeat(variables).vramUsedMb());
    }

    assertThat(used).containsExactly("null -> 30", "1 -> 20", " -> null");
  }

  @Test
  void cudaDeviceOrderDecidesWhetherIndexesOfMixedGpusAreInDoubt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
      throws java.io.IOException {
    java.nio.file.Path tool = java.nio.file.Files.writeString(folder.resolve("nvidia-smi"),
        "#!/bin/sh\nprintf '0, GPU-a, 15360, 10, Tesla T4\\n1, GPU-b, 81559, 20, NVIDIA A100-SXM4-80GB\\n'\n");
    tool.toFile().setExecutable(true);
    java.util.List<Object> problems = new java.util.ArrayList<>();
    for (String order : new String[] {null, "PCI_BUS_ID", "FASTEST_FIRST"}) {
      Map<String, String> variables = new java.util.HashMap<>(Map.of("HEARTLOG_NVIDIA_SMI", tool.toString(), "CUDA_VISIBLE_DEVICES", "1"));
      if (order != null) {
        variables.put("CUDA_DEVICE_ORDER", order);
      }
      Heartbeat beat = firstHeartbeat(variables);
      assertThat(beat.vramTotalMb()).as("GPU 1 as nvidia-smi numbers it, whatever the order").isEqualTo(81559);
      problems.add(beat.metadata().get("gpu_problem"));
    }

    assertThat(problems).containsExactly(
        "indexes read in nvidia-smi's order, which CUDA follows only with CUDA_DEVICE_ORDER=PCI_BUS_ID"
            + " on mixed GPUs (Tesla T4, NVIDIA A100-SXM4-80GB)",
        null,
        "indexes read in nvidia-smi's order, which CUDA follows only with CUDA_DEVICE_ORDER=PCI_BUS_ID"
            + " on mixed GPUs (Tesla T4, NVIDIA A100-SXM4-80GB)");
  }

  @Test
  void psqlsUserAndPasswordAreTakenWhenNeitherHeartlogsNorTheUrlNamesThem() {
    Map<String, String> psql = Map.of("HEARTLOG_DB_URL", "postgresql://db:5432/x", "PGUSER", "worker", "PGPASSWORD", "pg");

    assertThat(destination(psql)).isEqualTo(new Destination("jdbc:postgresql://db:5432/x", "worker", "pg"));
    assertThat(destination(with(psql, "HEARTLOG_DB_USER", "hl", "HEARTLOG_DB_PASSWORD", "hl-pw")))
        .isEqualTo(new Destination("jdbc:postgresql://db:5432/x", "hl", "hl-pw"));
    assertThat(destination(with(psql, "HEARTLOG_DB_URL", "postgresql://owner:secret@db:5432/x")))
        .isEqualTo(new Destination("jdbc:postgresql://db:5432/x", "owner", "secret"));
    assertThat(destination(Map.of("HEARTLOG_DB_URL", "postgresql://db:5432/x")))
        .as("neither: the driver reads ~/.pgpass")
        .isEqualTo(new Destination("jdbc:postgresql://db:5432/x", null, null));
  }

  private static Destination destination(Map<String, String> variables) {
    return AgentEnvironment.of(variables, new Properties()).destination().orElseThrow();
  }

  private static Map<String, String> with(Map<String, String> variables, String... more) {
    Map<String, String> all = new HashMap<>(variables);
    for (int i = 0; i < more.length; i += 2) {
      all.put(more[i], more[i + 1]);
    }
    return all;
  }

  @Test
  void destinationsNeverPrintTheirPassword() {
    Destination destination = new Destination("jdbc:postgresql://db/x?password=hunter2", "u", "hunter2");

    assertThat(destination.toString()).doesNotContain("hunter2").contains("password=***");
  }
}
