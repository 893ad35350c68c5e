package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shapes of {@link TracebackLines} and of each runtime's class beside it ({@link
 * PythonTracebackLines}, {@link NodeErrorLines}, {@link JdkLines}, {@link PanicLines}), written
 * so that no line overflows the stack or is searched again from each of its characters: what
 * each reads, and lines of 60,000 characters made of what each looks for. Before, the long qualified name and the long version overflowed
 * the stack (StackOverflowError); how long the long frames took is measured in BENCHMARKS.md §7,
 * not here.
 */
class TracebackLinesTest {

  private static final int LONG = 30_000;

  @Test
  void theDeadlocksAJvmThreadDumpFound() {
    assertThat(JdkLines.jvmDeadlocksFound("Found 1 deadlock.")).isEqualTo(1);
    assertThat(JdkLines.jvmDeadlocksFound("Found 2 deadlocks.")).isEqualTo(2);
    assertThat(JdkLines.jvmDeadlocksFound("Found one Java-level deadlock:")).isZero();
    assertThat(JdkLines.jvmDeadlocksFound("Found no deadlock.")).isZero();
    assertThat(JdkLines.jvmDeadlocksFound("Found 3 frames.")).isZero();
    assertThat(JdkLines.isJvmThreadDumpLine("Found 2 deadlocks.")).isTrue();
    assertThat(JdkLines.isJvmThreadDumpLine("rendering frame 4")).isFalse();
    assertThat(JdkLines.isJvmThreadDump("Full thread dump Java HotSpot(TM) 64-Bit Server VM (25.402-b06 mixed mode):"))
        .as("Java 8's").isTrue();
  }

  @Test
  void anExceptionLineNamesAQualifiedClassOrAnError() {
    assertThat(TracebackLines.isExceptionLine("java.lang.IllegalStateException: no frames")).isTrue();
    assertThat(TracebackLines.isExceptionLine("org.postgresql.util.PSQLException")).isTrue();
    assertThat(TracebackLines.isExceptionLine("$Proxy12.a_b$c.D1: x")).isTrue();
    assertThat(TracebackLines.isExceptionLine("Exception in thread \"main\" java.lang.Error: boom")).isTrue();
    assertThat(TracebackLines.isExceptionLine("Exception in thread \"a\" \" b\" c.D: \" e")).as("a quote in the name").isTrue();
    assertThat(TracebackLines.isExceptionLine("TypeError [ERR_INVALID_ARG_TYPE]: bad")).isTrue();

    assertThat(TracebackLines.isExceptionLine("a..b: x")).as("an empty name").isFalse();
    assertThat(TracebackLines.isExceptionLine("a.1b: x")).as("a name of a digit first").isFalse();
    assertThat(TracebackLines.isExceptionLine("a.: x")).as("a dot last").isFalse();
    assertThat(TracebackLines.isExceptionLine("a: x")).as("one name, no error").isFalse();
    assertThat(TracebackLines.isExceptionLine("a.b x")).as("no colon after it").isFalse();
    assertThat(TracebackLines.isExceptionLine("worker.rb:3:in `render'")).as("a Ruby frame").isFalse();
  }

  @Test
  void rubysUncaughtExceptionBeginsAStackTraceOfItsFrames() {
    // ruby --backtrace-limit=2: Ruby 3.1.2's lines; 3.4 quotes the method 'Object#render'
    assertThat(TracebackLines.isExceptionLine("app/crash.rb:3:in `render': bad frame 13 (ArgumentError)")).isTrue();
    assertThat(TracebackLines.isExceptionLine("crash.rb:3:in 'Object#render': can't render 'x' (ArgumentError)")).isTrue();
    assertThat(TracebackLines.isFrame("\tfrom app/crash.rb:5:in `block in run'")).isTrue();
    assertThat(TracebackLines.isFrame("\tfrom crash.rb:5:in 'Array#each'")).isTrue();
    assertThat(TracebackLines.isStackContinuation("\t ... 2 levels...")).isTrue();

    assertThat(TracebackLines.isFrame("\tfrom the render queue: 'done'")).as("no file and line").isFalse();
    assertThat(TracebackLines.isExceptionLine("/srv/app/crash.rb:3:in `render'")).as("a frame of a logged backtrace").isFalse();
  }

  @Test
  void aQualifiedNameOfThirtyThousandPartsIsReadWithoutOverflowing() {
    assertThat(TracebackLines.isExceptionLine("a.".repeat(LONG) + "a")).isTrue();
    assertThat(TracebackLines.isExceptionLine("a.".repeat(LONG) + ".a")).isFalse();
    assertThat(TracebackLines.isExceptionLine("Exception in thread \"" + "\" a.".repeat(LONG / 2) + "b: x")).isTrue();
    assertThat(TracebackLines.isExceptionLine("Exception in thread \"" + "\" a.".repeat(LONG / 2) + ": x")).isFalse();
  }

  @Test
  void aFrameIsACallOrAPlace() {
    assertThat(TracebackLines.isFrame("\tat com.example.Render.run(Render.java:42)")).isTrue();
    assertThat(TracebackLines.isFrame("    at render (/app/render.js:12:5)")).isTrue();
    assertThat(TracebackLines.isFrame("    at /app/render.js:12:5")).isTrue();
    assertThat(TracebackLines.isFrame("    at async Promise.all (index 0)")).isTrue();

    assertThat(TracebackLines.isFrame("  at 5 fps")).isFalse();
    assertThat(TracebackLines.isFrame("\tat com.example.Render.run(Render.java:42) and more")).isFalse();
    assertThat(TracebackLines.isFrame("at com.example.Render.run(Render.java:42)")).as("not indented").isFalse();
  }

  @Test
  void longLinesOfWhatAFrameHasAreReadToTheirEnd() {
    assertThat(TracebackLines.isFrame("  at " + " (".repeat(LONG))).isFalse();
    assertThat(TracebackLines.isFrame("  at " + "a(".repeat(LONG))).isFalse();
    assertThat(TracebackLines.isFrame("  at " + " (".repeat(LONG) + ")")).isTrue();
    assertThat(TracebackLines.isFrame("  at " + "a:1".repeat(LONG))).isTrue();
    assertThat(TracebackLines.isFrame("  at " + "( ".repeat(LONG) + "1")).isFalse();
  }

  @Test
  void theShapesOfThisReleaseReadLongLinesOfWhatTheyLookForToTheirEnd() {
    assertThat(TracebackLines.isFrame("    at x (node:net:1611:16) {")).as("Node.js's last frame before properties").isTrue();
    assertThat(TracebackLines.isFrame("  at " + "a:1".repeat(LONG) + " {")).isTrue();
    assertThat(TracebackLines.isFrame("  at " + " {".repeat(LONG))).isFalse();
    assertThat(NodeErrorLines.isNodeWarning("(node:42) [DEP0005] DeprecationWarning: x")).isTrue();
    assertThat(NodeErrorLines.isNodeWarning("(node:42) " + "A".repeat(LONG * 2) + ": x")).isFalse();
    assertThat(NodeErrorLines.isNodeWarning("(node:42) " + "A".repeat(LONG * 2) + "Warning: x")).isTrue();
    assertThat(PythonTracebackLines.isPythonStackDump("Current thread 0x00007f [python3] (most recent call first):"))
        .isTrue();
    assertThat(PythonTracebackLines.isPythonStackDump("Thread 0x1 " + "(".repeat(LONG * 2) + " (most recent call first):"))
        .isTrue();
    assertThat(PythonTracebackLines.isPythonStackDump("Thread 0x1 " + "(".repeat(LONG * 2))).isFalse();
    assertThat(PythonTracebackLines.isPythonStackDump("Timeout (0:05:00.500000)!")).isTrue();
    assertThat(PythonTracebackLines.isPythonTracebackHeader("Exception in thread Thread-1 (render):")).isTrue();
    assertThat(PythonTracebackLines.isPythonTracebackHeader("Exception in thread \"main\" java.lang.Error:"))
        .as("the JVM's").isFalse();
  }

  @Test
  void aGoPanicsLinesAndNodesVersion() {
    assertThat(PanicLines.isGoPanicLine("main.(*Queue).claim(0xc000012345)")).isTrue();
    assertThat(PanicLines.isGoPanicLine("goroutine 1 [running]:")).isTrue();
    // a signal's dump: its first line, the place it came, the registers
    assertThat(PanicLines.isGoPanic("SIGQUIT: quit")).isTrue();
    assertThat(PanicLines.isGoPanic("SIGSEGV: segmentation violation")).isTrue();
    assertThat(PanicLines.isGoPanic("SIGTERM: shutting down")).isFalse();
    assertThat(PanicLines.isGoPanicLine("PC=0x45ef63 m=0 sigcode=0")).isTrue();
    assertThat(PanicLines.isGoPanicLine("rflags 0x286")).isTrue();
    assertThat(PanicLines.isGoPanicLine("rax    0xfffffffffffffffc")).isTrue();
    assertThat(PanicLines.isGoPanicLine("rendering 0x2")).isFalse();
    assertThat(PanicLines.isGoPanicLine("main.claim(0xc000012345) and more")).isFalse();
    assertThat(PanicLines.isGoPanicLine("a(".repeat(LONG))).isFalse();
    assertThat(PanicLines.isGoPanicLine("a(".repeat(LONG) + ")")).isTrue();

    assertThat(TracebackLines.isStackContinuation("Node.js v20.11.1")).isTrue();
    assertThat(TracebackLines.isStackContinuation("Node.js v20")).isTrue();
    assertThat(TracebackLines.isStackContinuation("Node.js v20..1")).isFalse();
    assertThat(TracebackLines.isStackContinuation("Node.js v20.")).isFalse();
    assertThat(TracebackLines.isStackContinuation("Node.js v1" + ".1".repeat(LONG))).isTrue();
  }

  /** What a runtime prints as its program dies of an exception nothing caught, and what it prints else. */
  @Test
  void anUncaughtCrashIsToldByTheLineItsRuntimeMarksItWith() {
    assertThat(TracebackLines.isUncaughtCrash("Exception in thread \"main\" java.lang.IllegalStateException: oom\n"
        + "\tat W.main(W.java:17)")).as("the JVM's").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("panic: runtime error: index out of range\n\ngoroutine 1 [running]:"))
        .as("Go's").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("thread 'main' panicked at src/main.rs:4:5:\nout of host memory"))
        .as("Rust's").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("app/crash.rb:3:in `render': bad frame 13 (ArgumentError)\n"
        + "\tfrom app/crash.rb:5:in `<main>'")).as("Ruby's").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("/app/worker.js:12\n    ^\n\nError: oom\n    at render (/app/worker.js:12:11)"
        + "\n\nNode.js v20.11.1\n")).as("Node.js's, its version last").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("terminate called after throwing an instance of 'c10::Error'\n"
        + "  what():  CUDA error: device-side assert triggered")).as("the C++ runtime's").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("terminate called without an active exception"))
        .as("the C++ runtime's, over no exception").isTrue();
    assertThat(TracebackLines.isUncaughtCrash("Fatal Python error: Segmentation fault\n\n"
        + "Current thread 0x00007fe1cee33b80 (most recent call first):\n  File \"w.py\", line 8 in <module>"))
        .as("Python's faulthandler's").isTrue();

    assertThat(TracebackLines.isUncaughtCrash("java.lang.IllegalStateException: oom\n\tat W.main(W.java:17)"))
        .as("a logged Java exception").isFalse();
    assertThat(TracebackLines.isUncaughtCrash("Error: oom\n    at render (/app/worker.js:12:11)"))
        .as("a logged Node.js error").isFalse();
    assertThat(TracebackLines.isUncaughtCrash("Error: oom\n    at render (/app/worker.js:12:11)\nNode.js v20."))
        .as("no version").isFalse();
    assertThat(TracebackLines.isUncaughtCrash("terminate called after the render of frame 12\nframe 13"))
        .as("a worker's line that begins as the C++ runtime's").isFalse();
    assertThat(TracebackLines.isUncaughtCrash("Thread 0x00007fe1cee33b80 (most recent call first):\n"
        + "  File \"w.py\", line 8 in <module>")).as("a stack faulthandler dumped of a worker that runs on").isFalse();
    assertThat(TracebackLines.isUncaughtCrash("Traceback (most recent call last):\nValueError: x"))
        .as("Python's, told by its message").isFalse();
  }
}
