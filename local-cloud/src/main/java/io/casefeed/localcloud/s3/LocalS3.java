package io.casefeed.localcloud.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server (s3proxy) on its own port with a filesystem store under the data folder:
 * buckets are directories, objects files. Path-style addressing; SigV2 or SigV4 with the given key.
 */
public final class LocalS3 implements AutoCloseable {

  private final S3Proxy proxy;

  private final String advertisedHost;

  public LocalS3(Path storeDir, int port, String accessKeyId, String secretAccessKey) {
    this(storeDir, "127.0.0.1", "127.0.0.1", port, accessKeyId, secretAccessKey);
  }

  public LocalS3(Path storeDir, String bindAddress, String advertisedHost, int port, String accessKeyId, String secretAccessKey) {
    this.advertisedHost = advertisedHost;
    try {
      Files.createDirectories(storeDir);
      proxy = S3Proxy.builder()
          .blobStore(new FilesystemNio2BlobStore(storeDir.toAbsolutePath().toString()))
          .endpoint(URI.create("http://" + bindAddress + ":" + port))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
          .build();
      proxy.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the S3 store " + storeDir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting s3proxy", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy failed to start on port " + port + ": " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://" + advertisedHost + ":" + proxy.getPort());
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy failed to stop", e);
    }
  }
}
