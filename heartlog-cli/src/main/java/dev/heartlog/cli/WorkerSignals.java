package dev.heartlog.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals heartlog run passes on to its worker, as an init made for containers (tini,
 * dumb-init) does: wrapping a worker must not change what its signals do.
 *
 * <ul>
 *   <li>SIGTERM and SIGINT stop the worker ({@link WorkerStop}) with the signal heartlog run got. A
 *       Python worker cleans up on SIGINT ({@code KeyboardInterrupt}) and is killed outright by
 *       SIGTERM: an image whose {@code STOPSIGNAL} is SIGINT has it for that.
 *   <li>SIGHUP, SIGUSR1 and SIGUSR2 are passed on and heartlog run goes on: the worker reloads,
 *       reopens its files or prints its threads' stacks, and heartlog run ends when it does.
 *       Unhandled, a JVM ends on SIGHUP, dies without a word on SIGUSR1 and crashes on SIGUSR2.
 * </ul>
 *
 * <p>A signal a terminal sends (Ctrl-C, a hang-up) goes to its whole foreground process group: when
 * the worker is in it with heartlog run, it has the signal already and is not sent it twice (a
 * second SIGINT would interrupt a Python worker's cleanup).
 */
final class WorkerSignals {

  /** The signals passed on that are no stop. */
  static final List<String> PASSED_ON = List.of("HUP", "USR1", "USR2");

  private final WorkerStop stop;
  private final BiConsumer<String, String> record;
  private final Set<Integer> passedOn = ConcurrentHashMap.newKeySet();

  /**
   * @param record told, for each signal passed on (or that the worker had from the terminal),
   *     the signal's name ({@code SIGHUP}) and a sentence saying so, for the worker's records
   */
  private WorkerSignals(WorkerStop stop, BiConsumer<String, String> record) {
    this.stop = stop;
    this.record = record;
  }

  /**
   * Handles the signals from now on. Those already ignored stay ignored ({@code nohup}, a
   * background job of a script): the JVM keeps them so.
   */
  static WorkerSignals install(WorkerStop stop, BiConsumer<String, String> record) {
    WorkerSignals signals = new WorkerSignals(stop, record);
    try {
      signals.installHandlers();
    } catch (IllegalArgumentException | LinkageError notHandled) {
      // The JVM's signals are off (-Xrs), or a runtime lacks the jdk.unsupported module: SIGTERM
      // and SIGINT still stop the worker through the JVM's shutdown, with SIGTERM.
    }
    return signals;
  }

  private void installHandlers() {
    Signal interrupt = new Signal("INT");
    SignalHandler[] shutdown = new SignalHandler[1];
    shutdown[0] = Signal.handle(interrupt, signal -> {
      stop.stopWith(signal.getName(), WorkerSignals::fromTheTerminal);
      shutdown[0].handle(signal);   // the JVM's own: its shutdown, which runs the stop
    });
    if (shutdown[0] == SignalHandler.SIG_IGN || shutdown[0] == SignalHandler.SIG_DFL) {
      Signal.handle(interrupt, shutdown[0]);   // ignored, or the JVM's signals are off (-Xrs)
    }
    for (String name : PASSED_ON) {
      try {
        Signal.handle(new Signal(name), this::passOn);
      } catch (IllegalArgumentException usedByTheJvm) {
        // Left to the JVM, as before.
      }
    }
  }

  /** The signals {@code --stop-signal} takes: those a worker may stop on gracefully. */
  static final List<String> STOP_SIGNALS = List.of("TERM", "INT", "QUIT", "HUP", "USR1", "USR2");

  /**
   * The signal {@code text} names for {@code --stop-signal}: {@code INT}, {@code SIGINT} or
   * {@code 2}, in any case.
   *
   * @throws IllegalArgumentException naming those it may be
   */
  static String stopSignal(String text) {
    String name = text.strip().toUpperCase(Locale.ROOT);
    name = name.startsWith("SIG") ? name.substring(3) : name;
    if (name.matches("[0-9]{1,2}") && Integer.parseInt(name) >= 1 && Integer.parseInt(name) <= 15) {
      name = WorkerExit.signalName(Integer.parseInt(name));
    }
    if (!STOP_SIGNALS.contains(name)) {
      throw new IllegalArgumentException("--stop-signal must be one of " + String.join(", ", STOP_SIGNALS)
          + " (or SIGINT, 2, ...), not '" + text + "'");
    }
    return name;
  }

  /**
   * Whether the worker was ended by a signal passed on to it: what it was asked. Waits for a
   * signal being passed on: the worker may die of it, and its exit be seen, before {@code kill}
   * returns, and that signal's record is to come before the exit's.
   */
  synchronized boolean endedBySignalPassedOn(int exitCode) {
    return passedOn.contains(exitCode - 128);
  }

  /** One signal at a time, in the order they came (the JDK handles each on a thread of its own). */
  private synchronized void passOn(Signal signal) {
    ProcessHandle running = stop.worker();   // a signal before the worker started is not passed on
    if (running == null || !running.isAlive()) {
      return;
    }
    String name = "SIG" + signal.getName();
    if (fromTheTerminal(running)) {
      passedOn.add(signal.getNumber());
      record.accept(name, "the worker got " + name + " from the terminal, with heartlog run");
    } else if (send(running, signal.getName())) {
      passedOn.add(signal.getNumber());
      record.accept(name, "heartlog run passed " + name + " on to the worker");
    } else {
      record.accept(name, "heartlog run got " + name + " and could not pass it on to the worker (no /bin/sh to send it)");
    }
  }

  /**
   * Sends the signal named {@code name} ({@code INT}) to a process. The JDK sends only SIGTERM
   * and SIGKILL; the shell's {@code kill} is in every image that has a shell, where the {@code
   * kill} program often is not (Debian's slim images).
   *
   * @return whether it was sent
   */
  static boolean send(ProcessHandle process, String name) {
    try {
      Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + name + " " + process.pid())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether a signal heartlog run got from its terminal reached {@code worker} too: both are in
   * the process group in the foreground of heartlog run's terminal. Read from Linux's {@code
   * /proc}; elsewhere false, and the signal is passed on.
   */
  static boolean fromTheTerminal(ProcessHandle worker) {
    long[] own = stat(Path.of("/proc/self/stat"));
    long[] its = stat(Path.of("/proc", Long.toString(worker.pid()), "stat"));
    if (own == null || its == null) {
      return false;
    }
    boolean hasTerminal = own[TERMINAL] != 0;
    boolean inTheForeground = own[FOREGROUND_GROUP] == own[PROCESS_GROUP];
    return hasTerminal && inTheForeground && its[PROCESS_GROUP] == own[PROCESS_GROUP];
  }

  // Fields of /proc/PID/stat after the command's name: state, ppid, pgrp, session, tty_nr, tpgid.
  private static final int PROCESS_GROUP = 2;
  private static final int TERMINAL = 4;
  private static final int FOREGROUND_GROUP = 5;

  private static long[] stat(Path file) {
    try {
      String line = Files.readString(file);
      // The command's name, in parentheses, may hold spaces and parentheses itself.
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      long[] numbers = new long[FOREGROUND_GROUP + 1];
      for (int i = 1; i < numbers.length; i++) {
        numbers[i] = Long.parseLong(fields[i]);
      }
      return numbers;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
