package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker the kernel's out-of-memory killer ends (exit code 137, as for any SIGKILL) is said to
 * have run out of memory, and how much its cgroup allowed: in a container that is most often why
 * a worker dies without a word, a GPU worker loading a model into the host's memory.
 */
@Timeout(120)
class OutOfMemoryKillTest {

  /** A Python line that runs a process of the worker's (its data loader) that fills 1 GiB. */
  private static final String LOADER_SHORT_OF_MEMORY =
      "loader = subprocess.run([sys.executable, '-c', 'batch = b\"x\" * (1 << 30)'])";

  @TempDir Path folder;
  /** The counter file of {@link #cgroupTwo}. */
  private Path events;

  /** A real cgroup (v1, as this machine's) limited to 400 MiB, and a Python worker that fills 1 GiB. */
  @Test
  void aWorkerTheOutOfMemoryKillerEndedIsSaidToHaveRunOutOfMemory() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    int exitCode = runIn400MiB("short-of-memory", url, "/usr/bin/python3", "-c",
        "print(\"loading the model\", flush=True); model = b\"x\" * (1 << 30)");

    assertThat(exitCode).isEqualTo(137);
    List<StoredRecord> stored = records(store, "short-of-memory");
    assertThat(stored).extracting(StoredRecord::message).contains("loading the model");
    assertThat(stored).filteredOn(r -> r.level().equals("ERROR")).singleElement().satisfies(exit -> {
      assertThat(exit.message()).startsWith("the worker process was killed by signal 9 (SIGKILL) (exit code 137); "
          + "the kernel's out-of-memory killer ended it: its memory cgroup, limited to 400 MiB, counted 1 more OOM kill");
      assertThat(exit.metadataJson()).contains("\"oom_killed\": true");
    });
  }

  /**
   * A start script's command that the out-of-memory killer ends: bash reports it {@code Killed}
   * and goes on, and the report says why, as the record of a worker killed so does.
   */
  @Test
  void aCommandOfTheWorkersThatTheKillerEndedIsSaidToHaveRunOutOfMemory() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path script = Files.writeString(folder.resolve("start.sh"), "python3 -c 'model = b\"x\" * (1 << 30)'\n"
        + "echo 'cleaning up'\n");

    int exitCode = runIn400MiB("command-short-of-memory", url, "/bin/bash", script.toString());

    assertThat(exitCode).isZero();
    List<StoredRecord> stored = records(store, "command-short-of-memory");
    assertThat(stored).extracting(StoredRecord::message).contains("cleaning up");
    assertThat(stored).filteredOn(r -> r.level().equals("ERROR")).singleElement().satisfies(report -> {
      assertThat(report.message()).matches(script + ": line 1: +\\d+ Killed +python3 -c .*; the kernel's "
          + "out-of-memory killer ended it: its memory cgroup, limited to 400 MiB, counted 1 more OOM kill .*");
      assertThat(report.metadataJson()).contains("\"oom_killed\": true", "\"signal\": \"SIGKILL\"");
    });
  }

  /**
   * A process of the worker's that the out-of-memory killer ends while the worker goes on (a data
   * loader's): said in a record of heartlog run's, which nothing else said. Before, the worker's
   * own line ("exited with -9") was all.
   */
  @Test
  void aProcessOfTheWorkersTheKillerEndedIsSaidWhileTheWorkerGoesOn() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    int exitCode = runPythonIn400MiB("loader-short-of-memory", url,
        "import subprocess, sys, time",
        LOADER_SHORT_OF_MEMORY,
        "print('the data loader exited with', loader.returncode, flush=True)",
        "time.sleep(3)",
        "print('the worker goes on', flush=True)");

    assertThat(exitCode).isZero();
    List<StoredRecord> stored = records(store, "loader-short-of-memory");
    assertThat(stored).extracting(StoredRecord::message).contains("the data loader exited with -9", "the worker goes on");
    assertThat(stored).filteredOn(r -> r.level().equals("ERROR")).singleElement().satisfies(said -> {
      assertThat(said.message()).startsWith("the kernel's out-of-memory killer killed a process of the worker's: its "
          + "memory cgroup, limited to 400 MiB, counted 1 more OOM kill");
      assertThat(said.metadataJson()).contains("\"oom_killed\": true");
    });
  }

  /**
   * A process of the worker's that the out-of-memory killer ends just before the worker fails on
   * it (PyTorch's data loader, whose death the training loop raises at once): said in a record of
   * heartlog run's before the exit's. Before, the kill came too late for the check made every
   * second while the worker ran, and only the worker's own error said that its process had died.
   */
  @Test
  void aProcessOfTheWorkersKilledJustBeforeTheWorkerFailsIsSaid() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    int exitCode = runPythonIn400MiB("failing-on-its-loader", url,
        "import subprocess, sys",
        LOADER_SHORT_OF_MEMORY,
        "sys.exit(f'RuntimeError: DataLoader worker exited unexpectedly ({loader.returncode})')");

    assertThat(exitCode).isEqualTo(1);
    List<StoredRecord> errors = records(store, "failing-on-its-loader").stream()
        .filter(r -> r.level().equals("ERROR")).toList();
    assertThat(errors).extracting(StoredRecord::message).anySatisfy(said -> assertThat(said)
        .startsWith("the kernel's out-of-memory killer killed a process of the worker's: its memory cgroup, limited "
            + "to 400 MiB, counted 1 more OOM kill"));
    assertThat(errors.get(errors.size() - 1).message()).as("the exit's record, last")
        .isEqualTo("the worker process exited with code 1");
  }

  /**
   * A worker killed by a plain SIGKILL (a {@code docker kill}, a stop's grace run out) after the
   * out-of-memory killer ended a process of its, which was told as the worker went on: its exit
   * is not put down to the killer. Before, every kill since the start counted for it.
   */
  @Test
  void aWorkerKilledLaterThanAToldKillIsNotSaidToHaveRunOutOfMemory() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);

    int exitCode = runPythonIn400MiB("killed-after-its-loader", url,
        "import os, signal, subprocess, sys, time",
        LOADER_SHORT_OF_MEMORY,
        "print('the data loader exited with', loader.returncode, flush=True)",
        "time.sleep(5)",   // the watch tells the kill within two of its reads, a second apart
        "os.kill(os.getpid(), signal.SIGKILL)");

    assertThat(exitCode).isEqualTo(137);
    List<StoredRecord> errors = records(store, "killed-after-its-loader").stream()
        .filter(r -> r.level().equals("ERROR")).toList();
    assertThat(errors).extracting(StoredRecord::message).satisfiesExactly(
        loader -> assertThat(loader).startsWith("the kernel's out-of-memory killer killed a process of the worker's"),
        exit -> assertThat(exit).isEqualTo("the worker process was killed by signal 9 (SIGKILL) (exit code 137)"));
    assertThat(errors.get(1).metadataJson()).doesNotContain("oom_killed");
  }

  /** A kill no report tells is told at the next call but one, once; one a report told is not told again. */
  @Test
  void aKillNoReportToldIsToldOnceAfterWaitingOneCall() throws Exception {
    OutOfMemoryKills kills = cgroupTwo("max\n", "oom_kill 0\n");

    count("oom_kill 1\n");
    assertThat(kills.unclaimed()).as("waits for a shell's report of it").isEmpty();
    assertThat(kills.unclaimed()).hasValue("its memory cgroup counted 1 more OOM kill (" + events + ")");
    assertThat(kills.unclaimed()).isEmpty();

    count("oom_kill 2\n");
    assertThat(kills.unclaimed()).isEmpty();
    assertThat(kills.sinceLastAsked()).as("a shell's report tells it").isPresent();
    assertThat(kills.unclaimed()).as("told once").isEmpty();
  }

  /**
   * At the worker's exit, every kill not told yet is told at once, without the call's wait; those
   * told before, by a shell's report or by the watch, are not told again.
   */
  @Test
  void atTheExitTheKillsNotToldYetAreToldAtOnce() throws Exception {
    OutOfMemoryKills kills = cgroupTwo("max\n", "oom_kill 4\n");
    assertThat(kills.untold()).as("none since the start").isEmpty();

    count("oom_kill 5\n");
    assertThat(kills.sinceLastAsked()).as("a shell's report tells it").isPresent();
    count("oom_kill 6\n");
    assertThat(kills.unclaimed()).as("the watch waits a call").isEmpty();
    count("oom_kill 8\n");

    assertThat(kills.untold()).as("the one the watch saw, and two since")
        .hasValue("its memory cgroup counted 3 more OOM kills (" + events + ")");
    assertThat(kills.untold()).as("told once").isEmpty();
    assertThat(kills.unclaimed()).as("nor by the watch").isEmpty();
  }

  /**
   * The worker's own exit counts the kills since its start but those told while it went on: a
   * shell's report counts (a start script whose last command was killed exits 137 itself).
   */
  @Test
  void theWorkersExitLeavesOutTheKillsToldWhileItWentOn() throws Exception {
    OutOfMemoryKills kills = cgroupTwo("max\n", "oom_kill 0\n");

    count("oom_kill 1\n");
    kills.unclaimed();
    assertThat(kills.unclaimed()).as("told while the worker went on").isPresent();
    assertThat(kills.since()).as("not what ended the worker").isEmpty();

    count("oom_kill 2\n");
    assertThat(kills.sinceLastAsked()).as("a shell's report tells it").isPresent();
    assertThat(kills.since()).hasValueSatisfying(said -> assertThat(said).contains("counted 1 more OOM kill ("));
  }

  /** Asked after each report of a kill, each kill is told once. */
  @Test
  void eachKillIsToldOnce() throws Exception {
    OutOfMemoryKills kills = cgroupTwo("max\n", "oom 1\noom_kill 1\n");

    count("oom 2\noom_kill 2\n");
    assertThat(kills.sinceLastAsked()).hasValue("; the kernel's out-of-memory killer ended it: its memory cgroup "
        + "counted 1 more OOM kill (" + events + ")");
    assertThat(kills.sinceLastAsked()).as("the same kill, asked again").isEmpty();
    count("oom 3\noom_kill 3\n");
    assertThat(kills.sinceLastAsked()).hasValueSatisfying(said -> assertThat(said).contains("counted 1 more"));
    assertThat(kills.since()).as("the worker's own exit counts from its start").hasValueSatisfying(
        said -> assertThat(said).contains("counted 2 more OOM kills"));
  }

  /** Counted in a cgroup v2's memory.events, read from the files a container sees. */
  @Test
  void cgroupTwoCountsInMemoryEvents() throws Exception {
    OutOfMemoryKills kills = cgroupTwo(Long.toString(8L << 30) + "\n", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
    assertThat(kills.since()).as("no kill since").isEmpty();

    count("low 0\nhigh 0\nmax 40\noom 3\noom_kill 3\n");
    assertThat(kills.since()).hasValue("; the kernel's out-of-memory killer ended it: its memory cgroup, limited to "
        + "8192 MiB, counted 2 more OOM kills (" + events + ")");
  }

  /** Where there is no cgroup to read (not Linux, a sandbox), nothing is said. */
  @Test
  void withoutACgroupNothingIsSaid() {
    assertThat(OutOfMemoryKills.now(folder.resolve("no-such-file"), folder)).isEmpty();
  }

  /**
   * Runs {@code heartlog run} for {@code worker} with {@code command} in a new memory cgroup (v1,
   * as this machine's) limited to 400 MiB, as a container limited so; its exit code. Skipped where
   * python3 is missing or no such cgroup may be made (not root).
   */
  private static int runIn400MiB(String worker, String url, String... command) throws Exception {
    Path cgroup = ownMemoryCgroup().resolve("heartlog-oom-test-" + System.nanoTime());
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
    try {
      Files.createDirectory(cgroup);
    } catch (Exception e) {
      assumeTrue(false, "needs a memory cgroup (v1) it may create: root, as CI runs (" + e + ")");
    }
    try {
      Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(400L * 1024 * 1024));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0\"/cgroup.procs && java=\"$1\" "
          + "classes=\"$2\" worker=\"$3\" url=\"$4\" && shift 4 && exec \"$java\" -Xmx64m -cp \"$classes\" "
          + Main.class.getName() + " run --worker \"$worker\" --db-url \"$url\" -- \"$@\"",
          cgroup.toString(), java, System.getProperty("java.class.path"), worker, url));
      shell.addAll(List.of(command));
      Process run = new ProcessBuilder(shell).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(run.waitFor(90, TimeUnit.SECONDS)).isTrue();
      return run.exitValue();
    } finally {
      Files.deleteIfExists(cgroup);   // empty once its processes have exited
    }
  }

  /**
   * The counter of a cgroup v2 as a container sees it, in {@link #folder}: its {@code memory.max}
   * and {@code memory.events} written as given, then read.
   */
  private OutOfMemoryKills cgroupTwo(String limit, String counts) throws Exception {
    Path mount = Files.createDirectories(folder.resolve("sys/fs/cgroup"));
    Path proc = Files.writeString(folder.resolve("cgroup"), "0::/\n");
    Files.writeString(mount.resolve("memory.max"), limit);
    events = mount.resolve("memory.events");
    count(counts);
    return OutOfMemoryKills.now(proc, mount).orElseThrow();
  }

  /** Writes the counts of {@link #cgroupTwo}'s {@code memory.events}. */
  private void count(String counts) throws Exception {
    Files.writeString(events, counts);
  }

  /** {@link #runIn400MiB} for a Python worker of these lines. */
  private int runPythonIn400MiB(String worker, String url, String... lines) throws Exception {
    Path script = Files.writeString(folder.resolve(worker + ".py"), String.join("\n", lines) + "\n");
    return runIn400MiB(worker, url, "/usr/bin/python3", script.toString());
  }

  private static Path ownMemoryCgroup() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] fields = line.split(":", 3);
      if (fields.length == 3 && List.of(fields[1].split(",")).contains("memory")) {
        return Path.of("/sys/fs/cgroup/memory", fields[2]);
      }
    }
    assumeTrue(false, "no cgroup v1 memory controller here");
    return null;
  }
}
