package io.casefeed.notifier.routing;

import java.util.regex.Pattern;

/**
 * A deliberately strict check of a bare address (local@domain): what SES accepts in practice, and
 * nothing that could smuggle a header (no spaces, angle brackets, commas or line breaks).
 */
public final class EmailAddresses {

  private static final Pattern ADDRESS = Pattern.compile(
      "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private EmailAddresses() {}

  public static boolean isValid(String address) {
    return address != null && ADDRESS.matcher(address).matches() && !address.startsWith(".") && !address.contains("..");
  }
}
