package io.casefeed.localcloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class SigV4MathTest {

  private static final String EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  /** The string to sign of AWS's documented IAM ListUsers example (20150830, us-east-1). */
  private static final String EXAMPLE_STRING_TO_SIGN = "AWS4-HMAC-SHA256\n20150830T123600Z\n"
      + "20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";

  @Test
  void signsAwsDocumentedExample() {
    assertThat(SigV4Math.signature(EXAMPLE_SECRET, "20150830", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN))
        .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  }

  @Test
  void cachedSigningKeysStayApartBySecretAndScope() {
    String first = SigV4Math.signature(EXAMPLE_SECRET, "20150830", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN);
    // Expected values computed independently with Python's hmac/hashlib for the same inputs.
    assertThat(SigV4Math.signature("another-secret", "20150830", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN))
        .isEqualTo("515ebfcf49ff196912a16fa4f0997c1b07ef4c8aa5a2e9e35fc5768033f2803a");
    assertThat(SigV4Math.signature(EXAMPLE_SECRET, "20150831", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN))
        .isEqualTo("d9a0b58c17e7b1169085a8705d460aebe0158f0adb73b66eb96359a6edd070b8");
    assertThat(SigV4Math.signature(EXAMPLE_SECRET, "20150830", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN))
        .isEqualTo(first);
  }

  @Test
  void signsTheSameFromManyThreads() throws Exception {
    String expected = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < 8; t++) {
      int salt = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          seen.add(SigV4Math.signature(EXAMPLE_SECRET, "20150830", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN));
          SigV4Math.signature("secret-" + salt + "-" + i, "20150830", "us-east-1", "iam", EXAMPLE_STRING_TO_SIGN);
          SigV4Math.sha256Hex("x" + i);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(seen).hasSize(8 * 200).containsOnly(expected);
  }

  @Test
  void hashesAsSha256Hex() {
    assertThat(SigV4Math.sha256Hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(SigV4Math.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void foldsInnerRunsOfSpacesOnly() {
    assertThat(SigV4Math.foldSpaces("a  b   c")).isEqualTo("a b c");
    assertThat(SigV4Math.foldSpaces("a b")).isEqualTo("a b");
    assertThat(SigV4Math.foldSpaces("a\t\tb")).isEqualTo("a\t\tb");
    Map<String, List<String>> headers = Map.of("host", List.of("example.com"), "x-amz-date", List.of("  20150830T123600Z "),
        "my-header", List.of("a   b", " c  d "));
    assertThat(SigV4Math.canonicalHeaders("host;My-Header;x-amz-date", name -> headers.get(name.toLowerCase(Locale.ROOT))))
        .isEqualTo("host:example.com\nmy-header:a b,c d\nx-amz-date:20150830T123600Z\n");
  }
}
