package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs and failures of nvidia-smi described in shared/fixtures/README.md. */
class NvidiaSmiProbeTest {

  @TempDir Path folder;

  @Test
  void oneGpu() {
    GpuReading reading = NvidiaSmiProbe.parse("81559, 23017\n");

    assertThat(reading.totalMb()).isEqualTo(81559);
    assertThat(reading.usedMb()).isEqualTo(23017);
    assertThat(reading.gpusCounted()).containsExactly(0);
    assertThat(reading.problem()).isNull();
  }

  @Test
  void severalGpusAreSummedAndNamed() {
    GpuReading reading = NvidiaSmiProbe.parse("81559, 23017\n81559, 100\n");

    assertThat(reading.totalMb()).isEqualTo(163118);
    assertThat(reading.usedMb()).isEqualTo(23117);
    assertThat(reading.gpusCounted()).containsExactly(0, 1);
  }

  @Test
  void aGpuWithUnreadableFieldsIsLeftOutAndSaidSo() {
    GpuReading reading = NvidiaSmiProbe.parse("[N/A], [N/A]\n40960, 1024\n");

    assertThat(reading.totalMb()).isEqualTo(40960);
    assertThat(reading.gpusCounted()).containsExactly(1);
    assertThat(reading.problem()).isEqualTo("1 of 2 GPUs unreadable ([N/A])");
  }

  @Test
  void onlyUnreadableFieldsGiveNulls() {
    GpuReading reading = NvidiaSmiProbe.parse("[N/A], [N/A]\n");

    assertThat(reading.totalMb()).isNull();
    assertThat(reading.usedMb()).isNull();
    assertThat(reading.problem()).contains("[N/A]");
  }

  @Test
  void brokenDriverGivesNullsWithTheToolsMessage() throws IOException {
    Path tool = script("echo 'Failed to initialize NVML: Unknown Error'; exit 255");

    GpuReading reading = new NvidiaSmiProbe(tool.toString(), null, null, Duration.ofSeconds(5)).read();

    assertThat(reading.totalMb()).isNull();
    assertThat(reading.problem()).isEqualTo("Failed to initialize NVML: Unknown Error");
  }

  @Test
  void missingToolGivesNulls() {
    GpuReading reading = new NvidiaSmiProbe(folder.resolve("no-such-tool").toString(), null, null, Duration.ofSeconds(5),
        folder.resolve("no-driver")).read();

    assertThat(reading.totalMb()).isNull();
    assertThat(reading.problem()).endsWith("no-such-tool not found");
  }

  @Test
  void aMissingToolWhereTheDriverIsLoadedSaysWhatAContainerLacks() throws IOException {
    // As in a container given the GPUs without the driver's utility capability: /proc/driver/nvidia
    // is there, nvidia-smi is not.
    Path driver = Files.writeString(folder.resolve("version"), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15\n");

    GpuReading reading = new NvidiaSmiProbe(folder.resolve("no-such-tool").toString(), null, null, Duration.ofSeconds(5),
        driver).read();

    assertThat(reading.totalMb()).isNull();
    assertThat(reading.problem()).contains("no-such-tool not found, though the NVIDIA driver is loaded (" + driver + ")",
        "NVIDIA_DRIVER_CAPABILITIES=compute,utility", "HEARTLOG_NVIDIA_SMI");
  }

  @Test
  void aHangingToolIsKilledAtTheTimeout() throws IOException {
    Path tool = script("sleep 30");

    GpuReading reading = new NvidiaSmiProbe(tool.toString(), null, null, Duration.ofMillis(200)).read();

    assertThat(reading.problem()).contains("did not answer");
  }

  @Test
  void aWorkingToolIsRunWithTheQueryArguments() throws IOException {
    Path tool = script("[ \"$1\" = --query-gpu=memory.total,memory.used ] && [ \"$2\" = --format=csv,noheader,nounits ] && echo '81559, 23017'");

    GpuReading reading = new NvidiaSmiProbe(tool.toString(), null, null, Duration.ofSeconds(5)).read();

    assertThat(reading.usedMb()).isEqualTo(23017);
  }

  /** What nvidia-smi prints for --query-gpu=index,uuid,memory.total,memory.used,name on a 4-GPU machine. */
  private static final String FOUR_GPUS = String.join("\n",
      "0, GPU-8932f937-d72c-4106-c12f-20bd9faed9f6, 81559, 23017, NVIDIA A100-SXM4-80GB",
      "1, GPU-11111111-2222-3333-4444-555555555555, 81559, 100, NVIDIA A100-SXM4-80GB",
      "2, GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee, [N/A], [N/A], NVIDIA A100-SXM4-80GB",
      "3, GPU-33333333-2222-3333-4444-555555555555, 81559, 70000, NVIDIA A100-SXM4-80GB", "");

  /** A machine of two models: CUDA's default order may put the second first. */
  private static final String MIXED_GPUS = String.join("\n",
      "0, GPU-11111111-2222-3333-4444-555555555555, 15360, 300, Tesla T4",
      "1, GPU-8932f937-d72c-4106-c12f-20bd9faed9f6, 81559, 23017, NVIDIA A100-SXM4-80GB", "");

  @Test
  void onlyTheGpusOfCudaVisibleDevicesAreCountedByIndexOrUuid() {
    GpuReading third = NvidiaSmiProbe.parseVisible(FOUR_GPUS, NvidiaSmiProbe.visibleDevices("3"), false);
    assertThat(third.totalMb()).isEqualTo(81559);
    assertThat(third.usedMb()).isEqualTo(70000);
    assertThat(third.gpusCounted()).containsExactly(3);
    assertThat(third.problem()).isNull();

    GpuReading byUuid = NvidiaSmiProbe.parseVisible(FOUR_GPUS, NvidiaSmiProbe.visibleDevices("GPU-8932f937, 1"), false);
    assertThat(byUuid.usedMb()).isEqualTo(23117);
    assertThat(byUuid.gpusCounted()).containsExactly(0, 1);

    GpuReading withUnreadable = NvidiaSmiProbe.parseVisible(FOUR_GPUS, NvidiaSmiProbe.visibleDevices("2,3"), false);
    assertThat(withUnreadable.gpusCounted()).containsExactly(3);
    assertThat(withUnreadable.problem()).isEqualTo("1 of 2 GPUs unreadable ([N/A])");

    GpuReading missing = NvidiaSmiProbe.parseVisible(FOUR_GPUS, NvidiaSmiProbe.visibleDevices("7"), false);
    assertThat(missing.totalMb()).isNull();
    assertThat(missing.problem()).isEqualTo("nvidia-smi lists no GPU 7 of CUDA_VISIBLE_DEVICES, which hides it and those after it");

    GpuReading beforeTheMissingOne = NvidiaSmiProbe.parseVisible(FOUR_GPUS, NvidiaSmiProbe.visibleDevices("3,7,0"), false);
    assertThat(beforeTheMissingOne.gpusCounted()).as("as CUDA: 0 comes after a GPU the machine lacks").containsExactly(3);
  }

  @Test
  void onMixedGpusIndexesAreInDoubtUnlessCudaNumbersThemByPciBus() {
    GpuReading byDefault = NvidiaSmiProbe.parseVisible(MIXED_GPUS, NvidiaSmiProbe.visibleDevices("0"), false);
    assertThat(byDefault.totalMb()).as("read as nvidia-smi numbers them").isEqualTo(15360);
    assertThat(byDefault.problem()).isEqualTo("indexes read in nvidia-smi's order, which CUDA follows only with"
        + " CUDA_DEVICE_ORDER=PCI_BUS_ID on mixed GPUs (Tesla T4, NVIDIA A100-SXM4-80GB)");

    GpuReading byPciBus = NvidiaSmiProbe.parseVisible(MIXED_GPUS, NvidiaSmiProbe.visibleDevices("0"), true);
    assertThat(byPciBus.totalMb()).isEqualTo(15360);
    assertThat(byPciBus.problem()).isNull();

    GpuReading byUuid = NvidiaSmiProbe.parseVisible(MIXED_GPUS, NvidiaSmiProbe.visibleDevices("GPU-8932f937"), false);
    assertThat(byUuid.totalMb()).as("a UUID names one GPU in either order").isEqualTo(81559);
    assertThat(byUuid.problem()).isNull();

    GpuReading identical = NvidiaSmiProbe.parseVisible(FOUR_GPUS, NvidiaSmiProbe.visibleDevices("1"), false);
    assertThat(identical.problem()).as("identical GPUs: both orders agree").isNull();
  }

  @Test
  void aModelNameWithACommaStaysOneField() {
    GpuReading reading = NvidiaSmiProbe.parseVisible(
        "0, GPU-a, 24576, 512, Some GPU, Rev. 2\n1, GPU-b, 24576, 1024, Some GPU, Rev. 2\n",
        NvidiaSmiProbe.visibleDevices("1"), false);

    assertThat(reading.usedMb()).isEqualTo(1024);
    assertThat(reading.problem()).isNull();
  }

  @Test
  void cudaVisibleDevicesIsReadAsCudaReadsIt() {
    assertThat(NvidiaSmiProbe.visibleDevices("0,2").gpus()).containsExactly("0", "2");
    assertThat(NvidiaSmiProbe.visibleDevices("1,-1,2").gpus()).as("up to the first invalid entry").containsExactly("1");
    assertThat(NvidiaSmiProbe.visibleDevices("").gpus()).isEmpty();
    assertThat(NvidiaSmiProbe.visibleDevices("NoDevFiles").gpus()).isEmpty();
    assertThat(NvidiaSmiProbe.visibleDevices("1,-1,2").problem()).isNull();

    NvidiaSmiProbe.Visible migFirst = NvidiaSmiProbe.visibleDevices("MIG-4a3f,GPU-8932");
    assertThat(migFirst.gpus()).as("a MIG instance ends the list").isEmpty();
    assertThat(migFirst.problem()).isEqualTo(
        "MIG instance MIG-4a3f of CUDA_VISIBLE_DEVICES not read (nvidia-smi --query-gpu reads whole GPUs), nor the entries after it");
    NvidiaSmiProbe.Visible migAfter = NvidiaSmiProbe.visibleDevices("0,MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/2,1");
    assertThat(migAfter.gpus()).containsExactly("0");
    assertThat(migAfter.problem()).startsWith("MIG instance MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/2 of");

    assertThat(NvidiaSmiProbe.visibleDevices(" +00;7,GPU-8932 ").gpus()).as("an index as strtoul reads it; a UUID as written")
        .containsExactly("0", "GPU-8932 ");
    assertThat(NvidiaSmiProbe.visibleDevices("-0,-1,1").gpus()).containsExactly("0");
    assertThat(NvidiaSmiProbe.visibleDevices("GPU-,0").gpus()).as("GPU- alone names no GPU").isEmpty();
    NvidiaSmiProbe.Visible twice = NvidiaSmiProbe.visibleDevices("1,01");
    assertThat(twice.gpus()).isEmpty();
    assertThat(twice.problem()).isEqualTo(
        "CUDA_VISIBLE_DEVICES='1,01' names 1 twice, which CUDA refuses (CUDA_ERROR_INVALID_DEVICE): no GPU is visible");
  }

  /**
   * What nvidia-smi printed on an idle H200 (driver 580.159.04, persistence mode on) for both
   * queries. Its total counts the 616 MiB the driver reserves, which CUDA's (143,155 MiB) leaves
   * out. The second is that machine's line with the UUID of the H200 the driver was asked on
   * (below): each device run got another machine.
   */
  private static final String H200 = "143771, 0\n";
  private static final String H200_WITH_IDS = "0, GPU-f491344d-8113-d9ac-0af7-792576e47042, 143771, 0, NVIDIA H200\n";

  /**
   * How many GPUs the CUDA driver gave a process on an H200 (another machine of that kind) with
   * each value of CUDA_VISIBLE_DEVICES ({@code cuInit}, then {@code cuDeviceGetCount}; 0 where
   * cuInit failed):
   * the probe counts as many. Before, it counted GPU 0 for MIG-0,0, twice for 0,0, and none for
   * 00, +0 and 0;1. PyTorch's own count disagreed with the driver's on two values (GPU-: 1;
   * 4294967296: 0), so the driver's are the ones here.
   */
  @Test
  void countsAsManyGpusAsCudaGaveOnAnH200() {
    GpuReading unset = NvidiaSmiProbe.parse(H200);
    assertThat(unset.totalMb()).isEqualTo(143771);
    assertThat(unset.usedMb()).isZero();
    assertThat(unset.gpusCounted()).containsExactly(0);

    String uuid = "GPU-f491344d";
    Map<String, Integer> cudaGave = new LinkedHashMap<>();
    cudaGave.put("0", 1);
    cudaGave.put(" 0", 1);
    cudaGave.put("00", 1);
    cudaGave.put("+0", 1);
    cudaGave.put("-0", 1);
    cudaGave.put("0;1", 1);
    cudaGave.put("0x0", 1);
    cudaGave.put("010", 0);
    cudaGave.put("1", 0);
    cudaGave.put("0,1", 1);
    cudaGave.put("1,0", 0);
    cudaGave.put("0,0", 0);
    cudaGave.put("", 0);
    cudaGave.put("abc,0", 0);
    cudaGave.put("0,abc", 1);
    cudaGave.put(uuid + ",0", 1);
    cudaGave.put("0," + uuid, 1);
    cudaGave.put(uuid + "," + uuid, 0);
    cudaGave.put(uuid + " ,1", 0);
    cudaGave.put("GPU-", 0);
    cudaGave.put("GPU-d", 0);
    cudaGave.put("MIG-0,0", 0);
    cudaGave.put("0,MIG-0", 1);
    cudaGave.put(uuid + ",MIG-0", 1);
    cudaGave.put("MIG-GPU-f491344d-8113-d9ac-0af7-792576e47042/0/0", 0);
    cudaGave.forEach((value, gpus) -> assertThat(
        NvidiaSmiProbe.parseVisible(H200_WITH_IDS, NvidiaSmiProbe.visibleDevices(value), false).gpusCounted())
        .as("CUDA_VISIBLE_DEVICES='%s'", value).hasSize(gpus));
  }

  @Test
  void withCudaVisibleDevicesTheToolIsAskedForIndexesAndUuidsToo() throws IOException {
    Path tool = script("[ \"$1\" = --query-gpu=index,uuid,memory.total,memory.used,name ] && [ \"$2\" = --format=csv,noheader,nounits ]"
        + " && printf '0, GPU-a, 81559, 23017, NVIDIA H100\\n1, GPU-b, 81559, 100, NVIDIA H100\\n'");

    GpuReading second = new NvidiaSmiProbe(tool.toString(), "1", null, Duration.ofSeconds(5)).read();
    GpuReading none = new NvidiaSmiProbe(tool.toString(), "", null, Duration.ofSeconds(5)).read();
    GpuReading migInstance = new NvidiaSmiProbe(tool.toString(), "MIG-GPU-a/1/2", null, Duration.ofSeconds(5)).read();
    GpuReading beforeAMigInstance = new NvidiaSmiProbe(tool.toString(), "1,MIG-GPU-a/1/2,0", null, Duration.ofSeconds(5)).read();
    GpuReading namedTwice = new NvidiaSmiProbe(tool.toString(), "0,0", null, Duration.ofSeconds(5)).read();
    GpuReading byIndexAndUuid = new NvidiaSmiProbe(tool.toString(), "0,GPU-a,1", null, Duration.ofSeconds(5)).read();

    assertThat(second.usedMb()).isEqualTo(100);
    assertThat(second.gpusCounted()).containsExactly(1);
    assertThat(none.totalMb()).isNull();
    assertThat(none.problem()).isEqualTo("CUDA_VISIBLE_DEVICES='' leaves no GPU visible");
    assertThat(migInstance.totalMb()).isNull();
    assertThat(migInstance.problem()).as("not 'leaves no GPU visible': the worker has a GPU, heartlog cannot read it")
        .isEqualTo("MIG instance MIG-GPU-a/1/2 of CUDA_VISIBLE_DEVICES not read (nvidia-smi --query-gpu reads whole GPUs),"
            + " nor the entries after it");
    assertThat(beforeAMigInstance.gpusCounted()).containsExactly(1);
    assertThat(beforeAMigInstance.problem()).startsWith("MIG instance MIG-GPU-a/1/2 of CUDA_VISIBLE_DEVICES not read");
    assertThat(namedTwice.totalMb()).as("was 163118: GPU 0 counted twice").isNull();
    assertThat(namedTwice.problem()).isEqualTo(
        "CUDA_VISIBLE_DEVICES='0,0' names 0 twice, which CUDA refuses (CUDA_ERROR_INVALID_DEVICE): no GPU is visible");
    assertThat(byIndexAndUuid.usedMb()).as("GPU 0 once, then GPU 1").isEqualTo(23117);
    assertThat(byIndexAndUuid.gpusCounted()).containsExactly(0, 1);
  }

  private Path script(String body) throws IOException {
    Path file = folder.resolve("nvidia-smi-" + System.nanoTime());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
