package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ingest function's answers, as every transport reads them. */
class IngestResponseTest {

  @Test
  void aHeartbeatStoredWithoutItsCurrentTaskIsStoredWithTheStoresReason() {
    DeliveryResult result = IngestResponse.parse("{\"success\": true, \"logs_inserted\": 3, \"logs_rejected\": 0, "
        + "\"duplicate\": false, \"current_task_error\": \"current_task_id_param is 3000 bytes long, over the 2000 "
        + "heartlog keeps: this heartbeat has no current task\"}");

    assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(result.logsInserted()).isEqualTo(3);
    assertThat(result.detail()).isEqualTo("the store kept no current task: current_task_id_param is 3000 bytes long, "
        + "over the 2000 heartlog keeps: this heartbeat has no current task");
  }

  @Test
  void aRefusedWorkerRowAndATaskIdTooLongAreBothSaid() {
    DeliveryResult result = IngestResponse.parse("{\"success\": true, \"logs_inserted\": 1, \"worker_row_error\": "
        + "\"new row violates check constraint\", \"current_task_error\": \"current_task_id_param is 3000 bytes long\"}");

    assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(result.detail()).isEqualTo("the workers table refused the worker's row: new row violates check constraint; "
        + "and the store kept no current task: current_task_id_param is 3000 bytes long");
  }

  @Test
  void aWorkerIdTheStoreRefusesIsAFailureWithItsReason() {
    DeliveryResult result = IngestResponse.parse(
        "{\"error\": \"worker_id_param is 3000 bytes long; heartlog takes worker ids of at most 2000\", "
            + "\"success\": false, \"logs_inserted\": 0}");

    assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.FAILED);
    assertThat(result.detail()).isEqualTo(
        "the store refused the heartbeat: worker_id_param is 3000 bytes long; heartlog takes worker ids of at most 2000");
  }

  @Test
  void aPlainStoredAnswerHasNoDetail() {
    DeliveryResult result = IngestResponse.parse("{\"success\": true, \"logs_inserted\": 2, \"logs_rejected\": 0, \"duplicate\": false}");

    assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.STORED);
    assertThat(result.detail()).isNull();
  }
}
