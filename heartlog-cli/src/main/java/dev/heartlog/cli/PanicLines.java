package dev.heartlog.cli;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What compiled programs print as they die: a Go program's panic, fatal error or dump on a
 * signal, a Rust program's panic and backtrace (and anyhow's report), and the C++ runtime's
 * abort over an exception nothing caught, with PyTorch's C++ stack. Written as {@link
 * TracebackLines} says.
 */
final class PanicLines {

  /**
   * The lines of a Go program's panic, fatal error or dump on a signal after its first ({@code
   * panic: runtime error: ...}): goroutine headers ({@code goroutine 1 [running]:}), calls
   * ({@code main.(*Queue).claim(0xc000012345)}) each over its place ({@code \t/app/queue.go:42
   * +0x1d}), {@code [signal SIGSEGV: ...]}, {@code created by ...}, {@code exit status 2} from
   * {@code go run}; a signal's dump's {@code PC=0x45ef63 m=0 sigcode=0} and registers' values
   * ({@code rax    0x0}, {@code rflags 0x286}).
   */
  private static final Pattern GO_PANIC = Pattern.compile(
      "goroutine \\d+ .*:|\\[signal .*]|\t.*|created by .*|exit status \\d+|panic: .*"
          + "|\\.\\.\\.additional frames elided\\.\\.\\.|PC=0x\\p{XDigit}+ .*|[a-z][a-z0-9]{1,6} +0x\\p{XDigit}+");

  /**
   * The first line of a Go program's dump of every goroutine's stack as it dies of a signal, as
   * Go's runtime names the signals it dies of ({@code runtime/sigtab_linux_generic.go}): {@code
   * SIGQUIT: quit} ({@code kill -QUIT}, as one asks a hung Go worker what it is doing), {@code
   * SIGABRT: abort}, {@code SIGSEGV: segmentation violation} in C code. A worker's own {@code
   * SIGTERM: shutting down} is no such line.
   */
  private static final Set<String> GO_SIGNALS = Set.of("SIGQUIT: quit", "SIGILL: illegal instruction",
      "SIGTRAP: trace trap", "SIGABRT: abort", "SIGBUS: bus error", "SIGFPE: floating-point exception",
      "SIGSEGV: segmentation violation", "SIGSTKFLT: stack fault", "SIGSYS: bad system call");

  /**
   * A Go function's name as zap's stack names it, without arguments ({@code main.main}, {@code
   * main.(*Queue).claim}, {@code github.com/acme/render.Run.func1}).
   */
  private static final Pattern GO_FUNCTION = Pattern.compile("[A-Za-z_][\\w./*()\\[\\]-]*\\.[\\w*()\\[\\]-]+");

  /** A call among those lines, {@code main.(*Queue).claim(0xc000012345)}: it ends with ")". */
  private static final Pattern GO_CALL = Pattern.compile("\\S+\\(.*\\)");

  /**
   * What the C++ runtime (libstdc++) prints as it aborts a program over an exception nothing
   * caught: {@code terminate called after throwing an instance of 'c10::Error'}, the type in
   * {@code type}; or over none ({@code terminate called without an active exception}, a thread
   * left joinable; {@code terminate called recursively}). PyTorch's C++ aborts so, a CUDA error
   * in a destructor or a thread of its own.
   */
  private static final Pattern CPP_TERMINATE = Pattern.compile(
      "terminate called (?:after throwing an instance of '(?<type>.+)'|without an active exception|recursively)");

  /** The line after {@link #CPP_TERMINATE} with the exception's {@code what()}. */
  static final String CPP_WHAT = "  what():  ";

  /**
   * The lines of a C++ exception's stack as PyTorch's {@code c10::Error} prints them below its
   * message: {@code Exception raised from insert_events at ../c10/cuda/CUDACachingAllocator.cpp:569
   * (most recent call first):}, then {@code frame #0: c10::Error::Error(...) + 0x96 (0x7e3a... in
   * .../libc10.so)}.
   */
  private static final Pattern CPP_STACK = Pattern.compile(
      "Exception raised from .* \\(most recent call first\\):|frame #\\d+: .*");

  /**
   * A Rust program's panic: {@code thread 'main' panicked at src/main.rs:2:5:}, with the thread's
   * id since Rust 1.88 ({@code thread 'main' (4242) panicked at ...}), or the message before the
   * place before Rust 1.73 ({@code thread 'main' panicked at 'index out of bounds', ...}).
   */
  private static final Pattern RUST_PANIC = Pattern.compile("thread '.*'(?: \\(\\d+\\))? panicked at .*");

  /** The lines after a Rust panic's message: its backtrace, and Rust's notes on getting one. */
  private static final Pattern RUST_BACKTRACE = Pattern.compile("stack backtrace:|\\s+\\d+: .*|\\s+at .*|note: .*");

  private PanicLines() {}

  static boolean isGoPanic(String text) {
    return text.startsWith("panic: ") || text.startsWith("fatal error: ")
        || GO_SIGNALS.contains(text);
  }

  /** A line of a Go function's name alone ({@link #GO_FUNCTION}), as zap's stack begins. */
  static boolean isGoFunction(String text) {
    return !text.isEmpty() && !Character.isWhitespace(text.charAt(0)) && GO_FUNCTION.matcher(text).matches();
  }

  static boolean isGoPanicLine(String text) {
    return GO_PANIC.matcher(text).matches() || text.endsWith(")") && GO_CALL.matcher(text).matches();
  }

  /** Whether the line is the C++ runtime's as it aborts ({@link #CPP_TERMINATE}). */
  static boolean isCppTerminate(String text) {
    return text.startsWith("terminate called ") && CPP_TERMINATE.matcher(text).matches();
  }

  /**
   * The message of a C++ abort's record: the exception's type and its {@code what()}, as a JVM's
   * exception line names them ({@code c10::Error: CUDA error: device-side assert triggered}, {@code
   * std::bad_alloc: std::bad_alloc}); its first line where {@code what()} says nothing. The store
   * names the exception of a task's failure so too ({@code task-summaries.sql}).
   */
  static String cppExceptionMessage(String terminateLine, String what) {
    Matcher matcher = CPP_TERMINATE.matcher(terminateLine);
    if (what.isEmpty() || !matcher.matches() || matcher.group("type") == null) {
      return terminateLine;
    }
    return matcher.group("type") + ": " + what;
  }

  /** Whether the line is of the stack PyTorch prints below a C++ exception's message ({@link #CPP_STACK}). */
  static boolean isCppStackLine(String text) {
    return (text.startsWith("frame #") || text.startsWith("Exception raised from ")) && CPP_STACK.matcher(text).matches();
  }

  static boolean isRustPanic(String text) {
    return text.startsWith("thread '") && RUST_PANIC.matcher(text).matches();
  }

  /**
   * A heading of the report anyhow prints of the error a Rust program's {@code main} returned:
   * {@code Caused by:} over the error's causes, {@code Stack backtrace:} over its frames.
   */
  static boolean isRustReportHeading(String text) {
    return text.equals("Caused by:") || text.equals("Stack backtrace:");
  }

  static boolean isRustBacktraceLine(String text) {
    return RUST_BACKTRACE.matcher(text).matches();
  }
}
