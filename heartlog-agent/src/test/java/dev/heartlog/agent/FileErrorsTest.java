package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FileErrorsTest {

  @Test
  void anExceptionThatCarriesThePathAloneIsGivenItsReason() {
    assertThat(FileErrors.describe(new AccessDeniedException("/srv/ro/heartlog-data")))
        .isEqualTo("/srv/ro/heartlog-data: permission denied");
    assertThat(FileErrors.describe(new NoSuchFileException("/mnt/gone/spool")))
        .isEqualTo("/mnt/gone/spool: does not exist and could not be created");
    assertThat(FileErrors.describe(new FileAlreadyExistsException("/var/lib/heartlog")))
        .isEqualTo("/var/lib/heartlog: a file of that name is in the way");
  }

  @Test
  void anExceptionThatSaysWhyIsLeftAsItIs() {
    assertThat(FileErrors.describe(new FileSystemException("/srv/data", null, "Read-only file system")))
        .isEqualTo("/srv/data: Read-only file system");
    assertThat(FileErrors.describe(new IOException("No space left on device"))).isEqualTo("No space left on device");
  }
}
