package io.casefeed.app.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The demo's data folder. {@code --fresh} deletes a folder, and a typo ({@code --data-dir ~}) must not wipe a home
 * directory: casefeed deletes only a folder it made, which it marks with {@value #MARKER} when it first uses it.
 */
public final class DataFolder {

  /** Written into every data folder casefeed makes. */
  public static final String MARKER = ".casefeed-data";

  /** What a demo of an earlier version (before the marker) left in its folder, and nothing else. */
  private static final Set<String> DEMO_ENTRIES = Set.of(MARKER, "kafka", "local-cloud", "streams");

  private DataFolder() {
  }

  /**
   * Creates the folder (or takes an empty one) and marks it as casefeed's. A folder that holds anything else is
   * refused: the demo would mix its data with the user's, and a later {@code --fresh} could not tell them apart.
   */
  public static void prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (!ours(dir)) {
      throw new RefusedFolderException("casefeed will not use " + dir.toAbsolutePath()
          + " as its data folder: it holds files casefeed did not make (no " + MARKER + " marker). "
          + "Pick an empty or new folder with --data-dir.");
    }
    Path marker = dir.resolve(MARKER);
    if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      Files.writeString(marker, "This folder was created by casefeed; `casefeed demo --fresh` may delete it.\n");
    }
  }

  /**
   * Deletes a folder casefeed made and everything in it; a folder that is not there is fine. Anything else is
   * refused with the reason, and nothing is deleted. Symbolic links are removed, never followed.
   */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new RefusedFolderException("refusing to delete " + dir.toAbsolutePath() + ": it is not a folder");
    }
    if (!ours(dir)) {
      throw new RefusedFolderException("refusing to delete " + dir.toAbsolutePath()
          + ": casefeed did not create it (no " + MARKER + " marker, and it holds other files). "
          + "Delete it yourself if you mean it, or pick another --data-dir.");
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Marked, empty, or holding only what an unmarked demo of an earlier version left there. */
  static boolean ours(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (!DEMO_ENTRIES.contains(entry.getFileName().toString())
            || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
      }
    }
    return true;
  }

  /** A folder casefeed will not use or delete; the message says why and what to do. */
  public static final class RefusedFolderException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedFolderException(String message) {
      super(message);
    }
  }
}
