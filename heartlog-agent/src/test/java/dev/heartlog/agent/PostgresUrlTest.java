package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  @Test
  void supabasesUriBecomesItsJdbcUrlWithTheUserAndDecodedPasswordApart() {
    Destination pooler = PostgresUrl.destination(
        "postgresql://postgres.abcdefgh:p%40ss%2Fw+rd@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require",
        null, null);

    assertThat(pooler.url()).isEqualTo("jdbc:postgresql://aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");
    assertThat(pooler.user()).isEqualTo("postgres.abcdefgh");
    assertThat(pooler.password()).as("%XX decoded, a plus kept").isEqualTo("p@ss/w+rd");
  }

  @Test
  void theUrisOwnUserWinsAndWhatItLacksIsTakenFromWhatWasGivenApart() {
    Destination withUser = PostgresUrl.destination("postgres://worker@db.internal/heartlog", "other", "from-env");
    Destination bare = PostgresUrl.destination("postgresql://db1:5432,db2:5432/heartlog", "given", "secret");

    assertThat(withUser.url()).isEqualTo("jdbc:postgresql://db.internal/heartlog");
    assertThat(withUser.user()).isEqualTo("worker");
    assertThat(withUser.password()).isEqualTo("from-env");
    assertThat(bare.url()).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/heartlog");
    assertThat(bare.user()).isEqualTo("given");
    assertThat(bare.password()).isEqualTo("secret");
  }

  @Test
  void aJdbcUrlIsKeptAsItIs() {
    Destination jdbc = PostgresUrl.destination("jdbc:postgresql://localhost:5432/x?user=u", null, "p");

    assertThat(jdbc).isEqualTo(new Destination("jdbc:postgresql://localhost:5432/x?user=u", null, "p"));
  }

  @Test
  void anythingElseIsRefusedWithoutShowingItsPassword() {
    assertThatThrownBy(() -> PostgresUrl.destination("mysql://root:hunter2@db/x", null, null))
        .hasMessage("a database address must start with jdbc:postgresql:// or postgresql:// (got 'mysql://root:***@db/x')");
    assertThatThrownBy(() -> PostgresUrl.destination("postgresql://u:hunter2@/x", null, null))
        .hasMessageContaining("needs a host").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> PostgresUrl.destination("postgresql://u:50%off@db/x", null, null))
        .hasMessageContaining("write % as %25").hasMessageNotContaining("50%off");
  }

  @Test
  void aPasswordWithAnUnescapedSlashOrQuestionMarkIsRefusedWithoutShowingIt() {
    // A generated password (base64 has '/') pasted into the URI as it is: libpq cannot read it
    // either. Read as a JDBC URL, it was shown whole in the driver's warning and heartlog's message.
    for (String url : List.of("postgresql://postgres:s3cr3t/pw@db.project.supabase.co:5432/postgres",
        "postgres://postgres:s3cr3t?pw@db:5432/postgres?sslmode=require")) {
      assertThatThrownBy(() -> PostgresUrl.destination(url, null, null))
          .hasMessageContaining("as %2F, %3F, %40 or %25").hasMessageNotContaining("s3cr3t");
      assertThat(PostgresUrl.redact(url)).doesNotContain("s3cr3t");
    }
    Destination escaped = PostgresUrl.destination("postgresql://postgres:s3cr3t%2Fpw@db:5432/postgres", null, null);
    assertThat(escaped.password()).isEqualTo("s3cr3t/pw");
    assertThat(escaped.url()).isEqualTo("jdbc:postgresql://db:5432/postgres");
  }

  @Test
  void redactHidesBothKindsOfPassword() {
    assertThat(PostgresUrl.redact("postgresql://postgres:s3cr@t@db:5432/postgres?sslmode=require"))
        .isEqualTo("postgresql://postgres:***@db:5432/postgres?sslmode=require");
    assertThat(PostgresUrl.redact("jdbc:postgresql://db/x?user=u&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/x?user=u&password=***&ssl=true");
    assertThat(PostgresUrl.redact("postgresql://postgres@db/x")).isEqualTo("postgresql://postgres@db/x");
  }

  @Test
  void thePasswordsAnAddressHoldsAreReadAsTheDriverReadsThemAndAsWritten() {
    assertThat(PostgresUrl.passwordsIn("postgresql://app:p%40ss@db:5432/app")).containsExactly("p@ss", "p%40ss");
    assertThat(PostgresUrl.passwordsIn("jdbc:postgresql://db/app?user=app&password=p%40ss&sslpassword=keypw"))
        .containsExactly("p%40ss", "p@ss", "keypw", "keypw");
    assertThat(PostgresUrl.passwordsIn("jdbc:postgresql://db/app?user=app")).isEmpty();
    assertThat(PostgresUrl.passwordsIn("postgresql://app@db/app")).isEmpty();
    assertThat(PostgresUrl.passwordsIn(null)).isEmpty();
  }
}
