package dev.heartlog.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP call whose whole answer, its body too, comes within a time and a size. The JDK's
 * request timeout ends when the answer's headers come: a server (or a proxy) that sent them and
 * then stalled in the body held the heartbeat thread for good, and no heartbeat went out again
 * until the worker restarted. And an answer was read whole into memory, however large.
 */
final class BoundedExchange {

  /** The most of an answer's body read: the ingest function's answer is a few hundred bytes. */
  static final int MAX_ANSWER_BYTES = 1 << 20;

  private BoundedExchange() {}

  /**
   * Sends the request and waits for its whole answer, at most {@code timeout}.
   *
   * @throws HttpTimeoutException when the whole answer did not come within {@code timeout}
   * @throws IOException when the exchange failed, or the body is larger than {@link #MAX_ANSWER_BYTES}
   */
  static HttpResponse<String> send(HttpClient client, HttpRequest request, Duration timeout)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request, info -> new CappedBody());
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new HttpTimeoutException("no whole answer within " + Diagnostics.length(timeout));
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(cause);
    }
  }

  /** An answer's body past {@link #MAX_ANSWER_BYTES}: no answer of the ingest function's (a proxy's page?). */
  static final class AnswerTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    AnswerTooLarge() {
      super("an answer of more than " + MAX_ANSWER_BYTES + " bytes, which no answer of the ingest function is");
    }
  }

  /** The body as UTF-8 text (what PostgREST sends), refused past {@link #MAX_ANSWER_BYTES}. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<String> {
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (body.isDone()) {
          return;
        }
        if (bytes.size() + buffer.remaining() > MAX_ANSWER_BYTES) {
          subscription.cancel();
          body.completeExceptionally(new AnswerTooLarge());
          return;
        }
        byte[] part = new byte[buffer.remaining()];
        buffer.get(part);
        bytes.write(part, 0, part.length);
      }
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
