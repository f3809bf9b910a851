package io.casefeed.notifier.mime;

import io.casefeed.notifier.link.PresignedLink;
import io.casefeed.notifier.render.Html;
import io.casefeed.notifier.render.RenderedMail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Makes a mail fit the size its provider accepts rather than have it refused whole. SES takes raw
 * messages up to 40 MB after base64, and the digest of a large organisation carries a case list that
 * can pass that (about 15 MB of CSV at 1,000 accounts, 100 cases each). In order:
 * <ol>
 *   <li>the mail as it is, unless its CSV is larger than the configured size to gzip above;</li>
 *   <li>the CSV gzipped ({@code case_list.csv.gz}): a case list compresses about tenfold;</li>
 *   <li>the mail without its attachment, with a line in both parts giving a presigned link to the same
 *   list in S3 when links are configured, or saying where it is otherwise.</li>
 * </ol>
 * A mail whose words alone are over the limit is built as it is and reported as not fitting, so the
 * caller refuses it with the reason instead of sending what SES would reject. The same mail always
 * takes the same form with the same bytes (Java's gzip header carries no time), so the mail sent
 * again after a restart is the one sent before; only a presigned link, signed when the mail is built,
 * differs.
 */
public final class MessageFitter {

  /** SES v2's limit for a raw message, attachments and encoding included. */
  public static final int SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

  /** Which form the mail was sent in. */
  public enum Form { AS_IS, ATTACHMENT_GZIPPED, ATTACHMENT_LEFT_OUT }

  /**
   * The raw message and the form it took; {@code raw} is null when no form fits, and {@code bytes} is
   * then the smallest form's size at most (an estimate: a mail that will not be sent is not built).
   */
  public record Fitted(byte[] raw, Form form, long bytes) {
    public boolean withinLimit() {
      return raw != null;
    }
  }

  /** Headers other than the ones that grow with the mail (subject, addresses, id) stay well under this. */
  private static final int FIXED_HEADERS_BOUND = 2048;

  private final int maxBytes;
  private final long gzipAboveBytes;
  private final Supplier<Optional<PresignedLink>> link;

  /** Gzips a CSV only when the mail would not fit otherwise. */
  public MessageFitter(int maxBytes) {
    this(maxBytes, Long.MAX_VALUE);
  }

  /** Also gzips every CSV larger than {@code gzipAboveBytes}, fitting or not: big attachments annoy inboxes too. */
  public MessageFitter(int maxBytes, long gzipAboveBytes) {
    this(maxBytes, gzipAboveBytes, Optional::empty);
  }

  /** Also links a left-out list by {@code link} (a presigned S3 URL), asked only when a list is left out. */
  public MessageFitter(int maxBytes, long gzipAboveBytes, Supplier<Optional<PresignedLink>> link) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    if (gzipAboveBytes < 0) {
      throw new IllegalArgumentException("gzipAboveBytes must not be negative, was " + gzipAboveBytes);
    }
    this.maxBytes = maxBytes;
    this.gzipAboveBytes = gzipAboveBytes;
    this.link = link;
  }

  public Fitted fit(String from, String to, String mailId, Instant date, RenderedMail mail) {
    byte[] csv = mail.attachmentCsv() == null ? null : mail.attachmentCsv().getBytes(StandardCharsets.UTF_8);
    MimeMessageBuilder.Attachment plain = csv == null ? null
        : new MimeMessageBuilder.Attachment("text/csv; charset=UTF-8", mail.attachmentName(), csv);
    if (csv == null || csv.length <= gzipAboveBytes) {
      Fitted asIs = tryForm(from, to, mailId, date, mail, plain, Form.AS_IS);
      if (asIs.withinLimit() || csv == null) {
        return asIs;
      }
    }
    MimeMessageBuilder.Attachment gzipped =
        new MimeMessageBuilder.Attachment("application/gzip", mail.attachmentName() + ".gz", gzip(csv));
    Fitted compressed = tryForm(from, to, mailId, date, mail, gzipped, Form.ATTACHMENT_GZIPPED);
    if (compressed.withinLimit()) {
      return compressed;
    }
    return tryForm(from, to, mailId, date, withoutAttachment(mail, csv.length), null, Form.ATTACHMENT_LEFT_OUT);
  }

  /**
   * Builds the form only when its estimated size fits: the estimate is an upper bound, so a digest far
   * over the limit is not built as a 50 MB string just to be measured and thrown away.
   */
  private Fitted tryForm(String from, String to, String mailId, Instant date, RenderedMail mail,
      MimeMessageBuilder.Attachment attachment, Form form) {
    long bound = upperBound(from, to, mailId, mail, attachment);
    if (bound > maxBytes) {
      return new Fitted(null, form, bound);
    }
    byte[] raw = MimeMessageBuilder.build(from, to, mailId, date, mail, attachment);
    return new Fitted(raw.length <= maxBytes ? raw : null, form, raw.length);
  }

  static long upperBound(String from, String to, String mailId, RenderedMail mail, MimeMessageBuilder.Attachment attachment) {
    long headers = FIXED_HEADERS_BOUND + 4L * (utf8(from) + utf8(to) + utf8(mailId) + utf8(mail.subject()))
        + (attachment == null ? 0 : 2L * attachment.name().length());
    return headers + base64Bound(utf8(mail.text())) + base64Bound(utf8(mail.html()))
        + (attachment == null ? 0 : base64Bound(attachment.content().length));
  }

  /** Base64 in 76-character lines, each ended by CRLF. */
  static long base64Bound(long bytes) {
    long encoded = 4 * ((bytes + 2) / 3);
    return encoded + 2 * (encoded / 76 + 1);
  }

  private static long utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private RenderedMail withoutAttachment(RenderedMail mail, long csvBytes) {
    String size = String.format(Locale.ROOT, "%.1f MB", csvBytes / (1024.0 * 1024.0));
    String limit = String.format(Locale.ROOT, "%.0f MB", maxBytes / (1024.0 * 1024.0));
    String why = mail.attachmentName() + " (" + size + ") is not attached: even compressed it would take this mail over the "
        + limit + " the mail service accepts.";
    Optional<PresignedLink> presigned = link.get();
    String note;
    String paragraph;
    if (presigned.isPresent()) {
      String until = presigned.get().expires().toString();
      note = why + " Download the latest list (the link works until " + until + "): " + presigned.get().url();
      paragraph = "<p style=\"color:#a00\">" + Html.escape(why) + " <a href=\"" + Html.escape(presigned.get().url())
          + "\">Download the latest list</a> (the link works until " + Html.escape(until) + ").</p>\n";
    } else {
      note = why + " The same list is the sink's case_list/latest/" + mail.attachmentName() + " in S3, or run `casefeed query`.";
      paragraph = "<p style=\"color:#a00\">" + Html.escape(note) + "</p>\n";
    }
    String text = mail.text() + "\n" + note + "\n";
    int end = mail.html().lastIndexOf("</body>");
    String html = end < 0 ? mail.html() + paragraph : mail.html().substring(0, end) + paragraph + mail.html().substring(end);
    return new RenderedMail(mail.subject(), text, html, null, null);
  }

  private static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, content.length / 8));
    try (GZIPOutputStream zip = new GZIPOutputStream(out, 64 * 1024)) {
      zip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip in memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
