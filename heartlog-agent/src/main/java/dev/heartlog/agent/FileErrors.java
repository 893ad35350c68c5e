package dev.heartlog.agent;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** File errors as a person reads them. */
public final class FileErrors {

  private FileErrors() {}

  /**
   * What went wrong. The JDK's exceptions for a path that is missing, refused or taken by a file
   * carry the path alone ({@code /var/lib/heartlog}), which says nothing of why.
   */
  public static String describe(Exception e) {
    if (e instanceof FileSystemException f && f.getReason() == null && f.getOtherFile() == null) {
      String why = e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "does not exist and could not be created"
          : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
          : e.getClass().getSimpleName();
      return f.getFile() + ": " + why;
    }
    return e.getMessage();
  }
}
