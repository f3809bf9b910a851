package io.casefeed.common.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * Closes connections whose request (header and body) does not arrive within the header timeout.
 * Jetty's idle timeout alone is reset by every byte, so a client sending one byte now and then
 * would hold its connection for ever; this counts from the connection's opening or its previous
 * reply instead, and leaves alone a connection whose request is being answered.
 */
final class HeaderDeadline implements Connection.Listener {

  private final long timeoutNanos;
  private final Map<Connection, Tracked> connections = new ConcurrentHashMap<>();

  HeaderDeadline(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public void onOpened(Connection connection) {
    connections.put(connection, new Tracked(System.nanoTime()));
  }

  @Override
  public void onClosed(Connection connection) {
    connections.remove(connection);
  }

  /** The header has arrived; the body is being read, still against the same deadline. */
  void reading(Connection connection) {
    // Nothing changes: the deadline that held for the header holds for the body.
  }

  /** The request is complete and a route answers it: no deadline while it does. */
  void handling(Connection connection) {
    Tracked tracked = connections.get(connection);
    if (tracked != null) {
      tracked.handling = true;
    }
  }

  /** The reply is out: the next request's deadline starts now. */
  void idle(Connection connection) {
    Tracked tracked = connections.get(connection);
    if (tracked != null) {
      tracked.since = System.nanoTime();
      tracked.handling = false;
    }
  }

  void sweep() {
    long now = System.nanoTime();
    connections.forEach((connection, tracked) -> {
      if (!tracked.handling && now - tracked.since > timeoutNanos) {
        connections.remove(connection);
        connection.getEndPoint().close();
      }
    });
  }

  private static final class Tracked {
    volatile long since;
    volatile boolean handling;

    Tracked(long since) {
      this.since = since;
    }
  }
}
