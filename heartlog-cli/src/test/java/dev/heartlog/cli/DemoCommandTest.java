package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.store.Store;
import dev.heartlog.store.TestDatabase;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the demo prints to copy, for a store whose address holds a password. */
class DemoCommandTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://db:5432/hk?user=postgres&password=s3cret         | jdbc:postgresql://db:5432/hk?user=postgres",
      "jdbc:postgresql://db:5432/hk?password=s3cret&user=postgres         | jdbc:postgresql://db:5432/hk?user=postgres",
      "jdbc:postgresql://db/hk?user=u&password=s3cret&sslmode=require     | jdbc:postgresql://db/hk?user=u&sslmode=require",
      "jdbc:postgresql://db/hk?password=s3cret                            | jdbc:postgresql://db/hk",
      "jdbc:postgresql://db/hk?user=u&sslpassword=key&password=s3cret     | jdbc:postgresql://db/hk?user=u",
      "postgresql://postgres:s3cret@db.example.supabase.co:5432/postgres  | postgresql://postgres@db.example.supabase.co:5432/postgres",
      "postgresql://postgres:p@ss@db:5432/postgres                        | postgresql://postgres@db:5432/postgres",
      "jdbc:postgresql://db:5432/hk?user=postgres                         | jdbc:postgresql://db:5432/hk?user=postgres",
  })
  void anAddressIsShownWithoutItsPasswords(String url, String shown) {
    assertThat(DemoCommand.withoutPasswords(url)).isEqualTo(shown);
  }

  /**
   * The demo printed its commands with {@code password=***}, and a command pasted from them failed:
   * "password authentication failed". Here the store trusts its logins, so only what is printed can be checked.
   */
  @Test
  @Timeout(120)
  void theCommandsToCopyLeaveThePasswordOutAndSaySo() {
    String url = TestDatabase.freshUrl();
    Store.open(url, null, null).migrate();
    String withPassword = url.contains("password=") ? url : url + "&password=demo-s3cret";

    Cli.Result demo = Cli.run("demo", "--workers", "1", "--duration", "2s", "--interval", "500ms", "--db-url", withPassword);

    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("Look at what they did");
    String toCopy = demo.out().substring(demo.out().indexOf("Look at what they did"));   // the banner above may say ***
    assertThat(toCopy).doesNotContain("***").doesNotContain("demo-s3cret")
        .contains("the password is not shown here: export HEARTLOG_DB_PASSWORD=... first")
        .contains("bin/heartlog workers --db-url " + DemoCommand.shellWord(DemoCommand.withoutPasswords(withPassword)));
    Matcher workers = Pattern.compile("bin/heartlog workers --db-url '([^']+)'").matcher(toCopy);
    assertThat(workers.find()).as(demo.out()).isTrue();
    Cli.Result pasted = Cli.run("workers", "--db-url", workers.group(1));
    assertThat(pasted.exitCode()).as(pasted.err()).isZero();
    assertThat(pasted.out()).containsPattern("demo-gpu-1\\s+stopped");
  }
}
