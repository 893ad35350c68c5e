package dev.heartlog.log4j2;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.ComponentLevels;
import dev.heartlog.agent.Destination;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.HeartlogAgentBuilder;
import dev.heartlog.agent.Level;
import dev.heartlog.agent.MessagePattern;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;

/**
 * A Log4j 2 appender that hands every event to the heartlog agent.
 *
 * <pre>{@code
 * <Configuration>
 *   <Appenders>
 *     <!-- all but the name optional: without them the appender feeds the agent the application
 *          installed, or starts one from HEARTLOG_WORKER_ID / HEARTLOG_DB_URL -->
 *     <Heartlog name="HEARTLOG" workerId="gpu-worker-1" url="jdbc:postgresql://db:5432/orchestrator"/>
 *   </Appenders>
 *   <Loggers>
 *     <Root level="info"><AppenderRef ref="HEARTLOG"/></Root>
 *   </Loggers>
 * </Configuration>
 * }</pre>
 *
 * <p>The event is read on the logging thread (Log4j may reuse it once this returns; see {@link
 * EventRecord}); the agent buffers the record without blocking and ships it on its heartbeat. A
 * {@code {}} message whose arguments are plain immutable values is formatted on the heartbeat
 * thread, as the Logback appender's is (see {@link MessagePattern}).
 * Levels map TRACE/DEBUG to DEBUG, INFO to INFO, WARN to WARNING, ERROR to ERROR and FATAL to
 * CRITICAL; a custom level by its severity. The source location only with {@code
 * includeLocation="true"}. A thread-context entry {@code task_id} (or the key
 * {@code taskKey} names) files the record under that task. Events of heartlog's own pipeline (its
 * packages, the JDBC driver, the HTTP client) are left out.
 */
@Plugin(name = "Heartlog", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class HeartlogAppender extends AbstractAppender {

  /** The thread-context key that names the task a record belongs to, unless {@code taskKey} names another. */
  public static final String TASK_ID_KEY = "task_id";

  private final AppenderAgent.Settings settings;
  private final String levels;
  private final String taskKey;
  private final boolean startAgent;
  private final boolean includeLocation;

  private HeartlogAppender(Builder builder) {
    super(builder.getName(), builder.getFilter(), null, builder.isIgnoreExceptions(), builder.getPropertyArray());
    this.settings = new AppenderAgent.Settings(builder.workerId, builder.url, builder.user, builder.password,
        builder.debug, builder.heartbeatIntervalSeconds, builder.bufferSize);
    this.levels = builder.levels;
    this.taskKey = builder.taskKey == null || builder.taskKey.isBlank() ? TASK_ID_KEY : builder.taskKey.strip();
    this.startAgent = builder.startAgent;
    this.includeLocation = builder.includeLocation;
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public void start() {
    boolean configured = settings.workerId() != null || settings.url() != null
        || AgentEnvironment.current().get("HEARTLOG_WORKER_ID").isPresent();
    if (startAgent && configured) {
      try {
        AppenderAgent.hold(this, settings, configuredLevels(), this::buildAgent);
      } catch (RuntimeException e) {
        LOGGER.error("heartlog could not start its agent: {}", e.getMessage(), e);
      }
    }
    super.start();
    Heartlog.log4jAppenderStarted();
  }

  /**
   * Stops taking Log4j's events. The agent this appender holds is closed, unless the appender
   * of a new configuration took it over (see {@link AppenderAgent}).
   */
  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    if (isStarted()) {
      Heartlog.log4jAppenderStopped();
    }
    setStopping();
    boolean stopped = super.stop(timeout, timeUnit, false);
    AppenderAgent.release(this);
    setStopped();
    return stopped;
  }

  /**
   * Whether Log4j should find each call's source as it is made ({@code includeLocation="true"}):
   * Log4j asks its appenders ({@code LocationAware}, which {@code AbstractAppender} answers no
   * for). Found later, on an asynchronous logger's thread, there is none: behind all-async
   * loggers, no record had a class, method or line, whatever the configuration said.
   */
  @Override
  public boolean requiresLocation() {
    return includeLocation;
  }

  @Override
  public void append(LogEvent event) {
    if (HeartlogAgent.isPipelineLogger(event.getLoggerName())) {
      return;
    }
    Level level = EventRecord.level(event.getLevel());
    String component = EventRecord.named(event, "component");   // as the agent names a record's component
    if (!Heartlog.isEnabled(level, component != null ? component : event.getLoggerName())) {
      return;
    }
    String taskId = EventRecord.named(event, taskKey);
    MessagePattern pattern = EventRecord.pattern(event.getMessage());
    if (pattern != null) {
      Heartlog.log(EventRecord.instant(event), level, pattern, taskId, EventRecord.metadata(event, taskKey, includeLocation));
    } else {
      Heartlog.log(EventRecord.instant(event), level, event.getMessage().getFormattedMessage(), taskId,
          EventRecord.metadata(event, taskKey, includeLocation));
    }
  }

  /** The levels this appender's agent keeps: its own setting, else {@code HEARTLOG_LEVELS}. */
  private ComponentLevels configuredLevels() {
    if (levels != null) {
      return ComponentLevels.parse(levels);
    }
    return AgentEnvironment.current().get("HEARTLOG_LEVELS").map(ComponentLevels::parse).orElse(ComponentLevels.NONE);
  }

  private HeartlogAgent buildAgent() {
    HeartlogAgentBuilder builder = AgentEnvironment.current().agentBuilder();
    if (settings.workerId() != null) {
      builder.workerId(settings.workerId());
    }
    if (settings.url() != null) {
      builder.transport(AgentEnvironment.transportFor(new Destination(settings.url(), settings.user(), settings.password())));
    }
    if (settings.debug() != null) {
      builder.debug(settings.debug());
    }
    if (settings.heartbeatIntervalSeconds() != null) {
      builder.heartbeatInterval(Duration.ofSeconds(settings.heartbeatIntervalSeconds()));
    }
    if (settings.bufferSize() != null) {
      builder.bufferSize(settings.bufferSize());
    }
    builder.levels(configuredLevels());
    return builder.build();
  }

  /** The attributes of {@code <Heartlog>}, as Log4j sets them from the configuration. */
  public static final class Builder extends AbstractAppender.Builder<Builder>
      implements org.apache.logging.log4j.core.util.Builder<HeartlogAppender> {

    /** The worker id, when the appender starts the agent itself. */
    @PluginBuilderAttribute private String workerId;
    /** Where heartbeats go: {@code jdbc:postgresql://...}, or the {@code postgresql://} URI psql and Supabase show. */
    @PluginBuilderAttribute private String url;
    @PluginBuilderAttribute private String user;
    @PluginBuilderAttribute(sensitive = true) private String password;
    /** Keep DEBUG records; default from {@code HEARTLOG_DEBUG}. */
    @PluginBuilderAttribute private Boolean debug;
    /** Seconds between heartbeats; default 20. */
    @PluginBuilderAttribute private Integer heartbeatIntervalSeconds;
    /** Records that make a heartbeat due at once; default 100. */
    @PluginBuilderAttribute private Integer bufferSize;
    /** The least severe level kept per component: {@code WARNING,com.example.render=DEBUG}; default {@code HEARTLOG_LEVELS}. */
    @PluginBuilderAttribute private String levels;
    /** The thread-context key under which the worker puts the task it runs; default {@code task_id}. */
    @PluginBuilderAttribute private String taskKey;
    /** Whether the appender may start an agent of its own when none is installed; default true. */
    @PluginBuilderAttribute private boolean startAgent = true;
    /**
     * Capture class, method and line of each call (where the logger's {@code includeLocation}
     * allows it, as it does for synchronous loggers). Log4j walks the caller's stack for it, which
     * costs microseconds a call; default off.
     */
    @PluginBuilderAttribute private boolean includeLocation;

    public Builder setWorkerId(String workerId) {
      this.workerId = workerId;
      return this;
    }

    public Builder setUrl(String url) {
      this.url = url;
      return this;
    }

    public Builder setUser(String user) {
      this.user = user;
      return this;
    }

    public Builder setPassword(String password) {
      this.password = password;
      return this;
    }

    public Builder setDebug(Boolean debug) {
      this.debug = debug;
      return this;
    }

    public Builder setHeartbeatIntervalSeconds(Integer seconds) {
      this.heartbeatIntervalSeconds = seconds;
      return this;
    }

    public Builder setBufferSize(Integer bufferSize) {
      this.bufferSize = bufferSize;
      return this;
    }

    public Builder setLevels(String levels) {
      this.levels = levels;
      return this;
    }

    public Builder setTaskKey(String taskKey) {
      this.taskKey = taskKey;
      return this;
    }

    public Builder setStartAgent(boolean startAgent) {
      this.startAgent = startAgent;
      return this;
    }

    public Builder setIncludeLocation(boolean includeLocation) {
      this.includeLocation = includeLocation;
      return this;
    }

    @Override
    public HeartlogAppender build() {
      return new HeartlogAppender(this);
    }
  }
}
