package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The live tail ({@code /api/tail}) of a server that listens to its store. It reads nothing while
 * nobody follows; a browser that starts following gets what is stored from then on, and one that
 * comes back what it missed; one that stops reading holds up no other. Its WebSocket:
 * {@link TailWebSocketTest}.
 */
class LiveTailTest extends LiveTailTestBase {

  @Test
  void aFollowerGetsWhatIsStoredAfterItStartedAndNothingFromBefore() throws Exception {
    store("stored while nobody followed");
    BlockingQueue<String> events = follow();

    // The subscription is in place once the first record stored after it arrives.
    List<String> received = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (received.isEmpty() && System.nanoTime() < deadline) {
      store("stored while followed");
      String event = events.poll(500, TimeUnit.MILLISECONDS);
      if (event != null) {
        received.add(event);
      }
    }
    events.drainTo(received);

    assertThat(received).isNotEmpty().allSatisfy(event -> assertThat(event).contains("stored while followed"));
  }

  @Test
  void aRecordWhoseTransactionCommitsAfterThousandsOfLaterRecordsStillArrives() throws Exception {
    BlockingQueue<String> events = follow();
    awaitFollowing(events);

    try (Connection late = DriverManager.getConnection(url)) {
      // Its id is given now; its commit comes after 5,000 later records were stored and sent.
      late.setAutoCommit(false);
      try (Statement statement = late.createStatement()) {
        statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-late', NULL, NULL, "
            + "'[{\"level\": \"ERROR\", \"message\": \"committed late\"}]'::jsonb, NULL)");
      }
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute("SELECT func_worker_heartbeat_with_logs('gpu-1', NULL, NULL, "
            + "(SELECT jsonb_agg(jsonb_build_object('level', 'INFO', 'message', 'later ' || g)) "
            + "FROM generate_series(1, 5000) g), NULL)");
      }
      assertThat(awaitEvent(events, "later 5000")).as("the later records reached the follower").isTrue();
      late.commit();
    }

    assertThat(awaitEvent(events, "committed late")).isTrue();
  }

  @Test
  void aFollowerOfOneWorkersErrorsGetsOnlyThoseBesideOneWhoFollowsEverything() throws Exception {
    BlockingQueue<String> errors = follow("?level=severe&worker=gpu-2");   // java.util.logging's name for ERROR
    awaitFollowing(errors, "gpu-2", "ERROR");
    BlockingQueue<String> everything = follow("");
    awaitFollowing(everything, "gpu-1", "INFO");

    store("gpu-2", "INFO", "routine on gpu-2");
    store("gpu-1", "ERROR", "error on gpu-1");
    store("gpu-2", "CRITICAL", "critical on gpu-2");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(errors, "critical on gpu-2", received)).isTrue();
    List<String> all = new ArrayList<>();
    assertThat(awaitEvent(everything, "critical on gpu-2", all)).isTrue();
    // Records in id order: the follower of the errors would have had the others before this one.
    assertThat(withoutProbes(received)).singleElement().asString().contains("critical on gpu-2");
    assertThat(withoutProbes(all)).hasSize(3)
        .satisfiesExactly(
            event -> assertThat(event).contains("routine on gpu-2"),
            event -> assertThat(event).contains("error on gpu-1"),
            event -> assertThat(event).contains("critical on gpu-2"));
  }

  @Test
  void followersOfComponentsGetTheRecordsOfTheirsAndOfThoseBelowIt() throws Exception {
    // Two followers of different components: the store is asked for both, each matches its own.
    BlockingQueue<String> diffusers = follow("?component=diffusers");
    awaitFollowing(diffusers, "gpu-1", "INFO", "diffusers");
    BlockingQueue<String> torch = follow("?component=TORCH");
    awaitFollowing(torch, "gpu-1", "INFO", "torch.cuda");

    store("gpu-1", "INFO", "loaded pipeline", "diffusers.pipelines");
    store("gpu-1", "INFO", "not a diffusers logger", "diffusersx");
    store("gpu-1", "WARNING", "cuda warning", "torch.cuda");
    store("gpu-1", "INFO", "no logger at all", null);
    store("gpu-1", "INFO", "last", "diffusers");
    store("gpu-1", "INFO", "last of torch", "torch");

    List<String> ofDiffusers = new ArrayList<>();
    assertThat(awaitEvent(diffusers, "last", ofDiffusers)).isTrue();
    List<String> ofTorch = new ArrayList<>();
    assertThat(awaitEvent(torch, "last of torch", ofTorch)).isTrue();
    assertThat(withoutProbes(ofDiffusers)).satisfiesExactly(
        event -> assertThat(event).contains("loaded pipeline"),
        event -> assertThat(event).contains("\"last\""));
    assertThat(withoutProbes(ofTorch)).satisfiesExactly(
        event -> assertThat(event).contains("cuda warning"),
        event -> assertThat(event).contains("last of torch"));
  }

  @Test
  void followersOfMetadataGetTheRecordsWhoseMetadataHasEveryKeyTheyAskFor() throws Exception {
    // Different metadata: the store is asked for any record, each follower matches its own.
    BlockingQueue<String> wan21 = follow("?meta=model=wan2.1");
    awaitFollowingWithMetadata(wan21, "gpu-1", "INFO", "{\"model\": \"wan2.1\"}");
    BlockingQueue<String> frame12OfWan22 = follow("?meta=model=wan2.2&meta=frame=12");
    awaitFollowingWithMetadata(frame12OfWan22, "gpu-1", "INFO", "{\"model\": \"wan2.2\", \"frame\": 12}");

    storeWithMetadata("gpu-1", "INFO", "wan2.1 frame 3", "{\"model\": \"wan2.1\", \"frame\": 3}");
    storeWithMetadata("gpu-1", "INFO", "wan2.2 frame 3", "{\"model\": \"wan2.2\", \"frame\": 3}");
    storeWithMetadata("gpu-1", "INFO", "wan2.2 frame 12", "{\"model\": \"wan2.2\", \"frame\": \"12\"}");
    storeWithMetadata("gpu-1", "INFO", "no metadata", null);
    storeWithMetadata("gpu-1", "INFO", "last of wan2.1", "{\"model\": \"wan2.1\"}");
    storeWithMetadata("gpu-1", "INFO", "last of wan2.2", "{\"model\": \"wan2.2\", \"frame\": 12}");

    List<String> ofWan21 = new ArrayList<>();
    assertThat(awaitEvent(wan21, "last of wan2.1", ofWan21)).isTrue();
    List<String> ofFrame12 = new ArrayList<>();
    assertThat(awaitEvent(frame12OfWan22, "last of wan2.2", ofFrame12)).isTrue();
    assertThat(withoutProbes(ofWan21)).satisfiesExactly(
        event -> assertThat(event).contains("wan2.1 frame 3"),
        event -> assertThat(event).contains("last of wan2.1"));
    assertThat(withoutProbes(ofFrame12)).satisfiesExactly(
        event -> assertThat(event).contains("wan2.2 frame 12"),
        event -> assertThat(event).contains("last of wan2.2"));
  }

  @Test
  void aBrowserThatComesBackAfterAnIdIsSentWhatItMissedThoughTheFleetStoredMuchMore() throws Exception {
    long lastId = followUntilAndDrop("gpu-3", "seen before the pause");

    store("gpu-3", "INFO", "missed one");
    storeMany("gpu-4", 300);
    store("gpu-3", "WARNING", "missed two");
    BlockingQueue<String> again = follow("?worker=gpu-3&after=" + lastId);

    // Stored while it comes back: before or after its subscription, it comes once, after those.
    store("gpu-3", "INFO", "stored as it came back");

    List<String> received = new ArrayList<>();
    assertThat(awaitEvent(again, "stored as it came back", received)).isTrue();
    store("gpu-3", "INFO", "stored after");
    assertThat(awaitEvent(again, "stored after", received)).isTrue();
    assertThat(received).satisfiesExactly(
        event -> assertThat(event).contains("\"missed one\""),
        event -> assertThat(event).contains("\"missed two\""),
        event -> assertThat(event).contains("\"stored as it came back\""),
        event -> assertThat(event).contains("\"stored after\""));
  }

  @Test
  void aFollowerThatStopsReadingHoldsUpNoOtherAndIsEnded() throws Exception {
    BlockingQueue<String> ends = new LinkedBlockingQueue<>();
    WebSocket stalled = stalledFollower(ends);
    BlockingQueue<String> other = follow("?worker=gpu-watch");
    awaitFollowing(other, "gpu-watch", "INFO");

    flood(TailSubscriber.QUEUED_RECORDS / FLOOD_BATCH + 6);   // more than it may fall behind
    store("gpu-watch", "INFO", "after the flood");

    assertThat(awaitEvent(other, "after the flood")).as("the other follower's record arrived").isTrue();
    stalled.request(Long.MAX_VALUE);   // reads what reached it, then its end
    assertThat(ends.poll(30, TimeUnit.SECONDS)).as("the stalled follower was ended")
        .isNotNull().contains("1013").contains("this follower fell");
  }

  @Test
  void followersThatFallBehindTogetherAreEndedFurthestFirstBeforeEachReachesItsOwnLimit() throws Exception {
    restartWithTailMaxQueued(3_000);
    BlockingQueue<String> ends = new LinkedBlockingQueue<>();
    WebSocket stalled = stalledFollower(ends);
    WebSocket alsoStalled = stalledFollower(ends);
    BlockingQueue<String> other = follow("?worker=gpu-watch");
    awaitFollowing(other, "gpu-watch", "INFO");

    // As much as above: without the bound for all, each would be ended only at its own limit.
    flood(TailSubscriber.QUEUED_RECORDS / FLOOD_BATCH + 6);
    store("gpu-watch", "INFO", "after the flood");

    assertThat(awaitEvent(other, "after the flood")).as("the follower that kept up was kept").isTrue();
    stalled.request(Long.MAX_VALUE);
    alsoStalled.request(Long.MAX_VALUE);
    for (int end = 0; end < 2; end++) {
      assertThat(ends.poll(30, TimeUnit.SECONDS)).as("a stalled follower was ended")
          .isNotNull().contains("1013").contains("fell 3000 records behind together, this one furthest; follow again with after=<last id received>");
    }
  }

  @Test
  void aBrowserWhoseStreamDroppedComesBackWithTheLastEventIdItReceived() throws Exception {
    long lastId = followUntilAndDrop("gpu-7", "seen before the drop");

    store("gpu-7", "WARNING", "missed");
    BlockingQueue<String> again = follow("?worker=gpu-7", "Last-Event-ID", Long.toString(lastId));

    assertThat(awaitEvent(again, "missed")).isTrue();
  }

  @Test
  void theTailRefusesAMissingKeyAndFiltersItCannotReadBeforeItOpens() throws Exception {
    assertThat(handshakeStatus("?worker=gpu-1")).isEqualTo(401);
    assertThat(handshakeStatus("?apikey=hlr_not_a_key_of_this_server_0000000")).isEqualTo(401);
    assertThat(handshakeStatus("?level=LOUD&apikey=" + READER)).isEqualTo(400);
    assertThat(handshakeStatus("?after=yesterday&apikey=" + READER)).isEqualTo(400);
    assertThat(handshakeStatus("?meta=model&apikey=" + READER)).isEqualTo(400);
    // Read at its first look back, it stopped every follower's reads, again and again.
    assertThat(handshakeStatus("?worker=gpu%00-1&after=1&apikey=" + READER)).isEqualTo(400);

    assertThat(eventStream("?level=LOUD")).satisfies(events -> {
      assertThat(events.statusCode()).isEqualTo(400);
      assertThat(events.body()).contains("unknown level 'LOUD'");
    });
    assertThat(eventStream("?worker=gpu%00-1&after=1")).satisfies(events -> {
      assertThat(events.statusCode()).isEqualTo(400);
      assertThat(events.body()).contains("worker cannot hold the NUL character, which no record has");
    });
  }

  private HttpResponse<String> eventStream(String query) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail" + query))
            .header("apikey", READER).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);   // a stream opened instead never ends
  }

  @Test
  void aGetThatDoesNotAskForAnEventStreamIsToldHowRatherThanAnsweredEmpty() throws Exception {
    HttpResponse<String> asCurlAsks = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/tail?apikey=" + READER))
            .header("Accept", "*/*").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(asCurlAsks.statusCode()).isEqualTo(406);
    assertThat(asCurlAsks.body()).contains("Accept: text/event-stream").contains("curl -N -H 'Accept: text/event-stream'");
    BlockingQueue<String> stillFollowed = connect("?apikey=" + READER);   // the WebSocket's upgrade passes
    awaitFollowing(stillFollowed);
  }
}
