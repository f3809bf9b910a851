package io.casefeed.sink.cli;

import io.casefeed.sink.athena.AthenaDdl;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code casefeed athena-ddl --bucket B --prefix P [--database D]}: prints the Athena DDL. */
@Command(name = "athena-ddl", mixinStandardHelpOptions = true,
    description = "Prints the Athena DDL for the sink's objects: change history, case list (CSV and Parquet), pivot views.")
public final class AthenaDdlCommand implements Callable<Integer> {

  @Option(names = "--bucket", required = true, description = "Bucket the sink writes to.")
  String bucket;

  @Option(names = "--prefix", defaultValue = "casefeed", description = "The sink's s3.prefix (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--database", defaultValue = "casefeed", description = "Athena database (default: ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--first-day", defaultValue = "2020-01-01",
      description = "First dt of the change history's partition projection, yyyy-MM-dd (default: ${DEFAULT-VALUE}).")
  LocalDate firstDay;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AthenaDdlCommand()).execute(args));
  }

  @Override
  public Integer call() {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      System.err.println("config error: --database must be lower-case letters, digits and '_' (Athena's rule): " + database);
      return 2;
    }
    String trimmedPrefix = prefix.replaceAll("^/+|/+$", "");
    System.out.print(AthenaDdl.render(bucket, trimmedPrefix, database, firstDay));
    return 0;
  }
}
