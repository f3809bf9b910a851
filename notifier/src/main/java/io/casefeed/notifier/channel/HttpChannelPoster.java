package io.casefeed.notifier.channel;

import io.casefeed.notifier.delivery.MailSendException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Posts with the JDK's HTTP client. Every post carries {@code Idempotency-Key} (the notification
 * id), so a receiver that keeps keys drops the copy a crash in the in-flight window would send; a
 * generic webhook's post is also signed ({@link WebhookSignature}), afresh on each attempt so the
 * signed timestamp is the attempt's. The target URL is a credential: messages name the target, never the URL.
 */
public final class HttpChannelPoster implements ChannelPoster {

  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** A reply body is kept for the report only; a receiver's page of HTML need not fill the ledger. */
  private static final int MAX_REPLY_CHARS = 300;

  private static final com.fasterxml.jackson.databind.ObjectMapper SLACK_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Supplier<HttpClient> clients;
  private final Clock clock;
  private final Duration timeout;
  private HttpClient http;

  public HttpChannelPoster(Supplier<HttpClient> clients, Clock clock, Duration timeout) {
    this.clients = clients;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** The client (and its selector thread) is made at the first post: a notifier with mail only never needs one. */
  public static HttpChannelPoster create(Clock clock, Duration timeout) {
    return new HttpChannelPoster(() -> HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build(), clock, timeout);
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = clients.get();
    }
    return http;
  }

  @Override
  public String post(ChannelPost post) throws ChannelPostException {
    ChannelTarget target = post.target();
    HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
        .timeout(timeout)
        .header("Content-Type", post.contentType())
        .header("User-Agent", "casefeed-notifier")
        .header(IDEMPOTENCY_KEY, post.notificationId())
        .POST(HttpRequest.BodyPublishers.ofByteArray(post.body()));
    if (target.kind() == ChannelKind.WEBHOOK && target.secret() != null) {
      request.header(WebhookSignature.HEADER, WebhookSignature.header(target.secret(), clock.instant(), post.body()));
    }
    boolean slackApi = SlackThreads.threads(target);
    if (slackApi) {
      request.header("Authorization", "Bearer " + target.secret());
    }
    HttpResponse<String> response;
    try {
      response = http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ChannelPostException(MailSendException.Kind.RETRYABLE, 0, null,
          target.ledgerName() + " could not be reached: " + e.getClass().getSimpleName() + safeMessage(e, target), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelPostException(MailSendException.Kind.PERMANENT, 0, null, "interrupted posting to " + target.ledgerName(), null);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return slackApi ? slackAnswer(target, response.body()) : "HTTP " + status;
    }
    String reply = cut(response.body());
    String message = target.ledgerName() + " answered HTTP " + status + (reply.isEmpty() ? "" : ": " + reply);
    if (status == 429 || status == 408 || status >= 500) {
      throw new ChannelPostException(MailSendException.Kind.RETRYABLE, status,
          RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant()), message, null);
    }
    // Any other 4xx (and a redirect, which a webhook URL has no business answering) will not change on retry.
    throw new ChannelPostException(MailSendException.Kind.REJECTED, status, null, message, null);
  }

  /**
   * Slack's Web API answers 200 whatever happened: {@code ok} says. The message's {@code ts} on
   * success; an error code is a rejection (a revoked token, an unknown channel) but for {@code ratelimited}.
   */
  private String slackAnswer(ChannelTarget target, String body) throws ChannelPostException {
    com.fasterxml.jackson.databind.JsonNode answer;
    try {
      answer = SLACK_JSON.readTree(body == null ? "" : body);
    } catch (IOException e) {
      answer = null;
    }
    if (answer != null && answer.path("ok").asBoolean(false) && answer.path("ts").isTextual()) {
      return "ts " + answer.path("ts").asText();
    }
    String error = answer == null ? "not JSON: " + cut(body) : answer.path("error").asText("no ts");
    String message = target.ledgerName() + " answered ok=false: " + error;
    throw new ChannelPostException(error.equals("ratelimited") ? MailSendException.Kind.RETRYABLE : MailSendException.Kind.REJECTED,
        200, null, message, null);
  }

  /** The exception's message without the URL, which may carry the webhook's token in its path. */
  private static String safeMessage(IOException e, ChannelTarget target) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return "";
    }
    String url = target.url().toString();
    String path = target.url().getRawPath();
    String safe = message.replace(url, "<url>");
    if (path != null && path.length() > 1) {
      safe = safe.replace(path, "<path>");
    }
    return ": " + safe;
  }

  private static String cut(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= MAX_REPLY_CHARS ? oneLine : oneLine.substring(0, MAX_REPLY_CHARS) + "…";
  }
}
