package dev.heartlog.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads GPU memory by running {@code nvidia-smi --query-gpu=memory.total,memory.used
 * --format=csv,noheader,nounits}, which prints one {@code total, used} line per GPU the process
 * can see, in index order.
 *
 * <p>Figures of every GPU with readable numbers are summed; a field the driver cannot read
 * ({@code [N/A]}, seen with MIG partitions) leaves that GPU out. A tool that is missing, exits
 * non-zero ({@code Failed to initialize NVML: Unknown Error} on cloud machines after heavy work)
 * or does not answer within the timeout gives a reading of nulls with the reason.
 */
final class NvidiaSmiProbe implements GpuProbe {

  /** How long one reading may take before the tool is killed. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final List<String> ARGUMENTS =
      List.of("--query-gpu=memory.total,memory.used", "--format=csv,noheader,nounits");

  private final String command;
  private final Duration timeout;

  NvidiaSmiProbe(String command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  @Override
  public GpuReading read() {
    List<String> commandLine = new ArrayList<>();
    commandLine.add(command);
    commandLine.addAll(ARGUMENTS);
    Process process;
    try {
      process = new ProcessBuilder(commandLine).redirectErrorStream(true).start();
    } catch (IOException e) {
      return GpuReading.unavailable(command + " not found");
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return GpuReading.unavailable(command + " did not answer within " + timeout.toSeconds() + " s");
      }
      String output = readAll(process.getInputStream());
      if (process.exitValue() != 0) {
        return GpuReading.unavailable(firstLine(output, command + " exited with " + process.exitValue()));
      }
      return parse(output);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return GpuReading.unavailable("interrupted while reading GPU memory");
    } catch (IOException e) {
      return GpuReading.unavailable("could not read " + command + " output: " + e.getMessage());
    }
  }

  /** Parses the tool's output; visible for testing with captured outputs. */
  static GpuReading parse(String output) {
    long total = 0;
    long used = 0;
    List<Integer> counted = new ArrayList<>();
    int index = 0;
    int unreadable = 0;
    for (String line : output.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",");
      Long lineTotal = fields.length == 2 ? number(fields[0]) : null;
      Long lineUsed = fields.length == 2 ? number(fields[1]) : null;
      if (lineTotal != null && lineUsed != null) {
        total += lineTotal;
        used += lineUsed;
        counted.add(index);
      } else {
        unreadable++;
      }
      index++;
    }
    if (counted.isEmpty()) {
      String problem = index == 0 ? "nvidia-smi listed no GPU" : "nvidia-smi could not read GPU memory ([N/A])";
      return GpuReading.unavailable(problem);
    }
    String problem = unreadable == 0 ? null : unreadable + " of " + index + " GPUs unreadable ([N/A])";
    return new GpuReading(saturated(total), saturated(used), counted, problem);
  }

  private static Long number(String field) {
    try {
      return Long.parseLong(field.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int saturated(long value) {
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
  }

  private static String firstLine(String output, String fallback) {
    for (String line : output.split("\\R")) {
      if (!line.isBlank()) {
        return line.trim();
      }
    }
    return fallback;
  }
}
