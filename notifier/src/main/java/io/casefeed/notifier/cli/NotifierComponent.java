package io.casefeed.notifier.cli;

import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentContext;
import io.casefeed.notifier.Notifier;

/**
 * The notifier under the one lifecycle: a failure of its loop stops the process with exit 1, and it is
 * ready once it has caught up with its topics (before that a digest or alert could still be owed).
 */
public record NotifierComponent(Notifier notifier) implements Component {
  @Override
  public String name() {
    return "notifier";
  }

  @Override
  public void start(ComponentContext context) {
    notifier.start();
    notifier.failed().thenAccept(context::fail);
    context.readiness("notifier-schema-registry", notifier::registryHealthy);
  }

  @Override
  public boolean ready() {
    return notifier.caughtUp();
  }

  @Override
  public void close() {
    notifier.close();
  }
}
