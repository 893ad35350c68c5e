package dev.heartlog.agent;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The seed worker's own logging functions ({@code essential, success, warning, error, critical,
 * debug, progress, status}) for Java workers. Each takes a component and, optionally, a task id;
 * without one, the agent's current task is used.
 *
 * <p>With an echo stream, each call also prints the seed's console line, {@code [HH:MM:SS] LEVEL
 * COMPONENT [Task id] message}, which {@code heartlog run} parses back when it wraps a process.
 *
 * <p>{@link #with} gives a facade whose records also carry fields of context, the seed's
 * "structured metadata" (model name, task type): {@code log.with("model", "wan2.1")}.
 */
public final class WorkerLog {

  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final HeartlogAgent agent;
  private final PrintStream echo;
  private final Map<String, Object> fields;   // unmodifiable, in the order given

  private WorkerLog(HeartlogAgent agent, PrintStream echo, Map<String, Object> fields) {
    this.agent = agent;
    this.echo = echo;
    this.fields = fields;
  }

  /** A facade that only captures. */
  public static WorkerLog of(HeartlogAgent agent) {
    return new WorkerLog(Objects.requireNonNull(agent, "agent"), null, Map.of());
  }

  /** A facade that captures and prints each line to {@code echo}, as the seed's console does. */
  public static WorkerLog of(HeartlogAgent agent, PrintStream echo) {
    return new WorkerLog(Objects.requireNonNull(agent, "agent"), echo, Map.of());
  }

  /** This facade, its records also carrying {@code key} with {@code value} (see {@link #with(Map)}). */
  public WorkerLog with(String key, Object value) {
    Map<String, Object> field = new LinkedHashMap<>();
    field.put(key, value);
    return with(field);
  }

  /**
   * This facade, its records also carrying these fields in their metadata (after those it
   * already has; a key given again takes the new value): {@code log.with(Map.of("model",
   * "wan2.1", "task_type", "t2v"))}, to be found with {@code heartlog logs --meta model=wan2.1}.
   * A value that cannot change (a string, a JDK number, a boolean, a UUID) is kept as it is, any
   * other as its text now. A record's own {@code component}, {@code kind} and {@code exception}
   * are not replaced. This facade is not changed.
   */
  public WorkerLog with(Map<String, ?> more) {
    Map<String, Object> all = new LinkedHashMap<>(fields);
    more.forEach((key, value) -> all.put(Objects.requireNonNull(key, "field keys must not be null"),
        RecordMetadata.captured(value)));
    return new WorkerLog(agent, echo, Collections.unmodifiableMap(all));
  }

  /** An important step of the worker's work, always kept (INFO). */
  public void essential(String component, String message) {
    record("essential", Level.INFO, component, message, null, null);
  }

  public void essential(String component, String message, String taskId) {
    record("essential", Level.INFO, component, message, taskId, null);
  }

  /** Something finished well (INFO, marked {@code kind: success}). */
  public void success(String component, String message) {
    record("success", Level.INFO, component, message, null, null);
  }

  public void success(String component, String message, String taskId) {
    record("success", Level.INFO, component, message, taskId, null);
  }

  public void warning(String component, String message) {
    record("warning", Level.WARNING, component, message, null, null);
  }

  public void warning(String component, String message, String taskId) {
    record("warning", Level.WARNING, component, message, taskId, null);
  }

  public void error(String component, String message) {
    record("error", Level.ERROR, component, message, null, null);
  }

  public void error(String component, String message, String taskId) {
    record("error", Level.ERROR, component, message, taskId, null);
  }

  /** An error with its exception; the stack trace goes into the record's metadata. */
  public void error(String component, String message, String taskId, Throwable error) {
    record("error", Level.ERROR, component, message, taskId, error);
  }

  /** The worker cannot go on (CRITICAL). */
  public void critical(String component, String message) {
    record("critical", Level.CRITICAL, component, message, null, null);
  }

  public void critical(String component, String message, String taskId) {
    record("critical", Level.CRITICAL, component, message, taskId, null);
  }

  /** Kept only in debug mode. */
  public void debug(String component, String message) {
    record("debug", Level.DEBUG, component, message, null, null);
  }

  public void debug(String component, String message, String taskId) {
    record("debug", Level.DEBUG, component, message, taskId, null);
  }

  /** Progress of a long step (INFO, marked {@code kind: progress}). */
  public void progress(String component, String message) {
    record("progress", Level.INFO, component, message, null, null);
  }

  public void progress(String component, String message, String taskId) {
    record("progress", Level.INFO, component, message, taskId, null);
  }

  /** A status change of the worker (INFO, marked {@code kind: status}). */
  public void status(String component, String message) {
    record("status", Level.INFO, component, message, null, null);
  }

  public void status(String component, String message, String taskId) {
    record("status", Level.INFO, component, message, taskId, null);
  }

  private void record(String kind, Level level, String component, String message, String taskId, Throwable error) {
    if (!agent.isEnabled(level, component)) {
      return;
    }
    RecordMetadata metadata = new RecordMetadata(3 + fields.size());
    fields.forEach(metadata::put);
    metadata.put("component", component);
    metadata.put("kind", kind);
    if (error != null) {
      metadata.put("exception", stackTrace(error));
    }
    agent.log(level, message, taskId, metadata);
    if (echo != null) {
      String task = taskId != null ? taskId : agent.currentTask();
      echo.println(
          "[" + LocalTime.now(ZoneId.systemDefault()).format(CLOCK_TIME) + "] " + level + " "
              + component + (task == null ? "" : " [Task " + task + "]") + " " + message);
    }
  }

  /**
   * The full stack trace of {@code error}, as {@code printStackTrace} writes it, without the last
   * line's line break (as the Logback appender stores one).
   */
  public static String stackTrace(Throwable error) {
    StringWriter text = new StringWriter();
    error.printStackTrace(new PrintWriter(text));
    return text.toString().stripTrailing();
  }
}
