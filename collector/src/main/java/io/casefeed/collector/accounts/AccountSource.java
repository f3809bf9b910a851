package io.casefeed.collector.accounts;

import java.util.List;

/** One place that names member accounts. */
public interface AccountSource {

  /** Short name for logs and for {@link ResolvedAccount#sources()}. */
  String name();

  /**
   * The accounts this source names now.
   *
   * @throws RuntimeException when the source cannot be read at all; the resolver then keeps the
   *     accounts it published before rather than removing them
   */
  List<ResolvedAccount> accounts();
}
