package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CUDA kernel's failed assertion, which the CUDA runtime prints once for every GPU thread that
 * failed it, PyTorch's device-side assert (an index out of range in an embedding, a label beyond
 * the classes of a loss):
 *
 * <pre>
 * /pytorch/aten/src/ATen/native/cuda/IndexKernel.cu:92: operator(): block: [0,0,0], thread: [5,0,0] Assertion `-sizes[i] &lt;= index &amp;&amp; index &lt; sizes[i] &amp;&amp; "index out of bounds"` failed.
 * </pre>
 *
 * A line is a WARNING, component {@code cuda}, its message the line without the block and thread
 * ({@code .../IndexKernel.cu:92: operator(): Assertion `...` failed.}): the lines of one
 * assertion are then repeats of one record, which {@link RepeatedLines} counts rather than
 * stores. Before, each line was a record of its own, 64 to thousands of them before the {@code
 * RuntimeError: CUDA error: device-side assert triggered} that says what they meant. That error
 * is the failure, and counts once: an ERROR a line, 10 of them stored and a count, made one
 * failure 12 errors in the fleet's count, and a WARNING of the line's own would take the
 * traceback after it for its own, as a logger's warning does. So the level is not the line's
 * own, and the traceback stays the error it is.
 */
final class CudaAssertLines {

  private static final Pattern ASSERTION = Pattern.compile(
      "(?<where>\\S+:\\d+: .+?): block: \\[\\d+,\\d+,\\d+\\], thread: \\[\\d+,\\d+,\\d+\\] (?<assertion>Assertion `.*` failed\\.)");

  private CudaAssertLines() {}

  /** A line of a CUDA kernel's failed assertion, a WARNING without its block and thread; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (!line.endsWith("` failed.") || !line.contains(": block: [")) {
      return null;   // most lines: checked before the expression
    }
    Matcher matcher = ASSERTION.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    metadata.put("component", "cuda");
    return new ChildLineParser.Parsed(Level.WARNING, matcher.group("where") + ": " + matcher.group("assertion"), null,
        metadata, false, null, ChildLineParser.TaskScope.CURRENT, false, false);
  }
}
