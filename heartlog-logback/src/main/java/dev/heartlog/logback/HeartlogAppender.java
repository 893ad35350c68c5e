package dev.heartlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.ComponentLevels;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.MessagePattern;
import dev.heartlog.agent.RecordMetadata;
import java.time.Duration;

/**
 * A Logback appender that hands every event to the heartlog agent.
 *
 * <pre>{@code
 * <appender name="HEARTLOG" class="dev.heartlog.logback.HeartlogAppender">
 *   <!-- all optional: without them the appender feeds the agent the application installed,
 *        or starts one from HEARTLOG_WORKER_ID / HEARTLOG_DB_URL -->
 *   <workerId>gpu-worker-1</workerId>
 *   <url>jdbc:postgresql://db:5432/orchestrator</url>
 *   <includeCallerData>true</includeCallerData>
 * </appender>
 * }</pre>
 *
 * <p>The MDC, the key-value pairs of SLF4J's fluent API, the markers, the exception and the
 * message are captured on the logging thread (see {@link EventMetadata}); the rest happens on the
 * agent's heartbeat thread, including the formatting of a message whose arguments are plain
 * immutable values (see {@link MessagePattern}). Levels map TRACE/DEBUG to DEBUG, INFO to INFO,
 * WARN to WARNING, ERROR to ERROR. A key-value pair or MDC entry {@code task_id} (or the key
 * {@link #setTaskMdcKey} names) files the record under that task. Events of heartlog's own
 * pipeline (its packages, the JDBC driver, the HTTP client) are left out.
 */
public final class HeartlogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** The MDC key that names the task a record belongs to, unless {@link #setTaskMdcKey} names another. */
  public static final String TASK_ID_MDC_KEY = "task_id";

  private String workerId;
  private String url;
  private String user;
  private String password;
  private Boolean debug;
  private Duration heartbeatInterval;
  private Integer bufferSize;
  private String levels;
  private boolean includeCallerData;
  private String taskMdcKey = TASK_ID_MDC_KEY;
  private boolean startAgent = true;
  private HeartlogAgent ownedAgent;
  private AgentHandover.Settings ownedSettings;

  @Override
  public void start() {
    workerId = defined("workerId", workerId);
    url = defined("url", url);
    user = defined("user", user);
    password = defined("password", password);
    boolean configured =
        workerId != null || url != null || AgentEnvironment.current().get("HEARTLOG_WORKER_ID").isPresent();
    if (startAgent && configured) {
      try {
        ComponentLevels keptLevels = configuredLevels();
        ownedSettings = new AgentHandover.Settings(workerId, url, user, password, debug, heartbeatInterval, bufferSize);
        // Logback configured again (a changed logback.xml, Spring Boot's start): the agent the
        // appender it replaces started carries on, with these levels.
        ownedAgent = AgentHandover.claim(ownedSettings).orElse(null);
        if (ownedAgent != null) {
          ownedAgent.setLevels(keptLevels);
        } else if (Heartlog.agent().isEmpty()) {
          ownedAgent = buildAgent();
          Heartlog.install(ownedAgent);
        }
      } catch (RuntimeException e) {
        addError("heartlog could not start its agent: " + e.getMessage(), e);
        return;
      }
    }
    super.start();
    Heartlog.slf4jAppenderStarted();
  }

  /**
   * Stops taking Logback's events. The agent this appender started goes on for a few seconds for
   * the appender Logback makes next, if it is configured again, and is closed otherwise.
   */
  @Override
  public void stop() {
    if (isStarted()) {
      Heartlog.slf4jAppenderStopped();
    }
    super.stop();
    if (ownedAgent != null) {
      AgentHandover.release(ownedAgent, ownedSettings);
      ownedAgent = null;
    }
  }

  /** The levels this appender's agent keeps: its own setting, else {@code HEARTLOG_LEVELS}. */
  private ComponentLevels configuredLevels() {
    if (levels != null) {
      return ComponentLevels.parse(levels);
    }
    return AgentEnvironment.current().get("HEARTLOG_LEVELS").map(ComponentLevels::parse).orElse(ComponentLevels.NONE);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (HeartlogAgent.isPipelineLogger(event.getLoggerName())) {
      return;
    }
    Level level = level(event.getLevel());
    String component = EventMetadata.named(event, "component");   // as the agent names a record's component
    if (!Heartlog.isEnabled(level, component != null ? component : event.getLoggerName())) {
      return;
    }
    String taskId = EventMetadata.named(event, taskMdcKey);
    RecordMetadata metadata = EventMetadata.of(event, taskMdcKey, includeCallerData);
    MessagePattern pattern = MessagePattern.of(event.getMessage(), event.getArgumentArray());
    if (pattern != null) {
      Heartlog.log(EventMetadata.instant(event), level, pattern, taskId, metadata);
    } else {
      Heartlog.log(EventMetadata.instant(event), level, event.getFormattedMessage(), taskId, metadata);
    }
  }

  /**
   * The setting as given, or null where it came from a variable that is not set: Logback writes
   * {@code <url>${HEARTLOG_DB_URL}</url>} as {@code HEARTLOG_DB_URL_IS_UNDEFINED} then, which
   * named no transport and kept the appender from starting. Without a URL the agent keeps its
   * records (in its spool) until a destination is configured, as an agent built without one does.
   */
  private String defined(String setting, String value) {
    if (value == null || !value.endsWith(CoreConstants.UNDEFINED_PROPERTY_SUFFIX)) {
      return value;
    }
    String variable = value.substring(0, value.length() - CoreConstants.UNDEFINED_PROPERTY_SUFFIX.length());
    addWarn("heartlog: <" + setting + "> is ${" + variable + "}, and " + variable + " is not set: read as not given"
        + (setting.equals("url") ? " (the agent keeps its records until a destination is configured)" : ""));
    return null;
  }

  /** Maps a Logback level onto the store's five. */
  static Level level(ch.qos.logback.classic.Level level) {
    int value = level.toInt();
    if (value >= ch.qos.logback.classic.Level.ERROR_INT) {
      return Level.ERROR;
    }
    if (value >= ch.qos.logback.classic.Level.WARN_INT) {
      return Level.WARNING;
    }
    if (value >= ch.qos.logback.classic.Level.INFO_INT) {
      return Level.INFO;
    }
    return Level.DEBUG;
  }

  private HeartlogAgent buildAgent() {
    AgentEnvironment environment = AgentEnvironment.current();
    HeartlogAgentBuilder builder = environment.agentBuilder();
    if (workerId != null) {
      builder.workerId(workerId);
    }
    if (url != null) {
      builder.transport(AgentEnvironment.transportFor(new dev.heartlog.agent.Destination(url, user, password)));
    }
    if (debug != null) {
      builder.debug(debug);
    }
    if (heartbeatInterval != null) {
      builder.heartbeatInterval(heartbeatInterval);
    }
    if (bufferSize != null) {
      builder.bufferSize(bufferSize);
    }
    if (levels != null) {
      builder.levels(levels);
    }
    return builder.build();
  }

  /** The worker id, when this appender starts the agent itself. */
  public void setWorkerId(String workerId) {
    this.workerId = workerId;
  }

  /**
   * Where heartbeats go ({@code jdbc:postgresql://...}, or the {@code postgresql://user:password@host/db}
   * URI psql and Supabase show), when this appender starts the agent.
   */
  public void setUrl(String url) {
    this.url = url;
  }

  public void setUser(String user) {
    this.user = user;
  }

  /** Never printed. */
  public void setPassword(String password) {
    this.password = password;
  }

  /** Keep DEBUG records; default from {@code HEARTLOG_DEBUG} / {@code WAN2GP_DEBUG}. */
  public void setDebug(boolean debug) {
    this.debug = debug;
  }

  /** Seconds between heartbeats; default 20. */
  public void setHeartbeatIntervalSeconds(int seconds) {
    this.heartbeatInterval = Duration.ofSeconds(seconds);
  }

  /** Records that make a heartbeat due at once; default 100. */
  public void setBufferSize(int bufferSize) {
    this.bufferSize = bufferSize;
  }

  /**
   * The least severe level kept per component (a logger's name, or an MDC {@code component}),
   * when this appender starts the agent itself: {@code WARNING,com.example.render=DEBUG}. See
   * {@code ComponentLevels}; {@code HEARTLOG_LEVELS} otherwise.
   */
  public void setLevels(String levels) {
    this.levels = levels;
  }

  /**
   * Whether this appender may start an agent of its own when none is installed and a worker id
   * is configured; default true. Set false in a process that installs or binds agents itself.
   */
  public void setStartAgent(boolean startAgent) {
    this.startAgent = startAgent;
  }

  /**
   * The MDC key under which the worker's code already puts the task it runs ({@code jobId},
   * {@code requestId}); default {@value #TASK_ID_MDC_KEY}. A record with that entry is filed
   * under its task, and the entry is not repeated in the metadata.
   */
  public void setTaskMdcKey(String key) {
    if (key == null || key.isBlank()) {
      addError("taskMdcKey must not be empty; keeping " + taskMdcKey);
      return;
    }
    this.taskMdcKey = key.strip();
  }

  /**
   * Capture class, method and line of each call. It walks the caller's stack, so it costs
   * microseconds per event; default off, as in Logback's own async appender.
   */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }
}
