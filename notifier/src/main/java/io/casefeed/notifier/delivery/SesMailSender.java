package io.casefeed.notifier.delivery;

import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.RawMessage;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/** Sends through SES v2 SendEmail with raw content; the client must not retry itself (Delivery does). */
public final class SesMailSender implements MailSender {

  private final SesV2Client ses;
  private final String configurationSet;

  public SesMailSender(SesV2Client ses, String configurationSet) {
    this.ses = ses;
    this.configurationSet = configurationSet;
  }

  @Override
  public String send(String from, String recipient, byte[] rawMime, Map<String, String> tags) throws MailSendException {
    SendEmailRequest request = SendEmailRequest.builder()
        .fromEmailAddress(from)
        .destination(Destination.builder().toAddresses(recipient).build())
        .content(EmailContent.builder().raw(RawMessage.builder().data(SdkBytes.fromByteArray(rawMime)).build()).build())
        .emailTags(tags.entrySet().stream().map(t -> MessageTag.builder().name(t.getKey()).value(t.getValue()).build()).toList())
        .configurationSetName(configurationSet)
        .build();
    try {
      return ses.sendEmail(request).messageId();
    } catch (MessageRejectedException e) {
      throw new MailSendException(MailSendException.Kind.REJECTED, message(e), e);
    } catch (TooManyRequestsException e) {
      throw new MailSendException(MailSendException.Kind.RETRYABLE, "throttled: " + message(e), e);
    } catch (SesV2Exception e) {
      boolean retryable = e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException();
      throw new MailSendException(retryable ? MailSendException.Kind.RETRYABLE : MailSendException.Kind.PERMANENT,
          "HTTP " + e.statusCode() + " " + message(e), e);
    } catch (SdkClientException e) {
      throw new MailSendException(MailSendException.Kind.RETRYABLE, "no answer from SES: " + e.getMessage(), e);
    }
  }

  private static String message(SesV2Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String text = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    return (code == null ? "" : code + ": ") + text;
  }
}
