package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The keys a worker token is signed with, checked against RFC 7515's examples and the JDK's own verifier. */
class SigningKeyTest {

  // RFC 7515, Appendix A: the payload of its examples, and the keys of A.2 (RS256) and A.3 (ES256).
  private static final String RFC_PAYLOAD =
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
  private static final String RFC_PAYLOAD_JSON = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
  private static final String RFC_RSA_KEY = """
      {"kty":"RSA",
       "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
       "e":"AQAB",
       "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
       "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
       "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
       "dp":"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
       "dq":"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
       "qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"}
      """;
  private static final String RFC_EC_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
  private static final String RFC_EC_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
  private static final String RFC_EC_KEY = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + RFC_EC_X + "\",\"y\":\"" + RFC_EC_Y
      + "\",\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}";

  @Test
  void signsRs256AsRfc7515sExampleDoes() {
    // RSASSA-PKCS1-v1_5 is deterministic: the key of A.2 must give A.2's signature byte for byte.
    SigningKey key = SigningKey.parse(RFC_RSA_KEY);

    assertThat(key.algorithm()).isEqualTo("RS256");
    assertThat(WorkerToken.signed("{\"alg\":\"RS256\"}", RFC_PAYLOAD_JSON, key)).isEqualTo("eyJhbGciOiJSUzI1NiJ9."
        + RFC_PAYLOAD + ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdb"
        + "F9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi"
        + "12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw");
  }

  @Test
  void signsEs256AsJwsAsksTheKeyOfRfc7515sExample() throws Exception {
    // ECDSA signs differently each time, so the check is a verifier's. The same verifier must
    // accept A.3's own signature: that shows it reads signatures as JWS writes them (R || S, 64
    // bytes), which a DER signature, what plain SHA256withECDSA gives, would fail.
    PublicKey rfcPublicKey = ecPublicKey(RFC_EC_X, RFC_EC_Y);
    assertThat(verifiesEs256(rfcPublicKey, "eyJhbGciOiJFUzI1NiJ9." + RFC_PAYLOAD,
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q")).isTrue();

    SigningKey key = SigningKey.parse(RFC_EC_KEY);
    String token = WorkerToken.signed("{\"alg\":\"ES256\"}", RFC_PAYLOAD_JSON, key);

    assertThat(key.algorithm()).isEqualTo("ES256");
    String[] parts = token.split("\\.");
    assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
    assertThat(verifiesEs256(rfcPublicKey, parts[0] + "." + parts[1], parts[2])).isTrue();
    assertThat(verifiesEs256(rfcPublicKey, parts[0] + "." + RFC_PAYLOAD.replace('j', 'k'), parts[2])).isFalse();
  }

  @Test
  void readsTheOnePrivateKeyOfAKeySetOrAnArrayWithItsId() {
    String set = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"public-only\",\"x\":\"" + RFC_EC_X + "\",\"y\":\""
        + RFC_EC_Y + "\"}," + RFC_EC_KEY.replace("{\"kty\"", "{\"kid\":\"signer\",\"use\":\"sig\",\"key_ops\":[\"sign\",\"verify\"],"
        + "\"ext\":true,\"kty\"") + "]}";

    assertThat(SigningKey.parse(set).keyId()).isEqualTo("signer");
    assertThat(SigningKey.parse("[" + RFC_EC_KEY + "]").keyId()).isNull();
    assertThat(SigningKey.parse(RFC_EC_KEY).withKeyId("given").keyId()).isEqualTo("given");
  }

  @Test
  void aSharedSecretAsAJsonWebKeySignsHs256WithItsId() throws Exception {
    byte[] secret = "a-jwt-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);
    SigningKey key = SigningKey.parse("{\"kty\":\"oct\",\"kid\":\"legacy\",\"k\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\"}");

    assertThat(key.algorithm()).isEqualTo("HS256");
    assertThat(key.keyId()).isEqualTo("legacy");
    byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
    assertThat(key.sign(input)).isEqualTo(SigningKey.secret(secret).sign(input));
  }

  @Test
  void keysItCannotSignWithAreRefusedSayingWhy() throws Exception {
    String publicOnly = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + RFC_EC_X + "\",\"y\":\"" + RFC_EC_Y + "\"}";
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String shortRsa = pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded());
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    String p384 = pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded());

    assertThatThrownBy(() -> SigningKey.parse(publicOnly)).hasMessageContaining("is a public key");
    assertThatThrownBy(() -> SigningKey.parse(RFC_EC_KEY.replace("P-256", "P-384"))).hasMessageContaining("P-256 (ES256), not P-384");
    assertThatThrownBy(() -> SigningKey.parse(RFC_EC_KEY.replace("{", "{\"alg\":\"ES384\",")))
        .hasMessageContaining("the signing key is for ES384");
    assertThatThrownBy(() -> SigningKey.parse("[" + RFC_EC_KEY + "," + RFC_RSA_KEY + "]")).hasMessageContaining("2 private keys");
    assertThatThrownBy(() -> SigningKey.parse(shortRsa)).hasMessageContaining("has 1024 bits; RS256 needs at least 2048");
    assertThatThrownBy(() -> SigningKey.parse(p384)).hasMessageContaining("on another curve");
    assertThatThrownBy(() -> SigningKey.parse(pem("EC PRIVATE KEY", new byte[] {1, 2, 3})))
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> SigningKey.parse("{\"kty\":\"oct\",\"k\":\"c2hvcnQ\"}")).hasMessageContaining("PostgREST needs at least 32");
    assertThatThrownBy(() -> SigningKey.parse("not a key")).hasMessageContaining("neither a JSON Web Key nor a PEM");
    // A private part of another key: every verifier would refuse its tokens.
    String otherD = RFC_EC_KEY.replace("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI", "AAAQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI");
    assertThatThrownBy(() -> SigningKey.parse(otherD)).hasMessageContaining("private part does not belong to its public part");
    String rsaOtherD = "{\"kty\":\"RSA\",\"n\":\"" + member(RFC_RSA_KEY, "n") + "\",\"e\":\"AQAB\",\"d\":\"" + member(RFC_RSA_KEY, "dp") + "\"}";
    assertThatThrownBy(() -> SigningKey.parse(rsaOtherD)).hasMessageContaining("private part does not belong to its public part");
  }

  /** A string member of a JSON object written as the keys above are. */
  private static String member(String json, String name) {
    int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
    return json.substring(start, json.indexOf('"', start));
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  static boolean verifiesEs256(PublicKey key, String signingInput, String signature) throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(key);
    verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return verifier.verify(Base64.getUrlDecoder().decode(signature));
  }

  private static PublicKey ecPublicKey(String x, String y) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec p256 = ((ECPublicKey) generator.generateKeyPair().getPublic()).getParams();
    ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(x)), new BigInteger(1, Base64.getUrlDecoder().decode(y)));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, p256));
  }

  static KeyPair p256KeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
