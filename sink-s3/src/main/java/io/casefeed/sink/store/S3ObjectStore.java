package io.casefeed.sink.store;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.retry.Retrier;
import io.casefeed.common.time.Sleeper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on any S3 API. Transient failures (5xx, 429/SlowDown, timeouts, dropped
 * connections) are retried here with backoff; 403 and NoSuchBucket become {@link
 * StoreAccessException}. {@code createIfAbsent} first asks with HEAD and then writes with {@code
 * If-None-Match: *}: the HEAD makes replays after a crash safe on any store, the condition closes
 * the race with a concurrent writer on stores that enforce it (AWS S3 does; {@link
 * #detectConditionalWrites} finds out).
 */
public final class S3ObjectStore implements ObjectStore {

  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

  private final S3Client s3;
  private final String bucket;
  private final Retrier retrier;
  private final long multipartThreshold;
  private final int partSize;
  private final Counter retries;
  private final Timer uploadLatency;
  private volatile boolean conditionalWritesEnforced;

  /**
   * @param backoff attempts and pauses for transient failures (full jitter)
   * @param sleeper waits out the pauses; a test's {@code MutableClock} (common's test-jar) does not really wait
   */
  public S3ObjectStore(S3Client s3, String bucket, Backoff backoff, long multipartThreshold, int partSize, MeterRegistry meters,
      Sleeper sleeper) {
    this.s3 = s3;
    this.bucket = bucket;
    this.retrier = new Retrier(backoff, S3ObjectStore::isRetryable, sleeper);
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
    this.retries = meters.counter("casefeed.sink.s3.retries");
    this.uploadLatency = meters.timer("casefeed.sink.s3.upload.latency");
  }

  public S3ObjectStore(S3Client s3, String bucket, Backoff backoff, long multipartThreshold, int partSize, MeterRegistry meters) {
    this(s3, bucket, backoff, multipartThreshold, partSize, meters, Sleeper.SYSTEM);
  }

  /**
   * Writes a fresh probe object twice with {@code If-None-Match: *}; any refusal proves the store
   * enforces the condition (a refusal of the first write means a retried attempt found its own
   * earlier write). Either way the sink is correct; this decides what is logged and whether the
   * HEAD is the only guard.
   */
  public boolean detectConditionalWrites(String probeFolder) {
    String probeKey = probeFolder + "conditional-write-probe-" + java.util.UUID.randomUUID();
    byte[] probe = new byte[] {'p'};
    boolean firstCreated = conditionalPut(probeKey, probe, "text/plain", Map.of());
    boolean secondCreated = conditionalPut(probeKey, probe, "text/plain", Map.of());
    conditionalWritesEnforced = !firstCreated || !secondCreated;
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(probeKey).build());
    } catch (RuntimeException e) {
      LOG.debug("probe {} left behind: {}", probeKey, e.toString());
    }
    LOG.info("S3 bucket {}: If-None-Match on PutObject is {}", bucket,
        conditionalWritesEnforced ? "enforced: conditional writes guard every object"
            : "ignored by this store: HEAD before PUT guards replays (one writer per partition assumed)");
    return conditionalWritesEnforced;
  }

  /** Whether the store itself enforces {@code If-None-Match: *}, as the last probe found. */
  public boolean conditionalWritesEnforced() {
    return conditionalWritesEnforced;
  }

  @Override
  public Optional<Map<String, String>> createIfAbsent(String key, byte[] content, String contentType, Map<String, String> metadata) {
    Optional<Map<String, String>> existing = metadata(key);
    if (existing.isPresent()) {
      return existing;
    }
    boolean created = content.length >= multipartThreshold
        ? multipartUpload(key, content, contentType, metadata, true)
        : conditionalPut(key, content, contentType, metadata);
    if (created) {
      return Optional.empty();
    }
    // Refused by the condition: someone wrote it between our HEAD and our PUT, or our own earlier
    // attempt landed before its reply was lost. Either way the object that is there wins.
    return Optional.of(metadata(key).orElseThrow(() -> new IllegalStateException(
        "s3://" + bucket + "/" + key + " was refused as existing but cannot be found")));
  }

  @Override
  public void put(String key, byte[] content, String contentType, Map<String, String> metadata) {
    if (content.length >= multipartThreshold) {
      multipartUpload(key, content, contentType, metadata, false);
      return;
    }
    uploadLatency.record(() -> retrying("put " + key, () -> s3.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata), RequestBody.fromBytes(content))));
  }

  private boolean conditionalPut(String key, byte[] content, String contentType, Map<String, String> metadata) {
    return uploadLatency.record(() -> retrying("put " + key, () -> {
      try {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata).ifNoneMatch("*"),
            RequestBody.fromBytes(content));
        return true;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return false;
        }
        throw e;
      }
    }));
  }

  private boolean multipartUpload(String key, byte[] content, String contentType, Map<String, String> metadata, boolean ifAbsent) {
    return uploadLatency.record(() -> {
      CreateMultipartUploadResponse upload = retrying("create multipart upload " + key,
          () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata)));
      String uploadId = upload.uploadId();
      try {
        List<CompletedPart> parts = new ArrayList<>();
        for (int offset = 0, number = 1; offset < content.length; offset += partSize, number++) {
          int length = Math.min(partSize, content.length - offset);
          int partNumber = number;
          int from = offset;
          String etag = retrying("upload part " + partNumber + " of " + key, () -> s3.uploadPart(
              b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
              // A copy of the part: the SDK's fromByteBuffer reads a wrapped buffer from index 0, not its position.
              RequestBody.fromBytes(java.util.Arrays.copyOfRange(content, from, from + length)))).eTag();
          parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        return retrying("complete multipart upload " + key, () -> {
          try {
            s3.completeMultipartUpload(b -> {
              b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
              if (ifAbsent) {
                b.ifNoneMatch("*");
              }
            });
            return true;
          } catch (S3Exception e) {
            if (e.statusCode() == 412) {
              abort(key, uploadId);
              return false;
            }
            throw e;
          }
        });
      } catch (RuntimeException e) {
        abort(key, uploadId);
        throw e;
      }
    });
  }

  private void abort(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
    } catch (RuntimeException e) {
      LOG.warn("cannot abort multipart upload {} of {} (a bucket lifecycle rule cleans it up): {}", uploadId, key, e.toString());
    }
  }

  @Override
  public Optional<Map<String, String>> metadata(String key) {
    return retrying("head " + key, () -> {
      try {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
        return Optional.of(head.metadata());
      } catch (NoSuchKeyException e) {
        return Optional.empty();
      } catch (S3Exception e) {
        // HEAD has no body, so a missing key arrives as a bare 404; a missing bucket as 404 too,
        // which the sink's start-up check tells apart.
        if (e.statusCode() == 404) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  @Override
  public List<StoredObject> list(String prefix) {
    List<StoredObject> objects = new ArrayList<>();
    retrying("list " + prefix, () -> {
      objects.clear();
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        objects.add(new StoredObject(object.key(), object.size()));
      }
      return null;
    });
    return objects;
  }

  @Override
  public void download(String key, Path target) {
    retrying("get " + key, () -> {
      try {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try (var in = s3.getObject(b -> b.bucket(bucket).key(key))) {
          Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Fails with {@link StoreAccessException} unless the bucket exists and the sink may use it. */
  public void checkBucket() {
    try {
      retrying("head bucket " + bucket, () -> s3.headBucket(b -> b.bucket(bucket)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new StoreAccessException("S3 bucket " + bucket + " does not exist (NoSuchBucket): create it or fix s3.bucket", e);
      }
      throw e;
    }
  }

  private void retrying(String what, Runnable call) {
    retrying(what, () -> {
      call.run();
      return null;
    });
  }

  private <T> T retrying(String what, Supplier<T> call) {
    int maxAttempts = retrier.backoff().maxAttempts();
    try {
      return retrier.call(() -> {
        try {
          return call.get();
        } catch (S3Exception e) {
          if (isAccessProblem(e)) {
            throw new StoreAccessException("S3 refuses " + what + " in bucket " + bucket + ": " + describe(e)
                + " (check the bucket name, region and the sink's IAM permissions)", e);
          }
          throw e;
        }
      }, (failedAttempts, failure, pause) -> {
        retries.increment();
        String reason = failure instanceof S3Exception e ? describe(e) : failure.getMessage();
        LOG.warn("S3 {} failed (attempt {} of {}: {}); retrying in {} ms", what, failedAttempts, maxAttempts, reason, pause.toMillis());
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying S3 " + what, e);
    }
  }

  /** Transient: 5xx, throttling, timeouts (S3 answered), or no answer at all (connection, I/O). */
  static boolean isRetryable(Throwable failure) {
    if (failure instanceof S3Exception e) {
      return !isAccessProblem(e) && isTransient(e);
    }
    return failure instanceof SdkClientException || failure instanceof UncheckedIOException;
  }

  static boolean isAccessProblem(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 403 || "NoSuchBucket".equals(code) || "AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code);
  }

  static boolean isTransient(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() >= 500 || e.statusCode() == 429 || e.statusCode() == 408 || e.statusCode() == 409
        || "SlowDown".equals(code) || "RequestTimeout".equals(code) || e.isThrottlingException();
  }

  private static String describe(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return "HTTP " + e.statusCode() + (code == null ? "" : " " + code);
  }
}
