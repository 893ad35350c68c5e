package dev.heartlog.agent;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A request body of the {@link PostgrestTransport}, in parts sent one after the other without
 * copying them into one array.
 */
record RequestBody(List<byte[]> parts) {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] LOGS_PARAM = ",\"logs_param\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSING_BRACE = {'}'};

  /**
   * The named arguments; the seed's five only, for servers that have only the seed's function.
   * The agent's own arguments come before {@code logs_param}: {@code heartlog serve} reads the
   * body in one pass, and once it has seen the problem counts in {@code metadata_param} it does
   * not count the batch's records itself.
   *
   * <p>The batch's text, already JSON, travels as its own UTF-8 bytes after the other arguments:
   * one copy of the batch, where a {@code StringWriter}, its {@code String} and that string's
   * bytes made three, and Jackson's raw writing would encode it a character at a time.
   */
  static RequestBody rpcArguments(Heartbeat heartbeat, boolean seedArgumentsOnly) {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(head, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("worker_id_param", heartbeat.workerId());
      number(json, "vram_total_mb_param", heartbeat.vramTotalMb());
      number(json, "vram_used_mb_param", heartbeat.vramUsedMb());
      json.writeStringField("current_task_id_param", heartbeat.currentTaskId());
      if (!seedArgumentsOnly) {
        json.writeStringField("status_param", heartbeat.status().wireName());
        json.writeStringField("session_id_param", heartbeat.sessionId());
        if (heartbeat.batchSequence() == null) {
          json.writeNullField("batch_seq_param");
        } else {
          json.writeNumberField("batch_seq_param", heartbeat.batchSequence());
        }
        json.writeFieldName("metadata_param");
        json.writeRawValue(heartbeat.metadataJson());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The object of the other arguments is opened again, without its closing brace, for the last one.
    byte[] arguments = head.toByteArray();
    return new RequestBody(List.of(Arrays.copyOf(arguments, arguments.length - 1), LOGS_PARAM,
        heartbeat.logsJson().getBytes(StandardCharsets.UTF_8), CLOSING_BRACE));
  }

  /** The seed's fallback heartbeat: the fields of the worker's row, for {@code PATCH /workers}. */
  static RequestBody workerPatch(Heartbeat heartbeat, Instant now) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("last_heartbeat", now.toString());
      json.writeStringField("status", heartbeat.status().wireName());
      // Like the seed's COALESCE: unknown VRAM leaves the stored value alone.
      if (heartbeat.vramTotalMb() != null) {
        json.writeNumberField("vram_total_mb", heartbeat.vramTotalMb());
      }
      if (heartbeat.vramUsedMb() != null) {
        json.writeNumberField("vram_used_mb", heartbeat.vramUsedMb());
      }
      json.writeStringField("current_task_id", heartbeat.currentTaskId());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RequestBody(List.of(out.toByteArray()));
  }

  private static void number(JsonGenerator json, String field, Integer value) throws IOException {
    if (value == null) {
      json.writeNullField(field);
    } else {
      json.writeNumberField(field, value);
    }
  }

  /** The body's length in bytes. */
  int size() {
    return parts.stream().mapToInt(part -> part.length).sum();
  }

  HttpRequest.BodyPublisher publisher() {
    // concat() knows the total length, so the request has a Content-Length, not chunks.
    return HttpRequest.BodyPublishers.concat(
        parts.stream().map(HttpRequest.BodyPublishers::ofByteArray).toArray(HttpRequest.BodyPublisher[]::new));
  }

  void writeTo(OutputStream out) throws IOException {
    for (byte[] part : parts) {
      out.write(part);
    }
  }

  RequestBody gzipped() throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream(Math.max(64, size() / 4));
    try (GZIPOutputStream zip = new GZIPOutputStream(zipped)) {
      writeTo(zip);
    }
    return new RequestBody(List.of(zipped.toByteArray()));
  }
}
