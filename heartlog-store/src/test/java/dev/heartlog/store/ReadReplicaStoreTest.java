package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The store on a hot standby, a read replica: reads work, and what writes says where to go. */
@Timeout(60)
class ReadReplicaStoreTest {

  private static final String HINT = "(the database is read-only: the URL names a standby, such as a read replica, "
      + "or default_transaction_read_only is on; give the primary's URL)";

  @Test
  void readsWorkOnAStandbyAndMigrateAndMaintainSayToGiveThePrimary() throws Exception {
    try (TestStandby replica = TestStandby.start()) {
      try (Connection primary = DriverManager.getConnection(replica.primaryUrl())) {
        TestDatabase.heartbeat(primary, "gpu-1", "[{\"level\": \"ERROR\", \"message\": \"CUDA out of memory\"}]");
      }
      replica.awaitReplayed();
      Store standby = Store.open(replica.standbyUrl(), null, null);

      assertThat(standby.isStandby()).isTrue();
      assertThat(Store.open(replica.primaryUrl(), null, null).isStandby()).isFalse();
      assertThat(standby.logs(new LogFilter("gpu-1", null, null, null, null, null, 10)))
          .extracting(StoredRecord::message).containsExactly("CUDA out of memory");
      assertThatThrownBy(standby::migrate).isInstanceOf(StoreException.class)
          .hasMessageContaining("during recovery").hasMessageEndingWith(HINT);
      assertThatThrownBy(() -> standby.maintain(Store.DEFAULT_RETENTION, Store.DEFAULT_DAYS_AHEAD))
          .isInstanceOf(StoreException.class).hasMessageContaining("read-only transaction").hasMessageContaining(HINT);
    }
  }
}
