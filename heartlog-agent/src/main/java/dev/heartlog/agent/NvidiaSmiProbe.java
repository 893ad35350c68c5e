package dev.heartlog.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads GPU memory by running {@code nvidia-smi --query-gpu=memory.total,memory.used
 * --format=csv,noheader,nounits}, which prints one {@code total, used} line per GPU of the
 * machine, in index order.
 *
 * <p>nvidia-smi lists every GPU of the machine, whatever {@code CUDA_VISIBLE_DEVICES} says, so a
 * worker given GPU 3 of 8 would report the memory of all eight. Where the variable is set, the
 * probe asks for each GPU's index and UUID as well ({@code
 * --query-gpu=index,uuid,memory.total,memory.used,name}) and counts only the GPUs it names:
 * indexes, or UUIDs and their prefixes ({@code GPU-8932f937}). It reads the value as the CUDA
 * driver did on an H200 ({@link #visibleDevices}): it stops at the first entry that is neither,
 * or that names a GPU the machine lacks; an empty value, or a GPU named twice, hides every GPU. A
 * MIG instance ({@code MIG-...}) is not read, and it ends the list too ({@code MIG-0,0} left CUDA
 * no GPU, where heartlog had counted GPU 0).
 *
 * <p>Indexes are read as nvidia-smi numbers the GPUs, in PCI bus order. CUDA numbers them so
 * with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}; by default it puts the fastest first, by a heuristic
 * it does not document. On a machine of identical GPUs the two orders agree; on one of mixed
 * models they may not, so there the reading says that its indexes are nvidia-smi's. UUIDs are
 * the same in both.
 *
 * <p>Figures of every GPU with readable numbers are summed; a field the driver cannot read
 * ({@code [N/A]}, seen with MIG partitions) leaves that GPU out. A tool that is missing, exits
 * non-zero ({@code Failed to initialize NVML: Unknown Error} on cloud machines after heavy work)
 * or does not answer within the timeout gives a reading of nulls with the reason.
 */
final class NvidiaSmiProbe implements GpuProbe {

  /** How long one reading may take before the tool is killed. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** There while the NVIDIA kernel driver is loaded, in a GPU container too. */
  static final Path DRIVER = Path.of("/proc/driver/nvidia/version");

  private static final List<String> ARGUMENTS =
      List.of("--query-gpu=memory.total,memory.used", "--format=csv,noheader,nounits");
  /** The model's name last: it is the one field that could hold a comma. */
  private static final List<String> ARGUMENTS_WITH_IDS =
      List.of("--query-gpu=index,uuid,memory.total,memory.used,name", "--format=csv,noheader,nounits");

  private final String command;
  private final String visibleDevices;
  private final boolean pciBusOrder;
  private final Duration timeout;
  private final Path driver;

  /**
   * @param visibleDevices the process's {@code CUDA_VISIBLE_DEVICES}; {@code null} when unset,
   *     and then every GPU nvidia-smi lists is counted
   * @param deviceOrder the process's {@code CUDA_DEVICE_ORDER}; {@code null} when unset
   */
  NvidiaSmiProbe(String command, String visibleDevices, String deviceOrder, Duration timeout) {
    this(command, visibleDevices, deviceOrder, timeout, DRIVER);
  }

  /** The same, with the file whose presence says the NVIDIA driver is loaded; for tests. */
  NvidiaSmiProbe(String command, String visibleDevices, String deviceOrder, Duration timeout, Path driver) {
    this.command = command;
    this.visibleDevices = visibleDevices;
    this.pciBusOrder = deviceOrder != null && deviceOrder.trim().equals("PCI_BUS_ID");
    this.timeout = timeout;
    this.driver = driver;
  }

  /**
   * Why the tool is missing where the driver is loaded: a container started without the driver's
   * utility capability gets the GPUs and CUDA but not nvidia-smi (an image or a pod that sets
   * {@code NVIDIA_DRIVER_CAPABILITIES=compute}).
   */
  private String notFound() {
    if (!Files.exists(driver)) {
      return command + " not found";
    }
    return command + " not found, though the NVIDIA driver is loaded (" + driver + "): in a container, the driver's "
        + "tools come with its utility capability (NVIDIA_DRIVER_CAPABILITIES=compute,utility, or all); elsewhere, "
        + "put nvidia-smi on the PATH or name it in HEARTLOG_NVIDIA_SMI";
  }

  @Override
  public GpuReading read() {
    Visible visible = visibleDevices == null ? null : visibleDevices(visibleDevices);
    if (visible != null && visible.gpus().isEmpty()) {
      return GpuReading.unavailable(visible.problem() != null ? visible.problem()
          : "CUDA_VISIBLE_DEVICES='" + visibleDevices + "' leaves no GPU visible");
    }
    List<String> commandLine = new ArrayList<>();
    commandLine.add(command);
    commandLine.addAll(visible == null ? ARGUMENTS : ARGUMENTS_WITH_IDS);
    Process process;
    try {
      process = new ProcessBuilder(commandLine).redirectErrorStream(true).start();
    } catch (IOException e) {
      return GpuReading.unavailable(notFound());
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
      return visible == null ? parse(output) : parseVisible(output, visible, pciBusOrder);
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

  /**
   * What {@code CUDA_VISIBLE_DEVICES} names, as the CUDA driver reads it.
   *
   * @param gpus indexes (as nvidia-smi writes them) and UUIDs or their prefixes, up to the first
   *     entry that is neither
   * @param problem why entries were left out that CUDA would not ignore: a MIG instance, or a GPU
   *     named twice; {@code null} when none was
   */
  record Visible(List<String> gpus, String problem) {}

  /** Spaces, a sign, leading zeros, the index's digits, and whatever follows. */
  private static final Pattern INDEX = Pattern.compile("\\s*([+-]?)0*(\\d+).*", Pattern.DOTALL);

  /**
   * Reads {@code CUDA_VISIBLE_DEVICES} as the CUDA driver read it on an H200 ({@code cuInit},
   * {@code cuDeviceGetCount}). An index may have spaces before it, a sign, leading zeros and
   * anything after it; {@code -1} ends the list. A UUID prefix is matched as written, spaces
   * included, and needs a character after {@code GPU-}. An entry that is neither ends the list; so
   * does a MIG instance, whose memory is not read. A GPU named twice the same way ({@code 0,0})
   * makes CUDA refuse to start: then no GPU is visible.
   */
  static Visible visibleDevices(String value) {
    List<String> gpus = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      if (entry.startsWith("MIG-")) {
        return new Visible(gpus, "MIG instance " + entry + " of CUDA_VISIBLE_DEVICES not read (nvidia-smi"
            + " --query-gpu reads whole GPUs), nor the entries after it");
      }
      String device = entry.startsWith("GPU-") && entry.length() > "GPU-".length() ? entry : index(entry);
      if (device == null) {
        break;
      }
      if (gpus.contains(device)) {
        return new Visible(List.of(), "CUDA_VISIBLE_DEVICES='" + value + "' names " + device + " twice, which CUDA"
            + " refuses (CUDA_ERROR_INVALID_DEVICE): no GPU is visible");
      }
      gpus.add(device);
    }
    return new Visible(gpus, null);
  }

  /**
   * The index an entry names, as C's strtoul reads it and nvidia-smi writes it ({@code " 0"},
   * {@code "+0"}, {@code "-0"}, {@code "00"} and {@code "0;1"} are all {@code "0"}), or {@code
   * null} where it names none: no digits, or a negative number.
   */
  private static String index(String entry) {
    Matcher number = INDEX.matcher(entry);
    boolean negative = number.matches() && number.group(1).equals("-") && !number.group(2).equals("0");
    return number.matches() && !negative ? number.group(2) : null;
  }

  /**
   * Parses {@code index, uuid, total, used, name} lines, counting only the GPUs in {@code
   * visible}, in its order; as CUDA does, a GPU the machine lacks hides itself and every one
   * after it. Visible for testing with captured outputs.
   *
   * @param pciBusOrder whether CUDA numbers the GPUs as nvidia-smi does ({@code
   *     CUDA_DEVICE_ORDER=PCI_BUS_ID})
   */
  static GpuReading parseVisible(String output, Visible visible, boolean pciBusOrder) {
    List<String[]> gpus = new ArrayList<>();
    for (String line : output.split("\\R")) {
      String[] fields = line.split(",", 5);
      if (fields.length == 5 && number(fields[0]) != null) {
        gpus.add(fields);
      }
    }
    long total = 0;
    long used = 0;
    List<Integer> counted = new ArrayList<>();
    int unreadable = 0;
    String missing = null;
    List<String[]> named = new ArrayList<>();
    for (String device : visible.gpus()) {
      String[] gpu = gpus.stream().filter(fields -> device.startsWith("GPU-")
          ? fields[1].trim().startsWith(device) : fields[0].trim().equals(device)).findFirst().orElse(null);
      if (gpu == null) {
        missing = device;
        break;
      }
      if (named.contains(gpu)) {
        continue; // named by index and by UUID: CUDA shows it once (0,GPU-f491344d on the H200)
      }
      named.add(gpu);
      Long gpuTotal = number(gpu[2]);
      Long gpuUsed = number(gpu[3]);
      if (gpuTotal != null && gpuUsed != null) {
        total += gpuTotal;
        used += gpuUsed;
        counted.add(number(gpu[0]).intValue());
      } else {
        unreadable++;
      }
    }
    List<String> problems = new ArrayList<>();
    String models = pciBusOrder ? null : mixedModels(gpus, visible.gpus());
    if (models != null) {
      problems.add("indexes read in nvidia-smi's order, which CUDA follows only with CUDA_DEVICE_ORDER=PCI_BUS_ID"
          + " on mixed GPUs (" + models + ")");
    }
    if (missing != null) {
      problems.add("nvidia-smi lists no GPU " + missing + " of CUDA_VISIBLE_DEVICES, which hides it and those after it");
    } else if (visible.problem() != null) {
      problems.add(visible.problem());
    }
    if (unreadable > 0) {
      problems.add(unreadable + " of " + (counted.size() + unreadable) + " GPUs unreadable ([N/A])");
    }
    String problem = problems.isEmpty() ? null : String.join("; ", problems);
    if (counted.isEmpty()) {
      return GpuReading.unavailable(problem);
    }
    return new GpuReading(saturated(total), saturated(used), counted, problem);
  }

  /**
   * The machine's models, where there are several and {@code visible} names a GPU by index: then
   * CUDA's default order, fastest first, may number the GPUs otherwise than nvidia-smi. Null
   * where the orders cannot differ for these entries.
   */
  private static String mixedModels(List<String[]> gpus, List<String> visible) {
    if (visible.stream().allMatch(device -> device.startsWith("GPU-"))) {
      return null;
    }
    List<String> models = gpus.stream().map(fields -> fields[4].trim()).distinct().toList();
    return models.size() < 2 ? null : String.join(", ", models);
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
