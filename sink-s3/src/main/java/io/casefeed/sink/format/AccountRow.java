package io.casefeed.sink.format;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.table.Column;
import io.casefeed.schemas.table.ColumnType;
import io.casefeed.schemas.table.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One account of casefeed.accounts: the row of the accounts table, which gives the pivot views the
 * account's name. The columns are prefixed {@code account_} where a case table has a column of the
 * same name ({@code status}), so a join needs no aliases to tell them apart. The role ARN is left
 * out: it is how casefeed reads an account, not something to pivot on.
 */
public final class AccountRow {

  public static final Table<AccountRecord> TABLE = new Table<>("AccountRow", "One account of casefeed.accounts.", List.of(
      new Column<AccountRecord>("account-id", "account_id", ColumnType.STRING, AccountRecord::getAccountId),
      new Column<AccountRecord>("account-name", "account_name", ColumnType.STRING, a -> blankToNull(a.getName())),
      new Column<AccountRecord>("account-status", "account_status", ColumnType.STRING, AccountRecord::getStatus),
      new Column<AccountRecord>("sources", "sources", ColumnType.STRING,
          a -> a.getSources() == null ? null : String.join(",", a.getSources())),
      new Column<AccountRecord>("updated-at", "updated_at", ColumnType.TIMESTAMP, a -> millis(a.getUpdatedAt()))));

  /** By account id, so the same account set always makes the same file. */
  public static final Comparator<AccountRecord> ORDER = Comparator.comparing(AccountRecord::getAccountId);

  private AccountRow() {}

  public static List<AccountRecord> sorted(Collection<AccountRecord> accounts) {
    return accounts.stream().sorted(ORDER).toList();
  }

  /** A blank name is no name: the views then show the account id alone. */
  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
