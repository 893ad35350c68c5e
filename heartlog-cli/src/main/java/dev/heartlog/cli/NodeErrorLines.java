package dev.heartlog.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Node.js prints, line by line, when a program fails or warns: an uncaught error's place,
 * source line and caret above its stack and its version below, an error printed in brackets or
 * after other words, {@code console.trace}'s line, its warnings, and V8's fatal error as the heap
 * runs out. Written as {@link TracebackLines} says.
 */
final class NodeErrorLines {

  /**
   * An error Node.js prints in brackets, one whose stack has no frames (a file system call's
   * {@code [Error: ENOENT: no such file or directory, open 'model.bin'] {}, with its properties
   * in braces below; {@code [AggregateError: All promises were rejected] {}): the error's line.
   */
  private static final Pattern NODE_BRACKETED = Pattern.compile("\\[(?<error>[^\\s\\[].*)\\](?: \\{)?");

  /**
   * A Node.js error printed after other words on its line, as {@code console.error("render
   * failed:", err)} prints it ({@code render failed: Error: CUDA device lost}): the error's line
   * is from the first word that names an error ({@code Error}, {@code TypeError [ERR_...]}).
   */
  private static final Pattern EMBEDDED_ERROR = Pattern.compile(
      ".*?\\s((?:[A-Z][\\w$]*)?(?:Error|Exception)(?: \\[\\w+])?(?::\\s.*)?)");

  /** What Node.js's {@code console.trace("slow frame 3")} prints above the frames it was called from. */
  static final String NODE_TRACE = "Trace: ";

  /** Node.js's first line of an uncaught error: where it was thrown ({@code /app/render.js:12}). */
  private static final Pattern NODE_LOCATION = Pattern.compile("(?:/|file://|node:)\\S*:\\d+");

  /**
   * The first line of Node.js's report of a fatal error when its heap ran out: the garbage
   * collector's last runs, the JavaScript stack, {@code FATAL ERROR: Reached heap limit Allocation
   * failed - JavaScript heap out of memory}, and the native stack.
   */
  static final String NODE_FATAL_GCS = "<--- Last few GCs --->";
  /** The line of Node.js's (V8's) fatal error that says what it was. */
  static final String NODE_FATAL = "FATAL ERROR: ";
  /** A garbage collector's run in that report: {@code [14674:0x1ebd0ca0]      180 ms: Mark-Compact 24.3 (41.3) -> ...}. */
  private static final Pattern NODE_GC_RUN = Pattern.compile("\\[\\d+:0x[0-9a-f]+\\] .*");
  /** A frame of its native stack: {@code  1: 0xb78db3 node::OOMErrorHandler(...) [node]}, {@code 11: 0x128ed12  [node]}. */
  private static final Pattern NODE_NATIVE_FRAME = Pattern.compile(" *\\d{1,4}: 0x[0-9a-f]+ .*");

  /** A warning of Node.js's ({@code process.emitWarning}, deprecations), with its code or without. */
  private static final Pattern NODE_WARNING = Pattern.compile("\\(node:\\d+\\) (?:\\[\\w+] )?(?:[A-Z]\\w*)?Warning: .*");

  /** The caret Node.js prints under the throwing line of source. */
  private static final Pattern CARET = Pattern.compile("\\s*\\^+\\s*");

  /** Node.js's last line of an uncaught error: {@code Node.js v20.11.1}. */
  private static final Pattern NODE_VERSION = Pattern.compile("Node\\.js v(?![\\d.]*\\.(?!\\d))\\d[\\d.]*");

  private NodeErrorLines() {}

  /** A warning of Node.js's: {@code (node:4242) [DEP0005] DeprecationWarning: Buffer() is deprecated ...}. */
  static boolean isNodeWarning(String text) {
    return text.startsWith("(node:") && NODE_WARNING.matcher(text).matches();
  }

  /**
   * What Node.js prints after its first warning, and after an uncaught value that is no error
   * ({@code throw "oops"}): {@code (Use `node --trace-warnings ...` to show where the warning was
   * created)}.
   */
  static boolean isNodeTraceNote(String text) {
    return text.startsWith("(Use `node --trace-");
  }

  /**
   * The error's line in a line that prints it after other words ({@link #EMBEDDED_ERROR}):
   * {@code Error: CUDA device lost} of {@code render failed: Error: CUDA device lost}; {@code
   * null} where the line names no error. The words looked for first spare most lines the regular
   * expression.
   */
  static String embeddedError(String text) {
    if (!text.contains("Error") && !text.contains("Exception")) {
      return null;
    }
    Matcher embedded = EMBEDDED_ERROR.matcher(text);
    return embedded.matches() ? embedded.group(1) : null;
  }

  /**
   * The error's line of an error Node.js prints in brackets ({@link #NODE_BRACKETED}):
   * {@code Error: ENOENT: ...} of {@code [Error: ENOENT: ...] {}; {@code null} where the line is
   * none. Node.js prints what else it throws otherwise: an array with a space inside its brackets
   * ({@code [ 'frame 3' ]}), an object in braces.
   */
  static String nodeBracketedError(String text) {
    if (!text.startsWith("[") || !(text.endsWith("]") || text.endsWith("] {"))) {
      return null;
    }
    Matcher bracketed = NODE_BRACKETED.matcher(text);
    return bracketed.matches() ? bracketed.group("error") : null;
  }

  /** Node.js's last line of an uncaught error, its version ({@link #NODE_VERSION}). */
  static boolean isNodeVersion(String text) {
    return text.startsWith("Node.js v") && NODE_VERSION.matcher(text).matches();
  }

  static boolean isNodeLocation(String text) {
    return (text.charAt(0) == '/' || text.startsWith("file://") || text.startsWith("node:"))
        && NODE_LOCATION.matcher(text).matches();
  }

  static boolean isCaret(String text) {
    return CARET.matcher(text).matches();
  }

  /** Whether the line begins Node.js's report of its fatal error ({@link #NODE_FATAL_GCS}, or the error itself). */
  static boolean isNodeFatal(String text) {
    return text.equals(NODE_FATAL_GCS) || text.startsWith(NODE_FATAL);
  }

  /**
   * A line of Node.js's report of its fatal error after its first: its headings ({@code <--- JS
   * stacktrace --->}, {@code ----- Native stack trace -----}, older Node.js's {@code ==== JS stack
   * trace ====}), the garbage collector's runs, the stacks' frames, the error, blank lines.
   */
  static boolean isNodeFatalLine(String text) {
    return text.isBlank() || text.startsWith("<--- ") || text.startsWith("----- ") || text.startsWith("==== ")
        || text.startsWith(NODE_FATAL) || text.startsWith("Security context: ") || text.startsWith("    ")
        || NODE_GC_RUN.matcher(text).matches() || NODE_NATIVE_FRAME.matcher(text).matches();
  }
}
