package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

    GpuReading reading = new NvidiaSmiProbe(tool.toString(), Duration.ofSeconds(5)).read();

    assertThat(reading.totalMb()).isNull();
    assertThat(reading.problem()).isEqualTo("Failed to initialize NVML: Unknown Error");
  }

  @Test
  void missingToolGivesNulls() {
    GpuReading reading = new NvidiaSmiProbe(folder.resolve("no-such-tool").toString(), Duration.ofSeconds(5)).read();

    assertThat(reading.totalMb()).isNull();
    assertThat(reading.problem()).endsWith("not found");
  }

  @Test
  void aHangingToolIsKilledAtTheTimeout() throws IOException {
    Path tool = script("sleep 30");

    GpuReading reading = new NvidiaSmiProbe(tool.toString(), Duration.ofMillis(200)).read();

    assertThat(reading.problem()).contains("did not answer");
  }

  @Test
  void aWorkingToolIsRunWithTheQueryArguments() throws IOException {
    Path tool = script("[ \"$1\" = --query-gpu=memory.total,memory.used ] && [ \"$2\" = --format=csv,noheader,nounits ] && echo '81559, 23017'");

    GpuReading reading = new NvidiaSmiProbe(tool.toString(), Duration.ofSeconds(5)).read();

    assertThat(reading.usedMb()).isEqualTo(23017);
  }

  private Path script(String body) throws IOException {
    Path file = folder.resolve("nvidia-smi-" + System.nanoTime());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
