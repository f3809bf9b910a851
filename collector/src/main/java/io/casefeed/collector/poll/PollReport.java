package io.casefeed.collector.poll;

import java.time.Instant;

/** The result of one account poll, as published to casefeed.sweeps. */
public record PollReport(
    String accountId, String pollId, PollKind kind, Outcome outcome, String reason,
    int pages, int apiCalls, int cases, boolean firstReading, Instant startedAt, Instant finishedAt) {}
