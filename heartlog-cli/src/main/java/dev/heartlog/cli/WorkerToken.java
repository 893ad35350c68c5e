package dev.heartlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JSON Web Token (RFC 7519) for a worker that sends heartbeats through PostgREST or Supabase,
 * signed with HS256 and the secret PostgREST verifies tokens with. Its claim {@code
 * heartlog_workers} holds the worker to the ids that start with it: the ingest function reads it
 * from {@code request.jwt.claims} (R__ingest.sql). Its {@code role} is the database role PostgREST
 * runs the call as.
 */
final class WorkerToken {

  /** The claim the ingest function reads. */
  static final String WORKERS_CLAIM = "heartlog_workers";
  /** PostgREST refuses a JWT secret shorter than this. */
  static final int MIN_SECRET_BYTES = 32;

  private static final JsonFactory JSON = new JsonFactory();
  private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

  private WorkerToken() {}

  /**
   * The token for the workers whose id starts with {@code workerPrefix} ({@code ""}: any).
   *
   * @param audience its {@code aud} claim, or {@code null} for none
   * @param expiresAt {@code null} for a token that does not expire
   * @throws IllegalArgumentException when the secret is shorter than PostgREST accepts
   */
  static String make(byte[] secret, String workerPrefix, String role, String audience, Instant issuedAt,
      Instant expiresAt) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret is " + secret.length + " bytes; PostgREST needs at least "
          + MIN_SECRET_BYTES);
    }
    StringWriter claims = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(claims)) {
      json.writeStartObject();
      json.writeStringField("role", role);
      json.writeStringField(WORKERS_CLAIM, workerPrefix);
      if (audience != null) {
        json.writeStringField("aud", audience);
      }
      json.writeNumberField("iat", issuedAt.getEpochSecond());
      if (expiresAt != null) {
        json.writeNumberField("exp", expiresAt.getEpochSecond());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return signed(HEADER, claims.toString(), secret);
  }

  /** {@code header.payload.signature}: both parts base64url-encoded, signed with HMAC-SHA256. */
  static String signed(String headerJson, String payloadJson, byte[] key) {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    String signingInput = base64url.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + base64url.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return signingInput + "." + base64url.encodeToString(hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot compute HMAC-SHA256", e);
    }
  }
}
