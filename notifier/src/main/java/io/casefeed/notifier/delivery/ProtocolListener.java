package io.casefeed.notifier.delivery;

/** Told of each protocol step; crash tests use it to stop the process at an exact step. */
@FunctionalInterface
public interface ProtocolListener {

  ProtocolListener NONE = (step, mail) -> { };

  void reached(ProtocolStep step, OutgoingMail mail);
}
