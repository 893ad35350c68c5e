package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One of a wrapped worker's two streams as heartlog run reads it, on a thread of its own: each
 * read is passed on to the stream's echo byte for byte, split into the lines a terminal shows
 * ({@link TerminalLines}), and each line is read by the readers of its format ({@link
 * RichLogLines}, then those of records that span lines, {@link RecordsOfLines}, then {@link
 * ChildLineParser}) and handed, with the time it was read, to the stream's {@link Tracebacks}.
 * What the two streams share, the current task and what the worker's exit is told, is {@link
 * WorkerLines}'.
 */
final class WorkerStream {

  private final WorkerLines worker;
  /** {@code stdout} or {@code stderr}: the records' {@code stream}. */
  private final String name;
  private final ChildLineParser parser;
  /** heartlog's credentials, masked wherever the worker prints one. */
  private final WorkerSecrets secrets;
  /** The task each line is filed under, shared by the two streams. */
  private final LineTasks tasks;
  /** The crash reports Blender names as it crashes, shared by the two streams. */
  private final CrashReports crashReports;
  /** The stream's tracebacks, and the ERROR line each may be holding, apart for each process. */
  private final ProcessTracebacks tracebacks;
  /** The stream's floods of one record, counted. */
  private final RepeatedLines repeats;
  /** What waits in this stream's pipe while the other is read (StreamBacklog). */
  private final StreamBacklog backlog = new StreamBacklog();
  private final StreamTimes times = new StreamTimes();

  // The readers of the stream's lines, each keeping what it needs of the lines before.
  private final RichLogLines rich = new RichLogLines();
  private final VllmLines vllm;
  private final PyTorchLogLines torch;
  private final WandbLines wandb;
  private final LightningLines lightning;
  private final LlamaCppLines llama = new LlamaCppLines();
  private final ErrorReportLines errorReports = new ErrorReportLines();
  private final GitLines git = new GitLines();
  private final NpmLines npm = new NpmLines();
  private final JvmLauncherLines jvm = new JvmLauncherLines();
  private final ArchiveLines archives = new ArchiveLines(System::nanoTime, WorkerLines.TRACEBACK_QUIET.toNanos());
  private final ComfyUiLines comfyUi = new ComfyUiLines(System::nanoTime, WorkerLines.TRACEBACK_QUIET.toNanos());
  private final RunPodLines runPod = new RunPodLines();
  private final OpenTelemetryConsoleLines openTelemetry = new OpenTelemetryConsoleLines();
  private final ProcfileReports procfiles = new ProcfileReports();
  private final BlenderLines.Frames blender = new BlenderLines.Frames();
  private final ShellErrorLines.SyntaxErrors syntaxErrors = new ShellErrorLines.SyntaxErrors();
  private final TerminalLines lines;

  // Set by prepare, before the thread starts.
  /** The level of a line that names none. */
  private Level streamDefault;
  private MessageLines message;
  /**
   * The levels of the lines the worker wrote to the other stream, where another program passes
   * them on on this one with the stream named (PM2's {@code type=error} on stdout).
   */
  private MessageLines passedOn;
  private OutputStream echo;
  private Thread thread;
  // Set by readFrom, before the thread starts.
  private InputStream source;
  private StreamBacklog otherBacklog;

  // The stream's thread's alone.
  private long reads;     // how many reads so far
  private long readAt;    // System.nanoTime() as the last read returned
  /**
   * The time the last read's lines are filed at: {@link #readAt}, or just before a read of the
   * other stream while they waited in the pipe (StreamBacklog).
   */
  private long filedAt;
  /**
   * The read the line being read began in, where it began in one before this: print(text) writes
   * the text and its line end apart, and the last line of a document printed so is still of the
   * write, and the read, its lines came in. 0 where the line began in this read.
   */
  private long begunIn;
  private long begunAt;   // when that read returned (its filedAt)

  /**
   * @param worker what the two streams share
   * @param records where the stream's records go once its floods are counted and its tracebacks
   *     joined
   * @param repeatGap how soon after the one before a repeat of a record is counted, in
   *     nanoseconds; negative to record every repeat
   */
  WorkerStream(WorkerLines worker, String name, ChildLineParser parser, WorkerSecrets secrets, LineTasks tasks,
      CrashReports crashReports, Tracebacks.Sink records, long repeatGap) {
    this.worker = worker;
    this.name = name;
    this.parser = parser;
    this.secrets = secrets;
    this.tasks = tasks;
    this.crashReports = crashReports;
    this.repeats = new RepeatedLines(records, WorkerLines.REPEATS_RECORDED, repeatGap,
        WorkerLines.PROGRESS_INTERVAL.toNanos(), System::nanoTime);
    this.tracebacks = new ProcessTracebacks(crashReports.waitingForReports(name, repeats),
        WorkerLines.TRACEBACK_QUIET.toNanos(), WorkerLines.MAX_LINE_CHARS);
    this.vllm = new VllmLines(parser);
    this.torch = new PyTorchLogLines(parser);
    this.wandb = new WandbLines(parser);
    this.lightning = new LightningLines(parser);
    // Its clock: the reads' times.
    this.lines = new TerminalLines(this::expandedLine, () -> readAt, WorkerLines.PROGRESS_INTERVAL.toNanos(),
        WorkerLines.MAX_LINE_CHARS);
  }

  ProcessTracebacks tracebacks() {
    return tracebacks;
  }

  RepeatedLines repeats() {
    return repeats;
  }

  /**
   * Makes the stream's reader, passing what it reads on to {@code echo}, before the worker
   * starts: made after, the readers began to read 24-42 ms after the worker did, and what it
   * printed first was read, and timed, only then.
   *
   * @param streamDefault the level of a line that names none
   */
  void prepare(OutputStream echo, Level streamDefault) {
    this.echo = echo;
    this.streamDefault = streamDefault;
    this.message = new MessageLines(streamDefault);
    this.passedOn = new MessageLines(name.equals("stdout") ? parser.stderrLevel() : Level.INFO);
    this.thread = new Thread(this::read, "heartlog-run-" + name);
  }

  /** The stream to read, once the worker has started, and the other stream, read beside it. */
  void readFrom(InputStream stream, WorkerStream other) {
    source = stream;
    otherBacklog = other.backlog;
    backlog.readFrom(stream);
  }

  /** Starts reading ({@link #prepare} and {@link #readFrom} first). */
  void start() {
    thread.start();
  }

  /** Waits at most {@code millis} for the stream to end and its lines to be handed on. */
  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** Waits for the stream to end and its lines to be handed on. */
  void join() throws InterruptedException {
    thread.join();
  }

  private void read() {
    try (InputStream stream = source) {
      byte[] chunk = new byte[8192];
      while (true) {
        int read = stream.read(chunk, 0, backlog.readLength(chunk.length));
        if (read < 0) {
          break;
        }
        readAt = System.nanoTime();   // before the echo, which a slow terminal may hold up
        otherBacklog.otherRead(readAt);   // what waits there now was written before this
        filedAt = backlog.filedAt(read, readAt);
        reads++;
        // Passed on byte for byte: text in any encoding, carriage returns (a progress bar still
        // redraws in place), even a video written to stdout. Flushed as soon as the worker
        // pauses, not a system call a line.
        echo.write(chunk, 0, read);
        if (stream.available() == 0) {
          echo.flush();
        }
        tracebacks.reading(true, System.nanoTime(), false);
        try {
          lines.accept(chunk, 0, read);
        } finally {
          boolean midLine = lines.midLine();
          if (midLine && begunIn == 0) {
            begunIn = reads;
            begunAt = filedAt;
          }
          tracebacks.reading(false, System.nanoTime(), midLine);
        }
      }
      lines.end();
      runPod.end().forEach(line -> line(line, false, false, 0));
      openTelemetry.end().forEach(line -> line(line, false, false, 0));
      echo.flush();
    } catch (IOException e) {
      worker.stoppedReading(name, e);
    } finally {
      worker.streamEnded(name, tracebacks, readAt);
      repeats.end();
      crashReports.end(name);
    }
  }

  /**
   * A line as the terminal shows it, read as the lines that stand for it where it is part of a
   * document that holds them (RunPod's error, whose traceback is read as one; OpenTelemetry's
   * record, read as one line).
   */
  private void expandedLine(String printed, boolean progress, boolean crlf, long heldNanos) {
    List<String> expanded = null;
    if (!progress) {
      String stripped = printed.stripTrailing();
      expanded = runPod.expand(stripped);
      if (expanded == null) {
        expanded = openTelemetry.expand(stripped);
      }
    }
    if (expanded == null) {
      line(printed, progress, crlf, heldNanos);
    } else {
      expanded.forEach(line -> line(line, false, crlf, heldNanos));
    }
  }

  /**
   * A line as the terminal shows it; {@code progress} where it was redrawn with carriage returns
   * (tqdm, ffmpeg): INFO on either stream, whatever the stream's default, and kind "progress".
   */
  private void line(String printed, boolean progress, boolean crlf, long heldNanos) {
    long read = begunIn != 0 ? begunIn : reads;
    // A line is the worker's from the moment its first part was read, not from when its parsing
    // ended (ChildLineParser): the other stream's lines may be parsed meanwhile. A progress
    // display's state held until the display ended is from the read it came in.
    long readNanos = heldNanos > 0 ? readAt - heldNanos : begunIn != 0 ? begunAt : filedAt;
    begunIn = 0;
    // Colours stay on the terminal, not in the record; so do the spaces that pad a line's end
    // (structlog's console pads every message to a column).
    String line = secrets.mask(AnsiEscapes.strip(printed).stripTrailing());
    try {
      String text = BlenderLines.withoutPythonReport(line);   // its traceback, read as one
      text = LogbackStatusLines.unprefixed(text);   // its report's exception, read as a JVM's stack trace
      text = JavaConsoleLines.unprefixed(text);   // Dropwizard's exception, read so too
      String process = vllm.process(text);
      String stream = name;
      if (process != null) {
        text = vllm.withoutProcess(text);
        stream = vllm.stream(name);   // PM2's type=error: the worker's stderr, passed on on stdout
      }
      MessageLines messages = stream.equals(name) ? message : passedOn;
      ChildLineParser.Parsed parsed = rich.parse(text, stream);
      RecordsOfLines reader = null;   // the reader of the line, where its record may be several lines
      boolean afterSaved = blender.takeSaved();
      boolean sourceOfSyntaxError = syntaxErrors.continues(text);
      Tracebacks lineTracebacks = tracebacks.unnamed();
      if (parsed == null) {
        parsed = vllm.parse(text, stream, crlf);
        if (parsed != null) {
          text = parsed.message();   // vLLM prints its prefix on a traceback's every line too
          reader = vllm;
        } else if (process != null) {
          // A line a process printed itself, a traceback's of a crash: read apart from the other
          // processes', whose lines may come between its lines.
          lineTracebacks = tracebacks.of(process);
          if (vllm.runnersReport()) {
            lineTracebacks.end();   // foreman's "exited with code 3" is no more of the process's exception
          }
        }
        if (vllm.beginsRecord() && lineTracebacks == tracebacks.unnamed()) {
          lineTracebacks.end();   // a record of its own, not more of what came before
        }
      }
      if (parsed == null) {
        parsed = torch.parse(text, stream, process);
        if (parsed != null) {
          text = parsed.message();   // PyTorch prints its prefix on a traceback's every line too
          reader = torch;
        }
      }
      if (parsed == null) {
        parsed = wandb.parse(text, stream);
        if (parsed != null) {
          text = parsed.message();   // "wandb: " alone says nothing, and is no record
          reader = wandb;
        }
      }
      if (parsed == null) {
        parsed = lightning.parse(text, stream);
        if (parsed != null) {
          text = parsed.message();   // the rank's prefix aside; the rules of its banner say nothing
        }
        reader = lightning;
      }
      if (parsed == null) {
        parsed = errorReports.parse(text, stream);
        if (parsed != null) {
          text = parsed.message();   // its traceback is read without the indent the report gives it
          reader = errorReports;
        }
      }
      if (parsed == null) {
        parsed = llama.parse(text, stream);
        if (parsed != null) {
          text = parsed.message();   // ggml's abort is read after the level's letter
          reader = llama;
        }
      }
      if (parsed == null) {
        parsed = npm.parse(text, stream);
        reader = npm;
      }
      if (parsed == null) {
        parsed = git.parse(text, stream, read, messages.continuesRecord(read));
        reader = git;
      }
      if (parsed == null) {
        parsed = jvm.parse(text, stream);
        reader = jvm;
      }
      if (parsed == null) {
        parsed = archives.parse(text, stream);
        reader = archives;
      }
      if (parsed == null) {
        parsed = comfyUi.parse(text, stream);
        reader = comfyUi;
      }
      boolean continuesRecord = parsed != null && reader != null && reader.continuesRecord();
      boolean moreFollows = parsed != null && reader != null && reader.moreFollows();
      if (parsed == null) {
        Level level = progress ? Level.INFO : rich.levelFor(text, messages.defaultLevel(read));
        text = rich.unindent(text);
        parsed = parser.parse(text, level, stream);
        if (parser.formatMatchedNoneOf(WorkerLines.LINES_BEFORE_FORMAT_UNUSED)) {
          worker.formatUnused(parser.formatOption());
        }
        // Blender's "Saved: '...'" and the " Time: ..." it prints after it are one record, in
        // one read or two.
        // So are bash's syntax error and the source line it prints below it.
        continuesRecord = afterSaved && BlenderLines.isSaveTime(text) || sourceOfSyntaxError;
        moreFollows = blender.read(text, parsed.metadata()) | syntaxErrors.read(text);
        String signal = KilledCommandLines.reportedSignal(parsed);
        if (signal != null) {
          parsed = worker.commandKilled(parsed, signal);
        }
      }
      if (process != null) {
        parsed.metadata().put("process", process);
        if (parsed.plain() && (vllm.runnersReport() || process.equals("system"))) {
          parsed = procfiles.read(process, parsed);   // foreman's "exited with code 3" before it stopped the rest
        }
      }
      if (progress) {
        parsed.metadata().putIfAbsent("kind", "progress");
      }
      Tracebacks.Line arrived = tasks.arrive(parsed, readNanos, times);
      Path crashReport = CrashReports.named(text);
      if (crashReport != null) {
        crashReports.line(name, arrived, crashReport);   // recorded once the report is written
        return;
      }
      // A level given by the line's shape is the line's alone (ffmpeg's lines at info).
      Level carried = parsed.levelByShape() ? messages.streamDefault() : parsed.level();
      if (parsed.plain() && !progress && messages.continuesRecord(read) && lineTracebacks.furtherLine(arrived, text)) {
        messages.took(carried, read);   // a line after it may be more of the message too
        return;
      }
      // The command a shell traced prints its own lines: no more of the trace's line, and at the
      // stream's level ("ls: cannot access ..." after "+ ls /data" was INFO).
      boolean traced = ShellTraceLines.KIND.equals(parsed.metadata().get("kind"));
      // Nor is a line written after a JSON object that was a record more of its message: the
      // object holds all of it ("rendering done", print()ed after a JSON logger's line in the
      // same write, joined the record's message).
      boolean whole = !parsed.plain() && text.startsWith("{\"") && text.endsWith("}");
      messages.took(traced || whole ? null : carried, read);
      lineTracebacks.line(arrived, text, continuesRecord, moreFollows);
    } catch (UserPattern.TooSlow e) {
      worker.tooSlow(name, e);
      keepAsPrinted(line, readNanos);
    } catch (RuntimeException | StackOverflowError e) {
      // A reader's mistake must not end the reading: the pipe would close with the thread, the
      // worker's next print fail, and every later line be lost. The line is kept as printed. A
      // regular expression too deep for the thread's stack is such a mistake too (30,000 "a."
      // did it once); the stack is whole again once the error has come up to here.
      worker.unreadable(name, line, e);
      keepAsPrinted(line, readNanos);
    }
  }

  /** Records a line that could not be read in its format as printed, at the stream's level. */
  private void keepAsPrinted(String line, long readNanos) {
    RecordMetadata metadata = new RecordMetadata(1);
    metadata.put("stream", name);
    tracebacks.unnamed().line(tasks.arrive(new ChildLineParser.Parsed(streamDefault, line, null, metadata, false, null,
        ChildLineParser.TaskScope.CURRENT, false, false), readNanos, times), line);
  }

  /**
   * The times of one stream's lines, each after the one before it: the lines of one read share
   * its time, and the store orders a worker's records by their times.
   */
  static final class StreamTimes {
    private Instant last = Instant.MIN;

    Instant after(Instant at) {
      last = at.isAfter(last) ? at : last.plusNanos(1_000);   // the store keeps microseconds
      return last;
    }
  }
}
