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
    return new S3AccountFileSource(uri, u -> s3.getObjectAsBytes(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)))
        .asString(StandardCharsets.UTF_8));
  }

  @Override
  public String name() {
    return "s3-file";
  }

  @Override
  public List<ResolvedAccount> accounts() {
    AccountFileParser.Result result = AccountFileParser.parse(reader.apply(uri));
    for (AccountFileParser.BadLine bad : result.badLines()) {
      LOG.warn("account file {} line {} skipped: {} ({})", uri, bad.lineNumber(), bad.reason(), bad.content());
    }
    return result.accountIds().stream().map(id -> new ResolvedAccount(id, null, null, List.of(name()))).toList();
  }
}
