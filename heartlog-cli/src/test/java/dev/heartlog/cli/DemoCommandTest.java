package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The address the demo prints in its commands to copy (CommandLineTest runs them). */
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
    assertThat(StoreOptions.withoutPasswords(url)).isEqualTo(shown);
  }
}
