package dev.heartlog.cli;

import java.util.regex.Pattern;

/**
 * What ggml (the tensor library under llama.cpp, whisper.cpp and stable-diffusion.cpp, and so
 * under Ollama, LM Studio and llama-cpp-python) prints as it aborts a program:
 *
 * <pre>
 * CUDA error: out of memory
 *   current device: 0, in function ggml_backend_cuda_buffer_type_alloc_buffer at /app/ggml/src/ggml-cuda/ggml-cuda.cu:650
 *   cudaMalloc((void **) &amp;dev_ptr, size)
 * /app/ggml/src/ggml-cuda/ggml-cuda.cu:88: CUDA error
 * /app/build/bin/libggml-base.so(+0x16b6b)[0x7f3c2a5e6b6b]
 * /app/build/bin/libggml-base.so(ggml_abort+0x152)[0x7f3c2a5e71a2]
 * ...
 * </pre>
 *
 * A failed call of its GPU backend says what failed, where and which call ({@code
 * ggml_cuda_error}: {@code CUDA}, {@code ROCm} or {@code MUSA}); {@code ggml_abort} then prints
 * its place and message ({@code GGML_ASSERT(x) failed} for an assertion) and the stack: gdb's
 * {@code bt} where gdb is installed, else glibc's {@code backtrace_symbols_fd}, a frame a line.
 * {@link Tracebacks} reads it all as one ERROR record, its message the first line; before, each
 * line was a warning of its own (the stack a warning a frame), and the worker's exit named the
 * stack's last frame as its exception.
 */
final class GgmlLines {

  /** {@code ggml_cuda_error}'s first line: the backend's name, and what its runtime said. */
  private static final Pattern BACKEND_ERROR = Pattern.compile("(?:CUDA|ROCm|MUSA) error: \\S.*");

  /** {@code ggml_cuda_error}'s second line: the device, and the function and place that failed. */
  private static final Pattern BACKEND_PLACE = Pattern.compile("  current device: -?\\d+, in function \\S+ at \\S.*:\\d+");

  /**
   * {@code ggml_abort}'s line: a C, C++ or CUDA source file, its line and the message ({@code
   * .../ggml-cuda.cu:88: CUDA error}, {@code .../ggml.c:1234: GGML_ASSERT(n_dims >= 1) failed},
   * a Windows build's {@code C:\...\ggml-cuda.cu:75: CUDA error}).
   */
  private static final Pattern ABORT = Pattern.compile(
      "\\S[^:]*(?::\\\\[^:]*)?\\.(?:c|cc|cpp|cxx|cu|cuh|h|hpp|m|mm):\\d+: \\S.*");

  /**
   * A frame as glibc's {@code backtrace_symbols_fd} prints it: the object, the symbol and offset
   * in parentheses where it has them, the address in brackets ({@code
   * ./llama-server(+0x9b1c2)[0x55d1c0b9b1c2]}, {@code
   * /lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x80)[0x7f3c29e29e40]}; older glibc put a
   * space before the bracket).
   */
  private static final Pattern GLIBC_FRAME = Pattern.compile("\\S+\\([^()\\s]*\\) ?\\[0x\\p{XDigit}+]");

  /**
   * gdb's first lines as it attaches to the aborting process ({@code [New LWP 24456]}, {@code
   * [Thread debugging using libthread_db enabled]}, {@code Using host libthread_db library ...}),
   * and the frames of its {@code bt} ({@code #1  0x00007748fcb70b5b in ggml_print_backtrace ()
   * from .../libggml-base.so.0}).
   */
  private static final Pattern GDB_START = Pattern.compile(
      "\\[New (?:LWP \\d+|Thread 0x\\p{XDigit}+ \\(LWP \\d+\\))]|\\[Thread debugging using libthread_db enabled]"
          + "|Using host libthread_db library .*|#\\d+ +0x\\p{XDigit}+ in .*");

  /** gdb's last line, as it lets the process go on to abort. */
  private static final Pattern GDB_END = Pattern.compile("\\[Inferior \\d+ \\(process \\d+\\) detached]");

  private GgmlLines() {}

  /** Whether the line begins ggml's report of a GPU backend's failed call ({@code CUDA error: out of memory}). */
  static boolean isBackendError(String text) {
    return text.length() > 12 && text.charAt(0) <= 'R' && text.charAt(0) >= 'C' && BACKEND_ERROR.matcher(text).matches();
  }

  /** Whether the line is the second of that report: the device, the function and its place. */
  static boolean isBackendPlace(String text) {
    return text.startsWith("  current device: ") && BACKEND_PLACE.matcher(text).matches();
  }

  /** Whether the line may be {@code ggml_abort}'s: a source file's place and a message. */
  static boolean isAbortLine(String text) {
    return abortMessage(text) != null;
  }

  /**
   * Whether the line is {@code ggml_abort}'s as only ggml prints it, a failed assertion or a GPU
   * backend's failed call ({@code .../ggml.c:1234: GGML_ASSERT(n_dims >= 1) failed}, {@code
   * .../ggml-cuda.cu:88: CUDA error}): an error whether or not a stack follows it.
   */
  static boolean isGgmlAbort(String text) {
    if (!text.endsWith(" error") && !text.endsWith(") failed")) {
      return false;   // most lines, before the place is looked for
    }
    String said = abortMessage(text);
    return said != null && (said.startsWith("GGML_ASSERT(") && said.endsWith(") failed") || said.equals("CUDA error")
        || said.equals("ROCm error") || said.equals("MUSA error"));
  }

  /** The message of a line of {@code ggml_abort}'s shape ({@link #ABORT}); null for any other line. */
  private static String abortMessage(String text) {
    int colon = text.indexOf(": ");
    return colon > 2 && Character.isDigit(text.charAt(colon - 1)) && ABORT.matcher(text).matches()
        ? text.substring(colon + 2) : null;
  }

  /** Whether the line is a frame of glibc's {@code backtrace_symbols_fd}. */
  static boolean isGlibcFrame(String text) {
    return text.endsWith("]") && text.indexOf("[0x") > 0 && GLIBC_FRAME.matcher(text).matches();
  }

  /** Whether the line is one of gdb's as it begins to print the process's stack. */
  static boolean isGdbStart(String text) {
    return !text.isEmpty() && (text.charAt(0) == '[' || text.charAt(0) == '#' || text.startsWith("Using host "))
        && GDB_START.matcher(text).matches();
  }

  /** Whether the line is gdb's last, {@code [Inferior 1 (process 24455) detached]}. */
  static boolean isGdbEnd(String text) {
    return text.startsWith("[Inferior ") && GDB_END.matcher(text).matches();
  }
}
