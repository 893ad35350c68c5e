package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker calling through PostgREST (Supabase) with a token from {@code heartlog token --workers
 * PREFIX} writes only as the workers whose id starts with the prefix. PostgREST verifies the token
 * and, in the call's transaction, sets its claims with {@code set_config(..., true)}: these tests
 * set them the same way, on a real PostgreSQL, and call the ingest function as PostgREST would.
 */
class TokenWorkersTest {

  private static final String ONE_RECORD =
      "[{\"timestamp\": \"2026-11-29T10:00:00.000000Z\", \"level\": \"INFO\", \"message\": \"frame 1 rendered\","
          + " \"task_id\": \"task-1\", \"metadata\": {}}]";

  private String url;

  @BeforeEach
  void freshStore() {
    url = TestDatabase.migratedUrl();
  }

  @Test
  void aTokensClaimHoldsTheCallToItsWorkers() throws SQLException {
    String claims = "{\"role\": \"authenticated\", \"exp\": 4102444800, \"heartlog_workers\": \"gpu-\"}";

    assertThat(callWithSetting("request.jwt.claims", claims, "gpu-7")).contains("\"logs_inserted\": 1");
    assertThatThrownBy(() -> callWithSetting("request.jwt.claims", claims, "cpu-1"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
        .hasMessageContaining("this token may write only as workers whose id starts with \"gpu-\", not as \"cpu-1\"");

    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'gpu-7'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM workers WHERE id = 'cpu-1'")).as("no heartbeat either").isZero();
  }

  @Test
  void theClaimAsPostgrestSetsItBeforePostgresql14() throws SQLException {
    assertThatThrownBy(() -> callWithSetting("request.jwt.claim.heartlog_workers", "gpu-", "cpu-1"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    assertThat(callWithSetting("request.jwt.claim.heartlog_workers", "gpu-", "gpu-1")).contains("\"success\": true");
  }

  @Test
  void tokensWithoutTheClaimAndCallsWithoutTokensAreNotHeld() throws SQLException {
    // The project's own keys (anon, service_role) carry no such claim.
    assertThat(callWithSetting("request.jwt.claims", "{\"role\": \"anon\"}", "any-worker")).contains("\"success\": true");
    // A connection whose earlier transaction set the claims reads '' afterwards, not NULL: a
    // pooled connection's next call, over JDBC say, is not held by the token of another.
    try (Connection connection = DriverManager.getConnection(url)) {
      TestDatabase.heartbeatAsPostgrest(connection, null, "request.jwt.claims", "{\"heartlog_workers\": \"gpu-\"}",
          "gpu-2", ONE_RECORD);
      assertThat(stringOf(connection, "SELECT current_setting('request.jwt.claims', true)")).isEmpty();
      assertThat(TestDatabase.heartbeat(connection, "cpu-2", ONE_RECORD)).contains("\"logs_inserted\": 1");
    }
  }

  @Test
  void revokedTokensAreRefusedAndNewerOnesAndOtherPrefixesAreNot() throws Exception {
    long issuedEarlier = Instant.now().getEpochSecond() - 60;
    String earlier = "{\"role\": \"authenticated\", \"heartlog_workers\": \"gpu-7\", \"iat\": " + issuedEarlier + "}";
    String otherPrefix = "{\"role\": \"authenticated\", \"heartlog_workers\": \"gpu-\", \"iat\": " + issuedEarlier + "}";
    String withoutIat = "{\"role\": \"authenticated\", \"heartlog_workers\": \"gpu-7\"}";
    assertThat(callWithSetting("request.jwt.claims", earlier, "gpu-7")).contains("\"logs_inserted\": 1");

    Instant cutoff = Store.open(url, null, null).roles().revokeTokens("gpu-7");

    for (String claims : List.of(earlier, withoutIat)) {
      assertThatThrownBy(() -> callWithSetting("request.jwt.claims", claims, "gpu-7"))
          .as(claims)
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
          .hasMessageContaining("the tokens for the workers \"gpu-7\" issued before")
          .hasMessageContaining("are revoked; heartlog token makes a new one");
    }
    assertThatThrownBy(() -> callWithSetting("request.jwt.claim.heartlog_workers", "gpu-7", "gpu-7"))
        .as("the claims as PostgREST sets them before PostgreSQL 14, without iat")
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    long issuedLater = cutoff.getEpochSecond() + 1;
    assertThat(callWithSetting("request.jwt.claims",
        "{\"role\": \"authenticated\", \"heartlog_workers\": \"gpu-7\", \"iat\": " + issuedLater + "}", "gpu-7"))
        .contains("\"logs_inserted\": 1");
    assertThat(callWithSetting("request.jwt.claims", otherPrefix, "gpu-7")).as("another prefix's token").contains("\"logs_inserted\": 1");
    assertThat(TestDatabase.heartbeat(DriverManager.getConnection(url), "gpu-7", ONE_RECORD))
        .as("a call without a token").contains("\"logs_inserted\": 1");
    assertThat(count("SELECT count(*) FROM system_logs WHERE source_id = 'gpu-7'")).isEqualTo(4);
  }

  /** One PostgREST-like transaction: the setting, then the call. */
  private String callWithSetting(String name, String value, String workerId) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      return TestDatabase.heartbeatAsPostgrest(connection, null, name, value, workerId, ONE_RECORD);
    }
  }

  private static String stringOf(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      return Long.parseLong(stringOf(connection, sql));
    }
  }
}
