package io.casefeed.sink.accounts;

/** Where the accounts table goes: one Parquet file alone in its folder (an Athena table reads every file of its folder). */
public final class AccountsKeys {

  public static final String PARQUET = "accounts.parquet";

  private AccountsKeys() {}

  /** {@code <prefix>/accounts/}: the Athena table's location. */
  public static String folder(String prefix) {
    return (prefix.isEmpty() ? "" : prefix + "/") + "accounts/";
  }

  public static String parquet(String prefix) {
    return folder(prefix) + PARQUET;
  }
}
