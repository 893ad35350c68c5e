package dev.heartlog.store;

/** A store operation failed; the message is one sentence a user can act on. */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
