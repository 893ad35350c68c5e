package dev.heartlog.server;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body without ever holding more than the size limit: a {@code Content-Length}
 * over it is refused before reading, a body that turns out longer is refused at the limit, and a
 * gzip body ({@code Content-Encoding: gzip}) is refused once its inflated size passes the limit.
 */
final class RequestBody {

  private RequestBody() {}

  static byte[] read(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    try (InputStream raw = ctx.req().getInputStream()) {
      byte[] body = readAtMost(raw, limit);
      String encoding = ctx.header("Content-Encoding");
      if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
        return body;
      }
      if (!encoding.equalsIgnoreCase("gzip")) {
        throw new PostgrestError(415, "PGRST107", "Content-Encoding " + encoding + " is not supported; use gzip", null, null);
      }
      try (InputStream inflated = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
        return readAtMost(inflated, limit);
      }
    } catch (IOException e) {
      throw PostgrestError.badRequest("PGRST102", "Could not read the request body: " + e.getMessage());
    }
  }

  private static byte[] readAtMost(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] chunk = new byte[8192];
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
