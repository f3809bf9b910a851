package io.casefeed.notifier.render;

/** A mail's words, before MIME: subject, plain text, HTML and an optional CSV attachment. */
public record RenderedMail(String subject, String text, String html, String attachmentName, String attachmentCsv) {}
