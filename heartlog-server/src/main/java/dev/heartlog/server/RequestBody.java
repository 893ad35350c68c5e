package dev.heartlog.server;

import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body without ever holding more than the size limit: a {@code Content-Length}
 * over it is refused before reading, a body that turns out longer is refused at the limit, and a
 * gzip body ({@code Content-Encoding: gzip}) is refused once its inflated size passes the limit.
 *
 * <p>A body whose length is declared (a heartlog agent's always is) is read straight into one
 * array of that length; only a body of unknown length (chunked) or an inflated one grows as it
 * comes.
 */
final class RequestBody {

  private static final int CHUNK = 8192;

  private RequestBody() {}

  static byte[] read(Context ctx, long limit) {
    try (InputStream raw = ctx.req().getInputStream()) {
      return read(raw, ctx.req().getContentLengthLong(), ctx.header("Content-Encoding"), limit);
    } catch (IOException e) {
      throw PostgrestError.badRequest("PGRST102", "Could not read the request body: " + e.getMessage());
    }
  }

  /**
   * The body from {@code raw}: {@code declared} bytes ({@code -1}: unknown), in the given
   * {@code Content-Encoding} ({@code null}: none).
   */
  static byte[] read(InputStream raw, long declared, String encoding, long limit) throws IOException {
    if (declared > limit) {
      throw tooLarge(limit);
    }
    byte[] body = declared >= 0 ? readDeclared(raw, (int) declared) : readAtMost(raw, limit, CHUNK);
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return body;
    }
    if (!encoding.equalsIgnoreCase("gzip")) {
      throw new PostgrestError(415, "PGRST107", "Content-Encoding " + encoding + " is not supported; use gzip", null, null);
    }
    try (InputStream inflated = new GZIPInputStream(new ByteArrayInputStream(body))) {
      // Heartbeat JSON inflates 2-17 fold (the Python worker fixture 2.4x, a repetitive
      // 100-record agent batch 17x): a first guess of 8x, at most a megabyte, grows as needed.
      return readAtMost(inflated, limit, (int) Math.min(Math.min(limit, 1 << 20), Math.max(CHUNK, 8L * body.length)));
    }
  }

  private static byte[] readDeclared(InputStream in, int length) throws IOException {
    byte[] body = new byte[length];
    int read = in.readNBytes(body, 0, length);
    if (read < length) {
      throw PostgrestError.badRequest("PGRST102",
          "The request body ended after " + read + " of the " + length + " bytes its Content-Length says");
    }
    return body;
  }

  private static byte[] readAtMost(InputStream in, long limit, int expected) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    int read;
    while ((read = in.read(chunk)) > 0) {
      total += read;
      if (total > limit) {
        throw tooLarge(limit);
      }
      out.write(chunk, 0, read);
    }
    return out.toByteArray();
  }

  private static PostgrestError tooLarge(long limit) {
    return new PostgrestError(413, "PGRST413", "The request body is larger than " + limit + " bytes", null,
        "Send fewer records per call, or raise heartlog serve --max-body");
  }
}
