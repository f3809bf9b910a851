package io.casefeed.localcloud.athena;

/** One statement sent to Athena, as the stand-in understands it. */
sealed interface AthenaStatement {

  /** Athena's StatementType of the statement: DDL, DML or UTILITY. */
  String statementType();

  record CreateDatabase(String name, boolean ifNotExists) implements AthenaStatement {
    @Override
    public String statementType() {
      return "DDL";
    }
  }

  record CreateTable(ExternalTable table, boolean ifNotExists) implements AthenaStatement {
    @Override
    public String statementType() {
      return "DDL";
    }
  }

  /** @param select the view's query as written, run by DuckDB */
  record CreateView(String database, String name, boolean orReplace, String select) implements AthenaStatement {
    @Override
    public String statementType() {
      return "DDL";
    }
  }

  enum DropKind { TABLE, VIEW, DATABASE }

  /** @param database the database, or for DATABASE the one dropped (name is then null) */
  record Drop(DropKind kind, String database, String name, boolean ifExists, boolean cascade) implements AthenaStatement {
    @Override
    public String statementType() {
      return "DDL";
    }
  }

  /** A SELECT (or WITH, VALUES), run by DuckDB as written. */
  record Query(String sql) implements AthenaStatement {
    @Override
    public String statementType() {
      return "DML";
    }
  }
}
