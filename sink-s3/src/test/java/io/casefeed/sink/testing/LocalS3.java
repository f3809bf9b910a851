package io.casefeed.sink.testing;

import io.casefeed.sink.store.S3Clients;
import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3 server (s3proxy, in memory) on a free loopback port, with one bucket. */
public final class LocalS3 implements AutoCloseable {

  public static final String ACCESS_KEY = "test";
  public static final String SECRET_KEY = "test-secret";

  private final S3Proxy proxy;
  private final URI endpoint;

  private LocalS3(S3Proxy proxy) {
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public static LocalS3 start(String bucket) throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    LocalS3 s3 = new LocalS3(proxy);
    try (S3Client client = s3.client()) {
      client.createBucket(b -> b.bucket(bucket));
    }
    return s3;
  }

  public URI endpoint() {
    return endpoint;
  }

  public S3Client client() {
    return clientFor(endpoint);
  }

  public static S3Client clientFor(URI endpoint) {
    return S3Clients.create(endpoint, "us-east-1", true, ACCESS_KEY, SECRET_KEY, Duration.ofSeconds(10));
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
