package io.casefeed.common.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback.xml caps the loggers that print request headers (Authorization, session
 * tokens) and bodies at INFO on their own: raising the AWS SDK or the root to DEBUG leaves them quiet.
 */
class WireLoggingCapTest {

  @Test
  void debuggingTheSdkDoesNotTurnOnWireOrHeaderLogging() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(WireLoggingCapTest.class.getClassLoader().getResource("logback.xml"));
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
    context.getLogger("software.amazon.awssdk").setLevel(Level.DEBUG);
    context.getLogger("org.apache.http").setLevel(Level.DEBUG);
    for (String name : List.of("software.amazon.awssdk.request", "org.apache.http.wire", "org.apache.http.headers")) {
      assertThat(context.getLogger(name).getEffectiveLevel()).as(name).isEqualTo(Level.INFO);
      assertThat(context.getLogger(name).isDebugEnabled()).as(name).isFalse();
    }
    assertThat(context.getLogger("software.amazon.awssdk.core").isDebugEnabled()).as("the rest of the SDK did follow").isTrue();
    context.stop();
  }
}
