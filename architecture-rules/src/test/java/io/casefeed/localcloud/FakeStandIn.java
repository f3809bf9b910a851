package io.casefeed.localcloud;

/** Stands for a stand-in class: the rules' test shows a component using one fails the build. */
public final class FakeStandIn {
  public static int port() {
    return 4566;
  }
}
