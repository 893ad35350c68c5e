package dev.heartlog.cli;

import dev.heartlog.store.Store;
import java.io.PrintWriter;
import java.util.List;

/**
 * A task's id as given on the command line ({@code heartlog task ID}, {@code logs --task ID}):
 * whole, or its start, as git takes a commit's. The viewer shows a UUID's first 13 characters and
 * "…", the demo and the README 8 and "-..."; pasted, they named no task, and the command said
 * only that it had none.
 */
final class TaskIdArgument {

  /** The tasks named where an id starts several: enough to pick from, not a listing. */
  static final int SHOWN = 10;

  private TaskIdArgument() {}

  /**
   * The task meant by {@code given}: itself where a task with records has that id, else the one
   * task whose id starts with it (spaces around it and an ellipsis at its end, "…" or "...", left
   * off), else {@code given} as it is (a task that has only heartbeats, or none yet: a follower
   * waits for it). An id found by its start is said on {@code err}.
   *
   * @throws IllegalArgumentException where it starts the ids of several tasks: they are named
   */
  static String resolve(Store store, String given, PrintWriter err) {
    String start = withoutEllipsis(given.strip());   // pasted with the spaces around it, or an ellipsis
    List<String> starting = store.taskIdsStartingWith(start, SHOWN + 1);
    if (starting.contains(given) || starting.isEmpty()) {
      return given;
    }
    if (starting.size() == 1) {
      // Said, as the answer is another id than the one given: "job-1" that has not logged yet
      // is the start of "job-10".
      err.println("heartlog: task " + RecordText.printable(given) + " is " + RecordText.printable(starting.get(0)));
      err.flush();
      return starting.get(0);
    }
    String how = starting.size() > SHOWN ? "more than " + SHOWN + " tasks; the first " + SHOWN
        : starting.size() + " tasks";
    StringBuilder message = new StringBuilder("task id " + RecordText.printable(given) + " is the start of " + how
        + " (give more of it):");
    starting.stream().limit(SHOWN).forEach(id -> message.append(System.lineSeparator()).append("  ").append(RecordText.printable(id)));
    throw new IllegalArgumentException(message.toString());
  }

  private static String withoutEllipsis(String given) {
    for (String ellipsis : List.of("…", "...")) {
      if (given.endsWith(ellipsis)) {
        return given.substring(0, given.length() - ellipsis.length());
      }
    }
    return given;
  }
}
