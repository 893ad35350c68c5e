package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;

/**
 * ComfyUI's line for a node that failed while a workflow ran, which a GPU worker running ComfyUI
 * prints for every prompt that fails: {@code !!! Exception during processing !!! CUDA error: out
 * of memory} (the exception's message after it; logged as an error with its message alone, on
 * stderr) or {@code !!! Exception during processing !!!} alone (printed on stdout, in earlier
 * versions), and the traceback, written apart, after it. The line names no level: it was a
 * warning on stderr (INFO on stdout), each further line of the exception's message a warning of
 * its own, and the traceback an ERROR of its own, five records for one failure of PyTorch's CUDA
 * errors. It is an ERROR, and so the traceback written right after it goes into its record, as
 * after a logger's ERROR line ({@link Tracebacks}). Custom nodes print the same words.
 */
final class ComfyUiLines {

  private static final String NODE_FAILED = "!!! Exception during processing !!!";

  private ComfyUiLines() {}

  /** ComfyUI's line of a node that failed, an ERROR; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (!line.startsWith(NODE_FAILED)) {
      return null;
    }
    return new ChildLineParser.Parsed(Level.ERROR, line, null, metadata, false);
  }
}
