package io.casefeed.schemas;

/** The string key shared by observations, changes and cases: {@code <accountId>:<caseId>}. */
public final class CaseKeys {

  private CaseKeys() {}

  public static String of(String accountId, String caseId) {
    return accountId + ":" + caseId;
  }

  /** The account id of a case key; an account id never contains ':'. */
  public static String accountId(String caseKey) {
    int colon = caseKey.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a case key <accountId>:<caseId>: " + caseKey);
    }
    return caseKey.substring(0, colon);
  }

  public static String caseId(String caseKey) {
    int colon = caseKey.indexOf(':');
    if (colon <= 0 || colon == caseKey.length() - 1) {
      throw new IllegalArgumentException("not a case key <accountId>:<caseId>: " + caseKey);
    }
    return caseKey.substring(colon + 1);
  }
}
