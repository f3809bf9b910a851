package io.casefeed.collector.accounts;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/** The seed's account file in S3 (s3://bucket/key). */
public final class S3AccountFileSource implements AccountSource {

  private static final Logger LOG = LoggerFactory.getLogger(S3AccountFileSource.class);

  private final URI uri;
  private final Function<URI, String> reader;

  /** @param reader returns the object's text; an exception means the file could not be read */
  public S3AccountFileSource(URI uri, Function<URI, String> reader) {
    this.uri = uri;
    this.reader = reader;
  }

  public static S3AccountFileSource of(URI uri, S3Client s3) {
    return new S3AccountFileSource(uri, u -> {
      // A range read: a huge object costs at most one byte more than the cap, never the whole body.
      byte[] head = s3.getObjectAsBytes(b -> b.bucket(u.getHost()).key(u.getPath().substring(1))
          .range("bytes=0-" + AccountFileParser.MAX_FILE_BYTES)).asByteArray();
      return text(u, head);
    });
  }

  /** The file's text; a file past the cap cannot be read, so that round nothing is removed. */
  static String text(URI uri, byte[] content) {
    if (content.length > AccountFileParser.MAX_FILE_BYTES) {
      throw new IllegalStateException("account file " + uri + " is larger than " + AccountFileParser.MAX_FILE_BYTES
          + " bytes; an account file lists one 12-digit id per line");
    }
    return new String(content, StandardCharsets.UTF_8);
  }

  @Override
  public String name() {
    return "s3-file";
  }

  @Override
  public List<ResolvedAccount> accounts() {
    AccountFileParser.Result result = AccountFileParser.parse(reader.apply(uri));
    if (result.badLineCount() > 0) {
      // One line per refresh, not one per bad line: a file of junk must not flood the log every few minutes.
      StringBuilder first = new StringBuilder();
      for (AccountFileParser.BadLine bad : result.badLines()) {
        first.append(first.length() == 0 ? "" : "; ").append("line ").append(bad.lineNumber()).append(' ')
            .append(bad.reason()).append(" (").append(bad.content()).append(')');
      }
      LOG.warn("account file {}: {} line(s) skipped; first {}: {}", uri, result.badLineCount(), result.badLines().size(), first);
    }
    return result.accountIds().stream().map(id -> new ResolvedAccount(id, null, null, List.of(name()))).toList();
  }
}
