package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heartlog token}: the JWT it prints, checked against RFC 7515's example and the store. */
class TokenCommandTest {

  private static final String SECRET = "a-jwt-secret-of-at-least-32-characters-for-postgrest";

  @TempDir Path folder;

  @Test
  void signsAsRfc7515sExampleDoes() {
    // RFC 7515, Appendix A.1: the HS256 example, its header and payload byte for byte.
    byte[] key = Base64.getUrlDecoder().decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    String token = WorkerToken.signed("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}",
        "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}", SigningKey.secret(key));

    assertThat(token).isEqualTo("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  }

  @Test
  void printsASignedTokenNamingTheWorkersAndItsRole() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    Cli.Result result = Cli.run("token", "--workers", "gpu-", "--secret-file", secretFile(SECRET).toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    String token = result.out().strip();
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(result.err()).contains("the workers whose id starts with \"gpu-\"", "as role authenticated", "HEARTLOG_TOKEN");

    String[] parts = token.split("\\.");
    assertThat(decode(parts[0])).isEqualTo(Map.of("alg", "HS256", "typ", "JWT"));
    Map<String, Object> claims = decode(parts[1]);
    assertThat(claims).containsEntry("role", "authenticated").containsEntry("heartlog_workers", "gpu-")
        .doesNotContainKey("aud");
    long issuedAt = (Long) claims.get("iat");
    assertThat(issuedAt).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
    assertThat((Long) claims.get("exp") - issuedAt).isEqualTo(Duration.ofDays(365).toSeconds());
    // The signature as any JWT library, PostgREST's included, checks it: HMAC-SHA256 of the first two parts.
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = hmac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(Base64.getUrlDecoder().decode(parts[2])).isEqualTo(expected);
  }

  @Test
  void anyWorkerARoleOfItsOwnAndNoExpiryAreOptions() throws IOException {
    Cli.Result result = Cli.run("token", "--workers", "*", "--role", "heartlog_fleet", "--expires", "never", "--audience", "authenticated",
        "--secret-file", secretFile(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))).toString(),
        "--secret-is-base64");

    assertThat(result.exitCode()).as(result.err()).isZero();
    Map<String, Object> claims = decode(result.out().strip().split("\\.")[1]);
    assertThat(claims).containsEntry("heartlog_workers", "").containsEntry("role", "heartlog_fleet")
        .containsEntry("aud", "authenticated").doesNotContainKey("exp");
    assertThat(result.err()).contains("any worker", "without expiry");
  }

  @Test
  void aShortSecretOrABadExpiryIsRefusedClearly() throws IOException {
    Cli.Result shortSecret = Cli.run("token", "--workers", "gpu-", "--secret-file", secretFile("too short").toString());
    assertThat(shortSecret.exitCode()).isEqualTo(2);
    assertThat(shortSecret.err()).contains("the JWT secret is 9 bytes; PostgREST needs at least 32");
    assertThat(shortSecret.out()).isEmpty();

    Cli.Result badExpiry = Cli.run("token", "--workers", "gpu-", "--expires", "soon", "--secret-file", secretFile(SECRET).toString());
    assertThat(badExpiry.exitCode()).isEqualTo(2);
    assertThat(badExpiry.err()).contains("--expires must be a duration such as 365d");
  }

  @Test
  void signsEs256WithAKeyAsSupabasesCommandLineMakesIt() throws Exception {
    // `supabase gen signing-key --algorithm ES256` prints one private JSON Web Key such as this;
    // the project verifies tokens signed with it once it is imported as a JWT signing key.
    KeyPair pair = SigningKeyTest.p256KeyPair();
    ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
    Path keyFile = Files.writeString(folder.resolve("signing_key.json"), "{\"kty\":\"EC\",\"kid\":\"3f1c0f2e-heartlog\","
        + "\"use\":\"sig\",\"key_ops\":[\"sign\",\"verify\"],\"alg\":\"ES256\",\"ext\":true,"
        + "\"d\":\"" + base64url(((ECPrivateKey) pair.getPrivate()).getS()) + "\",\"crv\":\"P-256\","
        + "\"x\":\"" + base64url(publicKey.getW().getAffineX()) + "\",\"y\":\"" + base64url(publicKey.getW().getAffineY()) + "\"}");

    Cli.Result result = Cli.run("token", "--workers", "gpu-", "--signing-key", keyFile.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    String[] parts = result.out().strip().split("\\.");
    assertThat(decode(parts[0])).isEqualTo(Map.of("alg", "ES256", "typ", "JWT", "kid", "3f1c0f2e-heartlog"));
    assertThat(decode(parts[1])).containsEntry("heartlog_workers", "gpu-").containsEntry("role", "authenticated");
    assertThat(SigningKeyTest.verifiesEs256(publicKey, parts[0] + "." + parts[1], parts[2])).isTrue();
    assertThat(result.err()).contains("signed ES256 by key 3f1c0f2e-heartlog").doesNotContain("--key-id");
  }

  @Test
  void signsRs256WithAPemKeyUnderTheIdGiven() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Path keyFile = Files.writeString(folder.resolve("key.pem"), SigningKeyTest.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

    Cli.Result withId = Cli.run("token", "--workers", "gpu-", "--signing-key", keyFile.toString(), "--key-id", "fleet-2026");
    Cli.Result withoutId = Cli.run("token", "--workers", "gpu-", "--signing-key", keyFile.toString());

    assertThat(withId.exitCode()).as(withId.err()).isZero();
    String[] parts = withId.out().strip().split("\\.");
    assertThat(decode(parts[0])).isEqualTo(Map.of("alg", "RS256", "typ", "JWT", "kid", "fleet-2026"));
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(pair.getPublic());
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    assertThat(withoutId.exitCode()).isZero();
    assertThat(decode(withoutId.out().strip().split("\\.")[0])).doesNotContainKey("kid");
    assertThat(withoutId.err()).contains("It names no key (kid)", "--key-id");
  }

  @Test
  void aKeyAndASecretTogetherOrAKeyThatCannotBeReadAreRefused() throws IOException {
    Path missing = folder.resolve("missing.json");
    Cli.Result both = Cli.run("token", "--workers", "gpu-", "--signing-key", missing.toString(),
        "--secret-file", secretFile(SECRET).toString());
    Cli.Result unreadable = Cli.run("token", "--workers", "gpu-", "--signing-key", missing.toString());
    Cli.Result publicKey = Cli.run("token", "--workers", "gpu-", "--signing-key",
        Files.writeString(folder.resolve("public.json"), "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}").toString());

    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give either --signing-key or a secret, not both");
    assertThat(unreadable.exitCode()).isEqualTo(2);
    assertThat(unreadable.err()).contains("cannot read the signing key from " + missing);
    assertThat(publicKey.exitCode()).isEqualTo(2);
    assertThat(publicKey.err()).contains("the signing key is a public key");
    assertThat(both.out() + unreadable.out() + publicKey.out()).isEmpty();
  }

  @Test
  void theStoreHoldsACallCarryingTheTokensClaimsToItsWorkers() throws Exception {
    // PostgREST verifies the token and hands its payload to the call as request.jwt.claims; here
    // the payload goes in as it would, on a real PostgreSQL.
    String url = TestDatabase.migratedUrl();
    String token = Cli.run("token", "--workers", "gpu-", "--secret-file", secretFile(SECRET).toString()).out().strip();
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);

    assertThat(callWithClaims(url, payload, "gpu-4")).contains("\"success\": true");
    assertThatThrownBy(() -> callWithClaims(url, payload, "cpu-4"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
        .hasMessageContaining("this token may write only as workers whose id starts with \"gpu-\"");
  }

  @Test
  void revokingTheTokensForItsWorkersEndsATokensWriting() throws Exception {
    String url = TestDatabase.migratedUrl();
    String token = Cli.run("token", "--workers", "gpu-7", "--secret-file", secretFile(SECRET).toString()).out().strip();
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(callWithClaims(url, payload, "gpu-7")).contains("\"success\": true");

    Cli.Result revoke = Cli.run("revoke", "--tokens", "gpu-7", "--db-url", url);

    assertThat(revoke.exitCode()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("Tokens for the workers \"gpu-7\" issued before", "are refused by",
        "heartlog token makes a new one from the next second on");
    assertThatThrownBy(() -> callWithClaims(url, payload, "gpu-7"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
        .hasMessageContaining("the tokens for the workers \"gpu-7\" issued before");

    Cli.Result neither = Cli.run("revoke", "--db-url", url);
    Cli.Result both = Cli.run("revoke", "some_login", "--tokens", "gpu-7", "--db-url", url);
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(neither.err() + both.err()).contains("give a LOGIN, or --tokens PREFIX, not both");
  }

  private static String callWithClaims(String url, String claims, String workerId) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      return TestDatabase.heartbeatAsPostgrest(connection, null, "request.jwt.claims", claims, workerId,
          "[{\"level\": \"INFO\", \"message\": \"frame 1\"}]");
    }
  }

  private Path secretFile(String secret) throws IOException {
    Path file = Files.createTempFile(folder, "jwt-secret", ".txt");
    Files.writeString(file, secret + "\n");
    return file;
  }

  /** A big-endian unsigned number in the 32 bytes of a P-256 coordinate, base64url, as a JSON Web Key holds it. */
  private static String base64url(BigInteger number) {
    byte[] bytes = number.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  /** A token part's JSON object, its numbers as {@code Long}. */
  private static Map<String, Object> decode(String part) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    try (JsonParser json = new JsonFactory().createParser(Base64.getUrlDecoder().decode(part))) {
      json.nextToken();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.getCurrentName();
        JsonToken value = json.nextToken();
        fields.put(name, value == JsonToken.VALUE_NUMBER_INT ? (Object) json.getLongValue() : json.getText());
      }
    }
    return fields;
  }
}
