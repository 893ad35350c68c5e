package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A JSON Web Token (RFC 7519) for a worker that sends heartbeats through PostgREST or Supabase,
 * signed with a key PostgREST verifies tokens with ({@link SigningKey}). Its claim {@code
 * heartlog_workers} holds the worker to the ids that start with it: the ingest function reads it
 * from {@code request.jwt.claims} (R__ingest.sql). Its {@code role} is the database role PostgREST
 * runs the call as.
 */
final class WorkerToken {

  /** The claim the ingest function reads. */
  static final String WORKERS_CLAIM = "heartlog_workers";

  private static final JsonFactory JSON = new JsonFactory();

  private WorkerToken() {}

  /**
   * The token for the workers whose id starts with {@code workerPrefix} ({@code ""}: any).
   *
   * @param audience its {@code aud} claim, or {@code null} for none
   * @param expiresAt {@code null} for a token that does not expire
   */
  static String make(SigningKey key, String workerPrefix, String role, String audience, Instant issuedAt,
      Instant expiresAt) {
    String header = json(json -> {
      json.writeStringField("alg", key.algorithm());
      json.writeStringField("typ", "JWT");
      if (key.keyId() != null) {
        // A verifier holding several keys (a JWKS, Supabase's signing keys) picks the one named here.
        json.writeStringField("kid", key.keyId());
      }
    });
    String claims = json(json -> {
      json.writeStringField("role", role);
      json.writeStringField(WORKERS_CLAIM, workerPrefix);
      if (audience != null) {
        json.writeStringField("aud", audience);
      }
      json.writeNumberField("iat", issuedAt.getEpochSecond());
      if (expiresAt != null) {
        json.writeNumberField("exp", expiresAt.getEpochSecond());
      }
    });
    return signed(header, claims, key);
  }

  /** {@code header.payload.signature}, each part base64url-encoded (RFC 7515's compact serialization). */
  static String signed(String headerJson, String payloadJson, SigningKey key) {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    String signingInput = base64url.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + base64url.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + base64url.encodeToString(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /** A JSON object of the fields written. */
  private static String json(Fields fields) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
