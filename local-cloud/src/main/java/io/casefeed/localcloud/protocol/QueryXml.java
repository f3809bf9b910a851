package io.casefeed.localcloud.protocol;

/** Builds the XML replies of Query-protocol services (STS, SES v1). */
public final class QueryXml {

  private final StringBuilder xml = new StringBuilder(512);

  private QueryXml() {
  }

  /** Starts {@code <ActionResponse xmlns=namespace><ActionResult>}. */
  public static QueryXml response(String action, String namespace) {
    QueryXml reply = new QueryXml();
    reply.xml.append("<").append(action).append("Response xmlns=\"").append(namespace).append("\">")
        .append("<").append(action).append("Result>");
    return reply;
  }

  public QueryXml open(String element) {
    xml.append('<').append(element).append('>');
    return this;
  }

  public QueryXml close(String element) {
    xml.append("</").append(element).append('>');
    return this;
  }

  public QueryXml element(String element, String text) {
    if (text != null) {
      open(element);
      xml.append(escape(text));
      close(element);
    }
    return this;
  }

  /** Ends the result, adds ResponseMetadata with the request id, and ends the response. */
  public String finish(String action, String requestId) {
    xml.append("</").append(action).append("Result>")
        .append("<ResponseMetadata><RequestId>").append(escape(requestId)).append("</RequestId></ResponseMetadata>")
        .append("</").append(action).append("Response>");
    return xml.toString();
  }

  public static String error(String namespace, AwsServiceException error, String requestId) {
    return "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>" + error.faultType() + "</Type><Code>"
        + escape(error.code()) + "</Code><Message>" + escape(error.getMessage()) + "</Message></Error><RequestId>"
        + escape(requestId) + "</RequestId></ErrorResponse>";
  }

  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&apos;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
