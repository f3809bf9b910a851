package io.casefeed.notifier.link;

import java.time.Instant;

/** A URL anyone holding it may GET an S3 object with, until {@code expires}. */
public record PresignedLink(String url, Instant expires) {}
