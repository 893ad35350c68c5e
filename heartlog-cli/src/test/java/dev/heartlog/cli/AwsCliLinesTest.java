package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI's failed transfers, as heartlog run stores them ({@link AwsCliLines}). The replayed
 * lines are what aws-cli 1.45.11 printed on stderr for {@code aws s3 cp --recursive} of three
 * frames to an endpoint that refused connections.
 */
class AwsCliLinesTest {

  @TempDir Path folder;

  @Test
  void eachFileThatFailedToUploadIsAnErrorOfAws() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "aws-cli-1.45.11-upload-failed.txt", "aws-replayed");

    // Before, three warnings.
    assertThat(records).hasSize(3).allSatisfy(record -> {
      assertThat(record.level()).isEqualTo("ERROR");
      assertThat(record.message()).matches("upload failed: up2/f\\d\\.png to s3://renders/shot12/f\\d\\.png "
          + "Could not connect to the endpoint URL: \"http://127\\.0\\.0\\.1:9/renders/shot12/f\\d\\.png\"");
      assertThat(record.metadataJson()).contains("\"component\": \"aws\"");
    });
  }

  @Test
  void aWorkersOwnLineThatOnlyBeginsSoIsNotTheCliS() {
    assertThat(AwsCliLines.parse("upload failed: quota reached", new RecordMetadata(1))).isNull();
    // a download's, in the form the CLI writes it (not seen here: without a network, the CLI's
    // first request fails, and it ends with "fatal error: ..." before any transfer)
    assertThat(AwsCliLines.parse("download failed: s3://models/x.bin to /models/x.bin An error occurred (403)",
        new RecordMetadata(1))).isNotNull();
    assertThat(AwsCliLines.parse("uploaded frame 12 to s3://renders", new RecordMetadata(1))).isNull();
  }
}
