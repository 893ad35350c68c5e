package dev.heartlog.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * A request the HTTP server cannot read at all, answered in the API's JSON shape: an address
 * with {@code %00} or a malformed escape (400), one longer than the server reads (414), headers
 * too large (431). Jetty answers those before any route, and its page was HTML ({@code <h1>Bad
 * Message 400</h1>}), which a client parsing the API's errors could not read. Found by sending
 * the query API odd addresses.
 */
final class BadMessages extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    String hint = switch (status) {
      case 414 -> "The address is longer than the server reads: send fewer or shorter parameters";
      case 431 -> "The request's headers are larger than the server reads";
      default -> "The request could not be read as HTTP: an address with %00 or a malformed %-escape?";
    };
    String message = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    return ByteBuffer.wrap(new PostgrestError(status, "HL" + status, message, null, hint).json()
        .getBytes(StandardCharsets.UTF_8));
  }
}
