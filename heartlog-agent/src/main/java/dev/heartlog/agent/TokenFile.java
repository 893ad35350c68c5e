package dev.heartlog.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bearer token kept in a file, read again at every heartbeat: a new token written there (a
 * rotated Kubernetes secret, say) is sent from the next heartbeat on, without restarting the
 * worker. One small read every 20 seconds; the parsed token is kept while the text is the same.
 */
final class TokenFile {

  private final Path path;
  // Read by the heartbeat thread alone, or by several at once sharing a transport; two that
  // parse the same new text at once keep equal tokens, so no lock is needed.
  private volatile BearerToken current;

  TokenFile(Path path) {
    this.path = path;
  }

  /**
   * The token the file holds now.
   *
   * @throws IOException when the file cannot be read or is empty: the heartbeat then fails, and
   *     its records wait, as for a store that cannot be reached
   */
  BearerToken read() throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      throw new IOException("the token file " + path + " is empty");
    }
    BearerToken token = current;
    if (token == null || !token.value().equals(text)) {
      token = BearerToken.of(text);
      current = token;
    }
    return token;
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
