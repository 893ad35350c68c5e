package dev.heartlog.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Prints a token for workers that send heartbeats through PostgREST or Supabase, holding them to
 * their worker ids as {@code heartlog grant writer} holds a database login (README, "Database
 * roles"). The token alone goes to standard output, so that it can be captured; what it allows
 * goes to standard error.
 */
@Command(
    name = "token",
    description = "Prints a token (JWT) for workers that send heartbeats through PostgREST or Supabase: "
        + "it may write only as the workers whose id starts with PREFIX. heartlog revoke --tokens PREFIX takes such "
        + "tokens back.",
    mixinStandardHelpOptions = true)
final class TokenCommand implements Callable<Integer> {

  static final String SECRET_VARIABLE = "HEARTLOG_JWT_SECRET";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([dhms])");

  @Spec CommandSpec spec;

  @Option(names = "--workers", paramLabel = "PREFIX", required = true,
      description = "The worker ids it may write as: those starting with PREFIX; '*' for any.")
  String workers;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "authenticated",
      description = "The database role PostgREST runs its calls as (default: ${DEFAULT-VALUE}, as on Supabase).")
  String role;

  @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "365d",
      description = "How long it is valid: 365d, 12h, 30m, or never (default: ${DEFAULT-VALUE}).")
  String expires;

  @Option(names = "--audience", paramLabel = "AUD",
      description = "An aud claim, for a PostgREST whose jwt-aud asks for one (Supabase's own tokens say authenticated).")
  String audience;

  @Option(names = "--secret-file", paramLabel = "FILE",
      description = "A file holding the JWT secret PostgREST verifies tokens with (Supabase: the project's "
          + "legacy JWT secret); default $" + SECRET_VARIABLE + ".")
  Path secretFile;

  @Option(names = "--secret-is-base64",
      description = "The secret is base64, as PostgREST's jwt-secret-is-base64 says.")
  boolean secretIsBase64;

  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "Sign with a private key instead of a secret: a JSON Web Key (as supabase gen signing-key "
          + "prints it, imported into the project's JWT signing keys) or a PKCS#8 PEM; EC P-256 signs ES256, "
          + "RSA signs RS256.")
  Path signingKeyFile;

  @Option(names = "--key-id", paramLabel = "KID",
      description = "The key's id (kid) in the token's header, where the key file has none (a PEM) or another.")
  String keyId;

  @Override
  public Integer call() {
    BlankValues.refusePrefix(spec, "--workers", workers);
    String prefix = "*".equals(workers) ? "" : workers;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Duration validFor = validity(expires);
    Instant expiresAt = validFor == null ? null : now.plus(validFor);
    String token;
    SigningKey key;
    try {
      key = signingKey();
      token = WorkerToken.make(key, prefix, role, audience, now, expiresAt);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println(token);
    PrintWriter err = spec.commandLine().getErr();
    err.println("A token for " + (prefix.isEmpty() ? "any worker" : "the workers whose id starts with \"" + prefix + "\"")
        + ", as role " + role + ", " + (expiresAt == null ? "without expiry" : "valid until " + expiresAt)
        + ", signed " + key + ". Give it to the worker as HEARTLOG_TOKEN, with the project's key as HEARTLOG_KEY or "
        + "SUPABASE_KEY.");
    if (signingKeyFile != null && key.keyId() == null) {
      err.println("It names no key (kid): a verifier that holds several keys, as Supabase does, may need one: --key-id.");
    }
    err.flush();
    return 0;
  }

  /** The key from --signing-key, else the secret from --secret-file or the environment. */
  private SigningKey signingKey() {
    SigningKey key;
    if (signingKeyFile != null) {
      if (secretFile != null || secretIsBase64) {
        throw new ParameterException(spec.commandLine(), "give either --signing-key or a secret, not both");
      }
      key = SigningKey.parse(read(signingKeyFile, "the signing key"));
    } else {
      key = SigningKey.secret(secret());
    }
    return keyId == null ? key : key.withKeyId(keyId);
  }

  private byte[] secret() {
    String text;
    if (secretFile != null) {
      text = read(secretFile, "the JWT secret").strip();
    } else {
      text = System.getenv(SECRET_VARIABLE);
      if (text == null || text.isBlank()) {
        throw new ParameterException(spec.commandLine(),
            "give the key PostgREST verifies tokens with: --signing-key FILE, --secret-file FILE or $" + SECRET_VARIABLE);
      }
      text = text.strip();
    }
    if (!secretIsBase64) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--secret-is-base64, but the secret is not base64");
    }
  }

  private String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + what + " from " + file + " (" + e + ")");
    }
  }

  /** The validity of {@code --expires}, or {@code null} for never. */
  private Duration validity(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("never")) {
      return null;
    }
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
      throw new ParameterException(spec.commandLine(),
          "--expires must be a duration such as 365d, 12h or 30m, or never (got '" + text + "')");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "d" -> Duration.ofDays(amount);
      case "h" -> Duration.ofHours(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofSeconds(amount);
    };
  }
}
