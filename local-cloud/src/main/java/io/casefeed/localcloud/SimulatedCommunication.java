package io.casefeed.localcloud;

/** One message on a case, as AWS Support's Communication shape names its fields. */
public record SimulatedCommunication(String body, String submittedBy, String timeCreated) {
}
