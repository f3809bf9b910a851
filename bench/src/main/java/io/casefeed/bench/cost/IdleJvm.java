package io.casefeed.bench.cost;

import java.util.concurrent.CountDownLatch;

/**
 * The cost benchmark's baseline: a JVM with a component's options that loads nothing and waits until
 * it is stopped, so each component's figures read as a multiple of what the JVM alone costs.
 */
public final class IdleJvm {

  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("idle: ready");
    new CountDownLatch(1).await();
  }
}
