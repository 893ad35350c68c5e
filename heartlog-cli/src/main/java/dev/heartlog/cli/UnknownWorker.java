package dev.heartlog.cli;

import dev.heartlog.store.NearNames;
import dev.heartlog.store.Store;
import dev.heartlog.store.WorkerHealth;
import java.io.PrintWriter;
import java.util.List;

/**
 * What the commands say of a worker id the store knows nothing of: with the ids of the fleet
 * near it, where one is ({@code demo-gpu1}: demo-gpu-1). Before, {@code logs --worker demo-gpu1}
 * said only that no records matched, as it says for a worker that logged nothing.
 */
final class UnknownWorker {

  private UnknownWorker() {}

  /** "no worker ID", and the fleet's ids near it: "; did you mean gpu-1?". */
  static String sentence(Store store, String workerId) {
    List<String> ids = store.workers(Store.DEFAULT_STALE_AFTER).stream().map(WorkerHealth::id).toList();
    List<String> near = NearNames.nearestIds(workerId, ids).stream().map(RecordText::printable).toList();
    return "no worker " + RecordText.printable(workerId)
        + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?");
  }

  /**
   * Says on {@code err} that the store knows no worker {@code workerId}, where it does not: after
   * a listing of it that found nothing.
   */
  static void noteIfUnknown(Store store, String workerId, PrintWriter err) {
    if (workerId != null && store.workerHealth(workerId).isEmpty()) {
      err.println("heartlog: " + sentence(store, workerId) + " (heartlog workers lists them)");
    }
  }
}
