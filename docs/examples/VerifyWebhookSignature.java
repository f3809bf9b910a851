// Check the X-Casefeed-Signature of a casefeed webhook post, as a receiver would; JDK only (17+).
//
//     WEBHOOK_SECRET=... java VerifyWebhookSignature.java 't=1764835200,v1=5d4c...' < body.json
//     java VerifyWebhookSignature.java --max-age 300 'HEADER' < body.json
//
// The signature is HMAC-SHA256, keyed with the shared secret, over the bytes "<t>.<body>",
// hex-encoded; t is the sending time in Unix seconds. Prints "valid" and exits 0 when the signature
// is valid (and, with --max-age, t is recent enough); prints "INVALID: <why>" and exits 1 if not.
// Verify the raw body bytes as received, before any JSON parsing. Copy verify() into a receiver.

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class VerifyWebhookSignature {

  /** Null when valid, else why not. */
  static String verify(byte[] secret, String header, byte[] body, Long maxAgeSeconds, long nowSeconds) throws Exception {
    Long t = null;
    List<String> signatures = new ArrayList<>();
    for (String item : header.split(",")) {
      String[] kv = item.trim().split("=", 2);
      if (kv.length != 2) {
        return "malformed header";
      }
      if (kv[0].equals("t")) {
        try {
          t = Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          return "t is not a number";
        }
      } else if (kv[0].equals("v1")) {
        signatures.add(kv[1]);
      }
    }
    if (t == null || signatures.isEmpty()) {
      return "header lacks t= or v1=";
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
    byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    boolean matches = false;
    // Constant-time comparison; any v1 may match (a sender rotating secrets may send two).
    for (String candidate : signatures) {
      matches |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
    }
    if (!matches) {
      return "signature does not match";
    }
    if (maxAgeSeconds != null && Math.abs(nowSeconds - t) > maxAgeSeconds) {
      return "timestamp is " + (nowSeconds - t) + " s away from now, more than " + maxAgeSeconds + " s";
    }
    return null;
  }

  public static void main(String[] args) throws Exception {
    Long maxAge = null;
    String header = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--max-age") && i + 1 < args.length) {
        maxAge = Long.parseLong(args[++i]);
      } else {
        header = args[i];
      }
    }
    String secret = System.getenv("WEBHOOK_SECRET");
    if (header == null || secret == null || secret.isEmpty()) {
      System.err.println("usage: WEBHOOK_SECRET=... java VerifyWebhookSignature.java [--max-age SECONDS] HEADER < body");
      System.exit(2);
    }
    byte[] body = System.in.readAllBytes();
    String problem = verify(secret.getBytes(StandardCharsets.UTF_8), header, body, maxAge, Instant.now().getEpochSecond());
    if (problem != null) {
      System.out.println("INVALID: " + problem);
      System.exit(1);
    }
    System.out.println("valid");
  }
}
