package io.casefeed.sink.seed;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CSV rows as Python's csv.reader reads them: the module the seed wrote its report with, so quoted
 * commas, doubled quotes and line breaks inside a field are read as the seed meant them.
 */
final class PythonCsvReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READ_AS_JSON = "import csv, json, sys\n"
      + "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))\n"
      + "json.dump(rows, open(sys.argv[2], 'w', encoding='utf-8'))\n";

  private PythonCsvReader() {
  }

  static List<List<String>> read(byte[] csv, Path workDir) throws IOException, InterruptedException {
    Path file = Files.write(Files.createTempFile(workDir, "rows", ".csv"), csv);
    Path json = Files.createTempFile(workDir, "rows", ".json");
    Path errors = Files.createTempFile(workDir, "rows", ".err");
    Process python = new ProcessBuilder(SeedLambda.PYTHON, "-c", READ_AS_JSON, file.toString(), json.toString())
        .redirectOutput(errors.toFile()).redirectErrorStream(true).start();
    if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
      python.destroyForcibly();
      throw new IllegalStateException("python csv.reader failed on " + file + ": " + Files.readString(errors));
    }
    List<List<String>> rows = JSON.readValue(Files.readString(json, StandardCharsets.UTF_8), new TypeReference<>() {});
    Files.delete(file);
    Files.delete(json);
    Files.delete(errors);
    return rows;
  }
}
