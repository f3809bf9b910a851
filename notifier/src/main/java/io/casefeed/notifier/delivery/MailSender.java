package io.casefeed.notifier.delivery;

/** Sends one raw MIME mail to one recipient; SES in production, a fake in unit tests. */
public interface MailSender {

  /**
   * @return the provider's message id
   * @throws MailSendException with {@link MailSendException.Kind} saying whether to retry
   */
  String send(String from, String recipient, byte[] rawMime, java.util.Map<String, String> tags) throws MailSendException;
}
