package dev.heartlog.cli;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.MaskedVariables;
import dev.heartlog.agent.WorkerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = "Runs a worker process (any language) and is its heartbeat sidecar: every stdout/stderr line becomes "
        + "a record, heartbeats carry them with VRAM, and the last one says stopped or crashed. Exits with the "
        + "process's exit code.",
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

  /**
   * The logger of the records heartlog run makes itself (the child's exit, a command that cannot
   * start), so that levels per component can keep or drop them: {@code --levels OFF,heartlog=ERROR}.
   */
  static final String OWN_LOGGER = "heartlog.run";
  private static final Map<String, Object> OWN_RECORD = Map.of("logger", OWN_LOGGER);

  /**
   * How long the worker has to exit after heartlog run passed SIGTERM (or SIGINT) on, before it is
   * killed, by default: 2 s less than the 10 s {@code docker stop} and Compose give a container
   * before they kill it, so that heartlog run has the time to record the exit and send the last
   * heartbeat.
   */
  static final Duration STOP_GRACE = Duration.ofSeconds(8);
  /**
   * How long after the worker exits its output is still read while processes it started hold it
   * open (ChildOutput); after a stop, that long after their grace ({@code --stop-grace}).
   */
  static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
  /**
   * How often the count of the kernel's out-of-memory kills in heartlog run's memory cgroup is
   * read while the worker runs (OutOfMemoryKills#watch): a kill is said within two of these.
   */
  static final Duration OUT_OF_MEMORY_CHECK = Duration.ofSeconds(1);

  @Spec CommandSpec spec;
  @Mixin StoreOptions storeOptions;
  @Mixin RunDestination destination;

  @Option(names = "--worker", paramLabel = "ID", defaultValue = "${env:HEARTLOG_WORKER_ID}",
      description = "The worker's id (default $HEARTLOG_WORKER_ID).")
  String workerId;

  @Option(names = "--interval", paramLabel = "DURATION", description = "Heartbeat interval (default $HEARTBEAT_INTERVAL, else 20s).")
  String interval;

  @Option(names = "--stderr-level", paramLabel = "LEVEL", defaultValue = "WARNING",
      description = "Level of stderr lines that name none (default ${DEFAULT-VALUE}).")
  String stderrLevel;

  @Option(names = "--line-format", paramLabel = "REGEX", defaultValue = ChildLineParser.SEED_FORMAT,
      description = "Regular expression with named groups level, component, task, message, any other group kept in "
          + "the record's metadata (default: the seed worker's '[HH:MM:SS] LEVEL COMPONENT [Task id] message').")
  String lineFormat;

  @Option(names = "--python-format", paramLabel = "FORMAT", defaultValue = "${env:HEARTLOG_PYTHON_FORMAT}",
      description = "The format the worker gives Python's logging ('%%(asctime)s %%(levelname)s %%(name)s %%(message)s'): "
          + "its lines are read by it, the logger's name as the component; instead of --line-format "
          + "(default $HEARTLOG_PYTHON_FORMAT).")
  String pythonFormat;

  @Option(names = "--task-end", paramLabel = "REGEX", defaultValue = ChildLineParser.DEFAULT_TASK_END,
      description = "A line matching this ends the current task (default: the seed worker's 'Task completed', 'Task failed', 'Worker idle').")
  String taskEnd;

  @Option(names = "--debug", description = "Keep DEBUG lines (default $HEARTLOG_DEBUG or $WAN2GP_DEBUG).")
  boolean debug;

  @Option(names = "--levels", paramLabel = "LIST",
      description = "The least severe level kept per component, the component a line names: WARNING,GENERATOR=DEBUG "
          + "keeps GENERATOR's DEBUG lines and only the warnings and errors of the rest; OFF keeps none "
          + "(default $HEARTLOG_LEVELS).")
  String levels;

  @Option(names = "--columns", paramLabel = "N",
      description = "Tell the command its output is N columns wide ($COLUMNS): Python's rich, and other libraries "
          + "that fit their output to the terminal, wrap at 80 columns in a pipe, and a long message becomes several records.")
  Integer columns;

  @Option(names = "--keep-repeats",
      description = "Record each line a worker prints again and again, where a flood of one line (repeated within a second) "
          + "is otherwise recorded ten times, then counted: 'repeated 49990 more times: ...' once it stops, and every 10 s "
          + "while it goes on.")
  boolean keepRepeats;

  @Option(names = "--mask-variable", paramLabel = "NAME", split = ",",
      description = "A variable of the worker's environment whose value is stored as *** wherever the worker prints it "
          + "(a token, a cloud key): the worker still gets it, and the terminal still shows it. Repeat it or give several "
          + "with commas; * stands for any characters (*_TOKEN). Added to $HEARTLOG_MASK_VARIABLES.")
  List<String> maskVariables = new ArrayList<>();

  @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run, after --.")
  List<String> command;

  /**
   * Where the worker's stdout and stderr are passed on, byte for byte: this process's own, not
   * picocli's writers, which would re-encode the text in the platform's charset ({@code ?} for
   * every non-ASCII character in the C locale of many containers). Tests replace them.
   */
  OutputStream stdout = System.out;
  OutputStream stderr = System.err;

  @Option(names = "--stop-grace", paramLabel = "DURATION", defaultValue = "${env:HEARTLOG_STOP_GRACE}",
      description = "How long the worker has to exit after the SIGTERM or SIGINT heartlog run passes on, before it is killed "
          + "(default $HEARTLOG_STOP_GRACE, else 8s: within docker stop's 10 s). Leave heartlog run 2 s of what "
          + "stops it: 28s for Kubernetes' 30 s.")
  String stopGrace;

  @Option(names = "--stop-signal", paramLabel = "SIGNAL", defaultValue = "${env:HEARTLOG_STOP_SIGNAL}",
      description = "The signal that stops the worker, whichever stopped heartlog run (SIGTERM or SIGINT): INT for a "
          + "Python worker that cleans up on KeyboardInterrupt under Kubernetes or docker stop, which send SIGTERM "
          + "(default $HEARTLOG_STOP_SIGNAL, else the signal heartlog run got).")
  String stopSignal;

  /** Passes heartlog run's stop on to the worker (a shutdown hook). */
  private WorkerStop stop;

  /** {@code --interval} read, or a bad flag (exit 2) before the worker starts. */
  private Duration positiveInterval() {
    return DurationOption.positive(spec, "--interval", interval);
  }


  @Override
  public Integer call() throws InterruptedException {
    if (columns != null && columns <= 0) {
      throw new ParameterException(spec.commandLine(), "--columns must be a positive number of columns (got " + columns + ")");
    }
    Level stderrDefault = Level.named(stderrLevel).orElseThrow(() -> new ParameterException(spec.commandLine(),
        "--stderr-level: '" + stderrLevel + "' is not a level; use DEBUG, INFO, WARNING, ERROR or CRITICAL"));
    ChildLineParser parser = parser(stderrDefault);
    Duration grace = stopGrace == null ? STOP_GRACE : DurationOption.positive(spec, "--stop-grace", stopGrace);
    try {
      stop = new WorkerStop(grace, Duration.ofSeconds(15), stopSignal == null ? null : WorkerSignals.stopSignal(stopSignal));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    AgentEnvironment environment = AgentEnvironment.current();
    String worker = workerId;
    if (worker == null || worker.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--worker is required (or set HEARTLOG_WORKER_ID)");
    }
    // Each stream's repeats are counted before the agent sees them (RepeatedLines), by the lines'
    // arrival rather than their timestamps, and --keep-repeats keeps them all: the agent keeps what it is given.
    HeartlogAgentBuilder builder =
        environment.agentBuilder().shutdownHook(false).debug(debug || environment.debug()).keepRepeats(true);
    try {
      builder.workerId(worker);
    } catch (IllegalArgumentException e) {   // longer than the store takes: a bad flag, as a blank one is
      throw new ParameterException(spec.commandLine(), "--worker: " + e.getMessage());
    }
    maskValues(builder, environment);
    if (interval != null) {
      builder.heartbeatInterval(positiveInterval());
    }
    if (levels != null) {
      try {
        builder.levels(levels);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
      }
    }
    StoreOptions.Opened embedded = destination.setTransport(builder, environment, storeOptions, spec);
    List<String> credentials = new ArrayList<>(destination.credentials(environment));
    credentials.add(storeOptions.password);
    WorkerSecrets secrets = WorkerSecrets.of(credentials, storeOptions.url, System.getenv());
    HeartlogAgent agent = builder.build();
    WorkerSignals signals = WorkerSignals.install(stop,
        (signal, sentence) -> agent.log(Level.INFO, sentence, null, Map.of("logger", OWN_LOGGER, "signal", signal)));
    AtomicInteger workerExit = new AtomicInteger(-1);
    Thread forwarder = new Thread(() -> {
      stop.stop();
      exitWithTheWorkersCode(workerExit.get());
    }, "heartlog-run-forward-signal");
    ProcessBuilder process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
    unbufferedOutput(process.environment());
    WorkerSecrets.removeFrom(process.environment());
    if (columns != null) {
      process.environment().put("COLUMNS", Integer.toString(columns));
    }
    parser.warmUp();
    ChildOutput output = ChildOutput.prepare(process);
    Optional<OutOfMemoryKills> outOfMemoryKills = OutOfMemoryKills.now();
    WorkerLines lines = new WorkerLines(agent, parser, stop::requested, keepRepeats, secrets, outOfMemoryKills);
    lines.prepare(stdout, stderr, stderrDefault);   // so that the worker's first lines are read as it prints them
    // The stop is in place before the worker starts: a Ctrl-C as it starts still reaches it, and
    // still waits for the final heartbeat.
    if (embedded != null) {
      embedded.onShutdown(stop::stop);  // before the embedded store stops
      embedded.exitStatusAfterASignal(workerExit::get);   // the worker's code, as below
    } else {
      Runtime.getRuntime().addShutdownHook(forwarder);
    }
    Process child;
    try {
      child = stop.start(process, () -> agent.flush(WorkerStop.SHIPPING_PERIOD));
    } catch (IOException e) {
      output.close();
      lines.close();
      String reason = WorkerExit.cannotStartReason(command.get(0), e);
      agent.log(Level.CRITICAL, "heartlog run could not start " + command.get(0) + ": " + reason, null, OWN_RECORD);
      agent.shutdown(WorkerStatus.CRASHED, Duration.ofSeconds(5));
      spec.commandLine().getErr().println("heartlog: cannot start " + command.get(0) + ": " + reason);
      spec.commandLine().getErr().flush();
      return finish(WorkerExit.cannotStartCode(e), workerExit, forwarder, embedded);
    }
    if (child == null) {
      output.close();
      lines.close();
      String signal = "SIG" + stop.receivedSignal();
      agent.log(Level.INFO, "heartlog run got " + signal + " before the worker started, and did not start it", null,
          Map.of("logger", OWN_LOGGER, "signal", signal));
      agent.shutdown(WorkerStatus.STOPPED, Duration.ofSeconds(10));
      return finish(128 + WorkerExit.signalNumber(stop.receivedSignal()), workerExit, forwarder, embedded);
    }
    try {
      lines.start(output.stdout(child), output.stderr(child));
    } catch (IOException e) {
      throw new UncheckedIOException("heartlog run could not read the worker's output", e);
    }
    UnreapedProcesses unreaped = UnreapedProcesses.watch(child.toHandle(), count -> {
      String warning = UnreapedProcesses.warning(count);
      agent.log(Level.WARNING, warning, null, Map.of("logger", OWN_LOGGER, "unreaped_processes", count));
      spec.commandLine().getErr().println("heartlog: " + warning);
      spec.commandLine().getErr().flush();
    });
    Consumer<String> killed = counted -> agent.log(Level.ERROR, "the kernel's out-of-memory killer killed a process of "
        + "the worker's: " + counted, null, Map.of("logger", OWN_LOGGER, "oom_killed", true));
    Runnable stopWatchingKills = outOfMemoryKills.map(kills -> kills.watch(OUT_OF_MEMORY_CHECK, child::isAlive, killed))
        .orElse(() -> { });
    int exitCode = child.waitFor();
    stopWatchingKills.run();   // a kill of the worker itself is its exit's record's
    unreaped.close();
    // The processes the worker started may still print (its own worker, behind a launcher, that
    // got the stop after it): read until they close the output, up to a deadline.
    lines.awaitEnd(System.nanoTime() + (stop.requested() ? grace.plus(OUTPUT_DRAIN) : OUTPUT_DRAIN).toNanos());
    output.stopReading();
    lines.awaitEnd();
    lines.workerExited(exitCode);
    output.close();
    lines.close();
    if (exitCode != 128 + 9) {
      // A kill in the worker's last seconds, which the watch had no time to tell (a worker that
      // fails at once on its data loader's death). The kill of the worker itself is told by its
      // exit's record.
      outOfMemoryKills.flatMap(OutOfMemoryKills::untold).ifPresent(killed);
    }
    agent.shutdown(recordExit(agent, exitCode, signals, lines, outOfMemoryKills, secrets.mask(command)), Duration.ofSeconds(10));
    return finish(exitCode, workerExit, forwarder, embedded);
  }

  /**
   * Masks the values of {@code --mask-variable}'s variables and of those {@code
   * HEARTLOG_MASK_VARIABLES} names (which the environment's builder masked already), saying which
   * of the flag's names are not set.
   */
  private void maskValues(HeartlogAgentBuilder builder, AgentEnvironment environment) {
    if (maskVariables.isEmpty()) {
      return;
    }
    MaskedVariables flagged;
    try {
      flagged = MaskedVariables.of(maskVariables);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--mask-variable: " + e.getMessage());
    }
    // The builder's variables replace those it had: the environment's, read and checked already
    MaskedVariables all = environment.get("HEARTLOG_MASK_VARIABLES").map(MaskedVariables::parse)
        .map(flagged::and).orElse(flagged);
    builder.maskVariables(all.in(System.getenv()));
    for (String unset : flagged.unset(System.getenv())) {
      spec.commandLine().getErr().println("heartlog: warning: --mask-variable names " + unset
          + ", which is not set: nothing of it is masked");
    }
  }

  /**
   * Ends heartlog run with {@code exitCode} once the final heartbeat was sent: a stop under way
   * (the JVM's shutdown, on a signal) may end, and ends the JVM with that code.
   */
  private int finish(int exitCode, AtomicInteger workerExit, Thread forwarder, StoreOptions.Opened embedded) {
    workerExit.set(exitCode);
    stop.finished();
    try {
      if (embedded == null) {
        Runtime.getRuntime().removeShutdownHook(forwarder);
      }
    } catch (IllegalStateException shuttingDown) {
      // The forwarder is running; it ends the JVM with the worker's code now that it is known.
    }
    closeQuietly(embedded);
    return exitCode;
  }

  /**
   * Logs how the worker ended, unless it exited 0: a stop as asked (or by a signal passed on) at
   * INFO, anything else at ERROR with its last exception and last words.
   *
   * @return the status the worker ends with
   */
  private WorkerStatus recordExit(HeartlogAgent agent, int exitCode, WorkerSignals signals, WorkerLines lines,
      Optional<OutOfMemoryKills> outOfMemoryKills, List<String> command) {
    boolean stopped = WorkerExit.stoppedAsAsked(stop.requested(), exitCode) || signals.endedBySignalPassedOn(exitCode)
        || (stop.requested() && exitCode == 128 + WorkerExit.signalNumber(stop.sentSignal()));
    if (exitCode != 0 && stopped) {
      String why = stop.requested() ? ", as heartlog run was asked to stop" : ", the signal passed on to it";
      agent.log(Level.INFO, WorkerExit.describe(exitCode) + why, null, WorkerExit.metadata(exitCode, command, null, null, null));
    } else if (exitCode != 0) {
      String task = agent.currentTask();
      Optional<String> outOfMemory = exitCode == 128 + 9 ? outOfMemoryKills.flatMap(OutOfMemoryKills::since) : Optional.empty();
      agent.log(Level.ERROR, WorkerExit.describe(exitCode, lines.lastKilledCommand()) + outOfMemory.orElse(""), null,
          WorkerExit.metadata(exitCode, command, lines.lastException(), task, lines.lastWords(task), outOfMemory.isPresent()));
    }
    return stopped ? WorkerStatus.STOPPED : WorkerStatus.CRASHED;
  }

  /**
   * Ends the JVM stopped by a signal with the worker's exit code, not the signal's (143 for
   * SIGTERM): a worker that finished its task and exited 0 would count as failed (a Kubernetes
   * Job's pod). Called by the shutdown hook once everything is done, before it returns: the JVM
   * ends with the signal's code as soon as its hooks have. A negative code (the worker's exit was
   * not waited for) leaves the signal's.
   */
  private static void exitWithTheWorkersCode(int exitCode) {
    if (exitCode >= 0) {
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(exitCode);
    }
  }

  /**
   * Asks the worker to print each line as it comes. Python, what the seed's workers run, holds
   * stdout in 8 KiB blocks when it goes to a pipe: its lines would arrive minutes late, all at
   * once, with the times and the task of their arrival. A value the user set is left alone.
   */
  static void unbufferedOutput(Map<String, String> environment) {
    environment.putIfAbsent("PYTHONUNBUFFERED", "1");
  }

  private ChildLineParser parser(Level stderrDefault) {
    String format = lineFormat;
    if (pythonFormat != null) {
      if (!lineFormat.equals(ChildLineParser.SEED_FORMAT)) {
        throw new ParameterException(spec.commandLine(), "give --python-format or --line-format, not both");
      }
      try {
        format = PythonLogFormat.lineFormat(pythonFormat);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--python-format '" + pythonFormat + "' cannot be read: "
            + e.getMessage());
      }
    }
    ChildLineParser parser;
    try {
      parser = new ChildLineParser(format, pythonFormat != null ? "--python-format" : "--line-format", taskEnd,
          stderrDefault);
    } catch (PatternSyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--line-format or --task-end is not a valid regular expression: "
          + e.getDescription());
    }
    if (parser.endsTask("")) {
      // An empty --task-end (a variable that was not set: --task-end "$TASK_END") ended each task
      // at its next line, and every record after its first went to no task.
      throw new ParameterException(spec.commandLine(), "--task-end '" + taskEnd + "' matches an empty text, so every"
          + " line would end the current task; give a pattern a line ending a task has (\"Task completed\"), or leave"
          + " the option out for the seed worker's phrases");
    }
    return parser;
  }

  private static void closeQuietly(StoreOptions.Opened opened) {
    if (opened == null) {
      return;
    }
    try {
      opened.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
