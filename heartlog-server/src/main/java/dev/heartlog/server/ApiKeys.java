package dev.heartlog.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys {@code heartlog serve} accepts. A <em>writer</em> key may send heartbeats, only as
 * the workers whose id starts with its prefix ({@code *} for any); a <em>reader</em> key may use
 * the query API. Only SHA-256 hashes are kept.
 *
 * <p>The keys file has one key a line: {@code writer sha256:<hex> <worker-prefix>} or {@code
 * reader sha256:<hex>}; {@code #} starts a comment. {@code HEARTLOG_WRITER_KEYS}
 * ({@code key[:prefix],...}) and {@code HEARTLOG_READER_KEYS} ({@code key,...}) add keys given in
 * plain text.
 */
final class ApiKeys {

  enum Role {
    WRITER,
    READER
  }

  /** A key's rights. {@code workerPrefix} is {@code *} for any worker, and unused for readers. */
  record Grant(Role role, String workerPrefix) {

    boolean mayWriteAs(String workerId) {
      return role == Role.WRITER && ("*".equals(workerPrefix) || (workerId != null && workerId.startsWith(workerPrefix)));
    }
  }

  /** Keys made on a first start, to print once. */
  record Created(String writerKey, String readerKey) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Grant> byHash;

  private ApiKeys(Map<String, Grant> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** Keys from the given entries; for tests and embedding. */
  static ApiKeys of(Map<String, Grant> plainKeys) {
    Map<String, Grant> byHash = new HashMap<>();
    plainKeys.forEach((key, grant) -> byHash.put(hash(key), grant));
    return new ApiKeys(byHash);
  }

  /**
   * Reads the keys file (if it exists) and the two variables. With neither, creates one writer
   * key (any worker) and one reader key, stores their hashes in {@code file}, and returns them
   * in {@code created} so they can be shown once.
   *
   * @throws IllegalArgumentException for a malformed line or variable, naming it
   */
  static ApiKeys load(Path file, String writerKeys, String readerKeys, Created[] created) throws IOException {
    Map<String, Grant> byHash = new HashMap<>();
    if (Files.exists(file)) {
      readFile(file, byHash);
    }
    addPlain(writerKeys, Role.WRITER, byHash, "HEARTLOG_WRITER_KEYS");
    addPlain(readerKeys, Role.READER, byHash, "HEARTLOG_READER_KEYS");
    if (byHash.isEmpty()) {
      String writer = newKey("hlw_");
      String reader = newKey("hlr_");
      List<String> lines = new ArrayList<>();
      lines.add("# heartlog serve keys: only hashes. Add lines to add keys; delete a line to revoke one.");
      lines.add("writer sha256:" + hash(writer) + " *");
      lines.add("reader sha256:" + hash(reader));
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
      restrictToOwner(file);
      byHash.put(hash(writer), new Grant(Role.WRITER, "*"));
      byHash.put(hash(reader), new Grant(Role.READER, null));
      created[0] = new Created(writer, reader);
    }
    return new ApiKeys(byHash);
  }

  /** The rights of a presented key, or empty for an unknown one. */
  Optional<Grant> grantOf(String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byHash.get(hash(presentedKey.trim())));
  }

  /** A new random key with the given prefix: 32 random bytes, URL-safe Base64. */
  static String newKey(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void readFile(Path file, Map<String, Grant> byHash) throws IOException {
    int number = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+");
      boolean writer = words[0].equals("writer") && words.length == 3;
      boolean reader = words[0].equals("reader") && words.length == 2;
      if ((!writer && !reader) || !words[1].startsWith("sha256:")) {
        throw new IllegalArgumentException(file + " line " + number
            + " must be 'writer sha256:<hex> <worker-prefix>' or 'reader sha256:<hex>'");
      }
      byHash.put(words[1].substring("sha256:".length()), writer ? new Grant(Role.WRITER, words[2]) : new Grant(Role.READER, null));
    }
  }

  private static void addPlain(String value, Role role, Map<String, Grant> byHash, String variable) {
    if (value == null || value.isBlank()) {
      return;
    }
    for (String entry : value.split(",")) {
      String item = entry.strip();
      if (item.isEmpty()) {
        continue;
      }
      int colon = item.indexOf(':');
      String key = role == Role.WRITER && colon > 0 ? item.substring(0, colon) : item;
      String prefix = role == Role.WRITER ? (colon > 0 ? item.substring(colon + 1) : "*") : null;
      if (key.length() < 16) {
        throw new IllegalArgumentException(variable + " holds a key shorter than 16 characters");
      }
      byHash.put(hash(key), new Grant(role, prefix));
    }
  }

  private static void restrictToOwner(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException ignored) {
      // Not a POSIX file system; the file holds hashes only.
    }
  }
}
