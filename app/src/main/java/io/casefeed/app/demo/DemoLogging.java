package io.casefeed.app.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where the demo's logs go. A newcomer's terminal shows the endpoints and one status line; every log line (Kafka's
 * warnings, each component's INFO) goes to {@code <data>/logs/casefeed.log} instead, and {@code --verbose} keeps
 * them on the terminal as well. The other commands keep logging to stderr, as a container expects.
 */
final class DemoLogging {

  static final String FILE = "casefeed.log";
  private static final String CONSOLE_APPENDER = "STDERR";

  private DemoLogging() {
  }

  /**
   * Sends the logs to {@code logs/casefeed.log} (10 MB a file, five kept) and, unless {@code verbose}, off the
   * terminal; {@code level} applies to casefeed's own loggers.
   *
   * @return the log file, or null when the logging backend is not logback (nothing is changed then)
   */
  static Path toFolder(Path logs, boolean verbose, String level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> console = root.getAppender(CONSOLE_APPENDER);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    // The file keeps the same one-line format as stderr, so grep and the log tools work on both.
    encoder.setPattern(console instanceof OutputStreamAppender<ILoggingEvent> stream
        && stream.getEncoder() instanceof PatternLayoutEncoder pattern ? pattern.getPattern()
        : "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{36} - %msg%n");
    encoder.start();

    Path file = logs.resolve(FILE).toAbsolutePath();
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setName("DEMO_FILE");
    appender.setFile(file.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(logs.toAbsolutePath().resolve("casefeed.%i.log").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(5);
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(FileSize.valueOf("10MB"));
    trigger.start();
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder);
    appender.start();

    root.addAppender(appender);
    if (!verbose && console != null) {
      root.detachAppender(console);
      console.stop();
    }
    if (level != null) {
      context.getLogger("io.casefeed").setLevel(Level.toLevel(level, Level.INFO));
    }
    return file;
  }
}
