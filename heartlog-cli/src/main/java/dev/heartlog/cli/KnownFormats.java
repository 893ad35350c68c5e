package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.cli.ChildLineParser.Parsed;
import dev.heartlog.cli.ChildLineParser.TaskScope;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The formats heartlog knows, tried in turn on a line that is not in the worker's own format
 * ({@link ChildLineParser}); the first that reads the line makes its record. A shell's trace
 * ({@link ShellTraceLines}); a job queue's worker's (Celery, RQ, arq, Prefect, Sidekiq, Laravel's
 * queue); PM2's {@code --json} lines ({@link Pm2JsonLines}); a structured logger's JSON object or
 * logfmt pairs ({@link StructuredLine}); Python's loggers and servers ({@link PythonLoggingLines},
 * {@link PythonWebServerLines}, structlog's console, Huey's, OpenTelemetry's); the formats of
 * other runtimes' own loggers (the JVM's {@code -Xlog}, its and SLF4J's notices, Logback's and
 * Log4j 2's reports of themselves, .NET's, Elixir's, Ruby's, Tornado's, PHP's and Monolog's, ONNX
 * Runtime's and TensorRT's, Delayed Job's, ImageMagick's, OpenCV's, Chromium's, SLF4J's simple
 * logger's, Quarkus's, Dropwizard's and Spark's); Spring Boot's, Rust's tracing and env_logger,
 * Go's zap and zerolog on a console, nginx's, Go's log and a web server's requests; the tools a
 * worker's start runs (PM2, Winston, ffmpeg, wget, pip, curl, the AWS CLI, apt, nvidia-smi, a
 * checksum check, a CUDA kernel's assertion, a shell's reports, psql, Blender); the formats of a
 * logger nobody configured ({@link LoggerFormats}); glog and NCCL ({@link CppLoggerLines}). A line
 * none of them reads is plain ({@link #plain}).
 *
 * <p>Where two formats may begin alike, the one tried first says so beside its call. A plain line
 * is looked at by every reader, so each turns away a line not in its format by its first
 * characters where it can, before any regular expression runs.
 */
final class KnownFormats {

  private final Predicate<String> endsTask;
  /** The level of a line an app wrote to its stderr where the line says none ({@code --stderr-level}). */
  private final Level stderrLevel;
  /** Log4j 2's reports, which remember whether the worker printed one. */
  private final Log4jStatusLines log4j = new Log4jStatusLines();
  private final Pm2Lines pm2 = new Pm2Lines();

  /**
   * @param endsTask whether a line with this message ends the current task ({@code --task-end})
   * @param stderrLevel the level of a line written to stderr that names none, where another
   *     program passes the worker's stderr on in its own lines (PM2's {@code --json})
   */
  KnownFormats(Predicate<String> endsTask, Level stderrLevel) {
    this.endsTask = endsTask;
    this.stderrLevel = stderrLevel;
  }

  /** The line read in the first format heartlog knows that it is in, else read as a plain line. */
  Parsed read(String line, Level streamDefault, String stream, RecordMetadata metadata) {
    Parsed parsed = ShellTraceLines.parse(line, metadata);   // first: "+ echo 'error: ...'" names no level of its own
    if (parsed == null) {
      parsed = jobQueues(line, metadata);
    }
    if (parsed == null) {
      parsed = pm2Json(line, streamDefault, stream, metadata);   // before any other JSON object's
    }
    if (parsed == null) {
      parsed = StructuredLine.parse(line, streamDefault, metadata, endsTask);
    }
    if (parsed == null) {
      parsed = pythonLoggers(line, streamDefault, metadata);
    }
    if (parsed == null) {
      parsed = runtimesOwnForms(line, metadata);
    }
    if (parsed == null) {
      parsed = consolesAndServers(line, metadata);
    }
    if (parsed == null) {
      parsed = tools(line, stream, metadata);
    }
    if (parsed == null) {
      parsed = unconfiguredLoggers(line, metadata);
    }
    return parsed != null ? parsed : plain(line, streamDefault, metadata);
  }

  /**
   * A line of {@code pm2-runtime --json} ({@link Pm2JsonLines}): an app's write read as the app
   * wrote it, at the level of the stream it wrote it to where it names none, its app and process
   * in {@code process} ({@code render:0}, as {@code --formatted} gives it) and the time PM2 gives
   * it; a Node.js stack trace whose line ends PM2 took out is an ERROR with that trace. An event of
   * an app's process ({@code exit}) is INFO, as {@code App [render] exit}, the app in {@code
   * program}: PM2's own line beside it says what the exit was ({@link Pm2Lines}).
   */
  private Parsed pm2Json(String line, Level streamDefault, String stream, RecordMetadata metadata) {
    Pm2JsonLines.JsonLine json = Pm2JsonLines.read(line);
    if (json == null) {
      return null;
    }
    if (json.event()) {
      metadata.put("component", "pm2");
      metadata.put("program", json.app());
      return new Parsed(Level.INFO, "App [" + json.app() + "] " + json.text(), null, metadata, false, json.time());
    }
    String written = json.text();
    String trace = Pm2JsonLines.stackTrace(written);
    if (trace != null) {
      written = trace.substring(0, trace.indexOf('\n'));
    }
    if (json.stderr()) {
      metadata.put("stream", "stderr");
    }
    Parsed app = read(written, json.stderr() ? stderrLevel : streamDefault, json.stderr() ? "stderr" : stream, metadata);
    app.metadata().put("process", json.process());
    Level level = app.level();
    if (trace != null) {
      app.metadata().put("exception", trace);
      level = level.isAtLeast(Level.ERROR) ? level : Level.ERROR;
    }
    // One write of the app's: no more of the record before it, as a plain line may be.
    return new Parsed(level, app.message(), app.task(), app.metadata(), app.endsTask(),
        app.time() != null ? app.time() : json.time(), app.scope(), false, app.ownLevel() || trace != null,
        app.levelByShape());
  }

  /** A job queue's worker's own lines: Celery's, RQ's, arq's, Prefect's, Sidekiq's, Laravel's queue's. */
  private static Parsed jobQueues(String line, RecordMetadata metadata) {
    Parsed queue = CeleryLines.parse(line, metadata);
    if (queue == null) {
      queue = RqLines.parse(line, metadata);
    }
    if (queue == null) {
      queue = ArqLines.parse(line, metadata);
    }
    if (queue == null) {
      queue = PrefectLines.parse(line, metadata);
    }
    if (queue == null) {
      queue = SidekiqLines.parse(line, metadata);
    }
    if (queue == null) {
      queue = LaravelQueueLines.parse(line, metadata);
    }
    return queue;
  }

  /** Python's logging in the formats its documentation and libraries give it, and Python's servers. */
  private Parsed pythonLoggers(String line, Level streamDefault, RecordMetadata metadata) {
    Parsed python = PythonLoggingLines.basic(line, metadata, endsTask);
    if (python == null) {
      python = PythonLoggingLines.dashed(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonLoggingLines.timedBasic(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonLoggingLines.bracketed(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonLoggingLines.sglang(line, streamDefault, metadata, endsTask);
    }
    if (python == null) {
      python = OpenTelemetryLoggingLines.parse(line, metadata, endsTask);
    }
    if (python == null) {
      python = StructlogConsoleLines.parse(line, metadata, endsTask);
    }
    if (python == null) {
      python = HueyLines.parse(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonLoggingLines.transformers(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonWebServerLines.gunicorn(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonWebServerLines.flask(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonWebServerLines.werkzeug(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonLoggingLines.loguru(line, metadata, endsTask);
    }
    if (python == null) {
      python = PythonLoggingLines.hydra(line, metadata, endsTask);
    }
    return python == null ? null : ArqLines.withJob(python);   // arq's job lines in a format of the worker's own
  }

  /** Lines in a form of a runtime's or library's own, no logging library's format. */
  private Parsed runtimesOwnForms(String line, RecordMetadata metadata) {
    Parsed ownForm = JvmUnifiedLogLines.parse(line, metadata, endsTask);
    if (ownForm == null) {
      ownForm = JavaNoticeLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = LogbackStatusLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = DotNetConsoleLines.parse(line, metadata);
    }
    if (ownForm == null) {
      ownForm = DotNetConsoleLines.serilog(line, metadata);
    }
    if (ownForm == null) {
      ownForm = ElixirLoggerLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = RubyLoggerLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = TornadoLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = PhpLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = MonologLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = MonologLines.symfonyConsole(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = InferenceRuntimeLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = DelayedJobLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = ImageMagickLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = OpenCvLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = ChromiumLines.parse(line, metadata, endsTask);
    }
    if (ownForm == null) {
      ownForm = JavaConsoleLines.parse(line, metadata, endsTask);
    }
    return ownForm;
  }

  /** Spring Boot's console, Rust's and Go's loggers on a console, nginx's and a web server's requests. */
  private Parsed consolesAndServers(String line, RecordMetadata metadata) {
    // Spring Boot's before tracing's, whose time and level it begins with too.
    Parsed console = SpringBootLines.parse(line, metadata, endsTask);
    if (console == null) {
      console = RustTracingLines.parse(line, metadata, endsTask);
    }
    if (console == null) {
      console = RustTracingLines.envLogger(line, metadata, endsTask);
    }
    if (console == null) {
      console = GoLoggerLines.zap(line, metadata, endsTask);
    }
    if (console == null) {
      console = GoLoggerLines.zerolog(line, metadata, endsTask);
    }
    if (console == null) {
      console = NginxLines.parse(line, metadata, endsTask);   // before Go's log, whose time it begins with
    }
    if (console == null) {
      console = GoLoggerLines.goLog(line, metadata, endsTask);
    }
    if (console == null) {
      console = AccessLogLines.parse(line, metadata, endsTask);
    }
    return console;
  }

  /** The lines of the programs a worker runs or its start runs: PM2, Node's Winston, ffmpeg, wget, pip, ... */
  private Parsed tools(String line, String stream, RecordMetadata metadata) {
    Parsed nodeOrTool = pm2.parse(line, metadata);
    if (nodeOrTool == null) {
      nodeOrTool = WinstonLines.parse(line, metadata, endsTask);
    }
    if (nodeOrTool == null) {
      nodeOrTool = FfmpegLines.parse(line, metadata, endsTask);
    }
    if (nodeOrTool == null) {
      nodeOrTool = FfmpegLines.defaultOutput(line, metadata, endsTask);
    }
    if (nodeOrTool == null) {
      nodeOrTool = WgetLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = PipLines.diagnostic(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = PipLines.notice(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = CurlLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = AwsCliLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = AptLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = NvidiaSmiLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = ChecksumLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = CudaAssertLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = KilledCommandLines.parse(line, stream, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = ShellErrorLines.parse(line, metadata);   // after the killed command's, whose prefix it shares
    }
    if (nodeOrTool == null) {
      nodeOrTool = PsqlLines.parse(line, metadata);
    }
    if (nodeOrTool == null) {
      nodeOrTool = BlenderLines.status(line, metadata);
    }
    return nodeOrTool;
  }

  /**
   * The formats of loggers nobody configured, and those workers most often give them ({@link
   * LoggerFormats}), after Log4j 2's reports of itself; then glog's and NCCL's.
   */
  private Parsed unconfiguredLoggers(String line, RecordMetadata metadata) {
    Parsed logger = log4j.parse(line, metadata, endsTask);
    if (logger == null) {
      logger = LoggerFormats.javaDefault(line, metadata, endsTask);
    }
    if (logger == null) {
      logger = LoggerFormats.timeThenLevel(line, metadata, endsTask);
    }
    if (logger == null) {
      logger = LevelFirstLines.parse(line, metadata, endsTask);
    }
    if (logger == null) {
      logger = LoggerFormats.loggerThenLevel(line, metadata, endsTask);
    }
    if (logger == null) {
      logger = CppLoggerLines.glog(line, metadata, endsTask);
    }
    if (logger == null) {
      logger = CppLoggerLines.nccl(line, metadata, endsTask);
    }
    return logger;
  }

  /**
   * A line in no format heartlog knows: kept whole, at the level its first word names ({@code
   * Error: ...}, {@link LevelNames#levelWordFirst}) or one near its start ({@link
   * LevelNames#levelNamedNearStart}), else at the stream's. A time in brackets before the message
   * and nothing else heartlog reads (SGLang's main process's lines, {@code [%(asctime)s]
   * %(message)s}) is taken off: before, the line was stored whole, the time in every message.
   */
  private Parsed plain(String line, Level streamDefault, RecordMetadata metadata) {
    int timed = AscTime.afterBracketedTime(line);
    String message = timed > 0 ? line.substring(timed) : line;
    Level named = LevelNames.levelWordFirst(message);
    if (named == null) {
      named = LevelNames.levelNamedNearStart(message);
    }
    if (named == null && FfmpegLines.isBlockLine(line)) {
      // info as its heading is, and still plain: read with its heading, it joins that record
      metadata.put("component", "ffmpeg");
      return new Parsed(Level.INFO, line, null, metadata, false, null, TaskScope.CURRENT, true, false, true);
    }
    Instant at = timed > 0 ? AscTime.instant(line, 1, timed - 3) : null;
    return new Parsed(named == null ? streamDefault : named, message, null, metadata, endsTask.test(message), at,
        TaskScope.CURRENT, named == null, named != null);
  }
}
