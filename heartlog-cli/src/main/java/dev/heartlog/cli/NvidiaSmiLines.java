package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.List;

/**
 * What {@code nvidia-smi} prints when the GPU worker's machine has lost its GPU: a GPU worker's
 * start script runs it to see its GPUs, and a worker's health check runs it again. Read as any
 * line, each was INFO on stdout (a warning on stderr), and {@code heartlog logs --level error} did
 * not show why every task on the machine failed after. They are ERRORs, {@code component} {@code nvidia-smi},
 * the line as printed:
 *
 * <ul>
 *   <li>{@code NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make
 *       sure that the latest NVIDIA driver is installed and running.} (no driver, or a container
 *       started without the GPU);
 *   <li>{@code Failed to initialize NVML: Unknown Error} (cloud machines after heavy work), {@code
 *       Failed to initialize NVML: Driver/library version mismatch} (a driver upgraded under a
 *       running machine), and the {@code NVML library version: 535.183} that newer drivers print
 *       below it, which joins it where the two came in one read, as a plain line does, and is an
 *       ERROR of its own where not;
 *   <li>{@code Unable to determine the device handle for GPU0000:07:00.0: Unknown Error}, and
 *       {@code ...: GPU is lost. Reboot the system to recover this GPU} (a GPU fallen off the
 *       bus);
 *   <li>{@code No devices were found}.
 * </ul>
 *
 * {@code Failed to initialize NVML: Unknown Error} is the project's fixtures' wording; the others
 * are those of public reports: no machine of this project has a GPU that fails so.
 */
final class NvidiaSmiLines {

  private static final List<String> FAILURES = List.of("NVIDIA-SMI has failed because ", "Failed to initialize NVML: ",
      "Unable to determine the device handle for GPU");
  private static final String NO_DEVICES = "No devices were found";
  private static final String LIBRARY_VERSION = "NVML library version: ";

  private NvidiaSmiLines() {}

  /** A line of nvidia-smi's failure, an ERROR; null for any other line. */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata) {
    if (line.isEmpty() || "NFU".indexOf(line.charAt(0)) < 0) {
      return null;   // most lines: none of these begins so
    }
    if (line.startsWith(LIBRARY_VERSION)) {
      metadata.put("component", "nvidia-smi");
      return new ChildLineParser.Parsed(Level.ERROR, line, null, metadata, false, null, ChildLineParser.TaskScope.CURRENT,
          true, false, true);   // plain: more of the mismatch's error, where it came with it
    }
    if (!line.equals(NO_DEVICES) && FAILURES.stream().noneMatch(line::startsWith)) {
      return null;
    }
    metadata.put("component", "nvidia-smi");
    return new ChildLineParser.Parsed(Level.ERROR, line, null, metadata, false);
  }
}
