package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * ComfyUI's line for a node that failed while a workflow ran, which a GPU worker running ComfyUI
 * prints for every prompt that fails: {@code !!! Exception during processing !!! CUDA error: out
 * of memory} (the exception's message after it; logged as an error with its message alone, on
 * stderr) or {@code !!! Exception during processing !!!} alone (printed on stdout, in earlier
 * versions), and the traceback, written apart, after it. The line names no level: it was a
 * warning on stderr (INFO on stdout), each further line of the exception's message a warning of
 * its own, and the traceback an ERROR of its own, five records for one failure of PyTorch's CUDA
 * errors. It is an ERROR, and so the traceback written right after it goes into its record, as
 * after a logger's ERROR line ({@link Tracebacks}); also where Python took more than a burst to
 * format it (the traceback's first line, within the quiet period, continues the record). Custom
 * nodes print the same words.
 *
 * <p>ComfyUI's reports of a prompt's progress, logged at info with the same format and so a
 * warning each on stderr, two or more a prompt, are INFO: {@code got prompt}, {@code Prompt
 * executed in 71.23 seconds} (or {@code in 00:33:04}), and its model manager's {@code Requested to
 * load WanVAE}, {@code loaded completely; 3037.77 MB usable, ...}, {@code loaded partially ...}
 * and {@code Unloaded partially: 328.28 MB freed, ...}, as public reports of ComfyUI's output
 * show them.
 *
 * <p>A prompt that fails validation (a workflow that names a model the worker does not have, the
 * most common failure of a ComfyUI worker) is logged as errors, a line each: {@code Failed to
 * validate prompt for output 9:}, the node ({@code * CheckpointLoaderSimple 4:}), each reason
 * ({@code   - Value not in list: ckpt_name: 'sdxl.safetensors' not in ['sd15.safetensors']}),
 * and {@code Output will be ignored}. Each was a warning of its own; they are one ERROR, which
 * {@code Output will be ignored}, any other line, or a quiet moment ends.
 *
 * <p>{@code component} is {@code comfyui}. One instance reads one stream.
 */
final class ComfyUiLines extends RecordsOfLines {

  private static final String NODE_FAILED = "!!! Exception during processing !!!";
  /** The beginnings of ComfyUI's reports at info, each but the first followed by more. */
  private static final List<String> REPORTS = List.of("got prompt", "Prompt executed in ", "Requested to load ",
      "loaded completely", "loaded partially", "Unloaded partially: ");
  private static final String VALIDATION_FAILED = "Failed to validate prompt for output ";
  private static final String VALIDATION_END = "Output will be ignored";
  private static final String COMPONENT = "comfyui";

  /** A prompt's validation failure, whose nodes and reasons may follow. */
  private final OpenRecord validation;
  /** A node's failure, whose traceback may follow, written apart. */
  private final OpenRecord nodeFailure;

  /** @param quietNanos how long after its last line a validation failure or a node's may still go on */
  ComfyUiLines(LongSupplier nanoTime, long quietNanos) {
    validation = new OpenRecord(nanoTime, quietNanos);
    nodeFailure = new OpenRecord(nanoTime, quietNanos);
  }

  /**
   * ComfyUI's line of a node that failed or of a prompt that failed validation, an ERROR, or of
   * its progress, INFO; null for any other line.
   */
  ChildLineParser.Parsed parse(String line, String stream) {
    continuesRecord = false;
    moreFollows = false;
    if (validation.isOpen()) {
      validation.ends();
      if (line.startsWith("* ") || line.startsWith("  - ") || line.equals(VALIDATION_END)) {
        continuesRecord = true;
        return lineOfValidation(line, stream);
      }
    }
    if (nodeFailure.isOpen() && line.equals(PythonTracebackLines.PYTHON_START)) {
      nodeFailure.ends();
      continuesRecord = true;   // the failure's traceback, however long Python took to format it
      return record(Level.ERROR, line, stream, COMPONENT);
    }
    if (line.isEmpty() || "!gPRlUF".indexOf(line.charAt(0)) < 0) {
      return null;   // most lines: none of these begins so
    }
    if (line.startsWith(NODE_FAILED)) {
      nodeFailure.goesOn();
      return record(Level.ERROR, line, stream, COMPONENT);
    }
    if (line.startsWith(VALIDATION_FAILED) && line.endsWith(":")) {
      return lineOfValidation(line, stream);
    }
    if (!isReport(line)) {
      return null;
    }
    // INFO by its shape: a line after it that names no level keeps the stream's
    return new ChildLineParser.Parsed(Level.INFO, line, null, metadata(stream, COMPONENT), false, null,
        ChildLineParser.TaskScope.CURRENT, false, true, true);
  }

  /** A record of a line of a validation failure, which stays open unless the line is its last. */
  private ChildLineParser.Parsed lineOfValidation(String line, String stream) {
    moreFollows = !line.equals(VALIDATION_END);
    if (moreFollows) {
      validation.goesOn();
    }
    return record(Level.ERROR, line, stream, COMPONENT);
  }

  private static boolean isReport(String line) {
    if (line.equals(REPORTS.get(0))) {
      return true;
    }
    for (int i = 1; i < REPORTS.size(); i++) {   // a loop, not a stream: it runs for some lines of every worker
      if (line.startsWith(REPORTS.get(i)) && line.length() > REPORTS.get(i).length()) {
        return true;
      }
    }
    return false;
  }
}
