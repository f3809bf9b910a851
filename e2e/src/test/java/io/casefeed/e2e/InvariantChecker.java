package io.casefeed.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.bench.CaseFingerprint;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checks the pipeline's outputs against local-cloud's ground truth, each through the interface a
 * user has: the change feed and the latest-state topic read with {@code read_committed}, the Parquet
 * objects in S3 read with parquet-avro, the streams query API's pivot, local-cloud's SES outbox and
 * the notifier's own log in {@code casefeed.notifications}.
 */
final class InvariantChecker {

  static final String FEED_STATES = "change feed: states seen in order";
  static final String FEED_EVENTS = "change feed: versions and event ids";
  static final String LATEST_STATE = "casefeed.cases = ground truth";
  static final String S3_EVENTS = "S3 Parquet: every change once";
  static final String PIVOT = "pivot account x status";
  static final String MAILS = "mails: once, none skipped";

  private static final String MAIL_ID_HEADER = "X-Casefeed-Mail-Id:";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  /**
   * How far from SES's acceptance of a copy a SIGKILL may be for a resend to count as the known
   * window, on either side: before it, the SendEmail request was in flight (SES accepts it, the dead
   * notifier never hears); after it, the response or the ledger record was. On this loaded 2-core
   * machine either takes milliseconds to several hundred; two seconds is generous and still rules out
   * any other cause.
   */
  static final Duration SES_WINDOW_BOUND = Duration.ofSeconds(2);

  private final Pipeline pipeline;
  private final Path scratch;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AvroSerde<CaseChange> changes;
  private final AvroSerde<CaseState> states;
  private final AvroSerde<NotificationRecord> notifications;

  InvariantChecker(Pipeline pipeline) throws IOException {
    this.pipeline = pipeline;
    this.scratch = Files.createDirectories(pipeline.dir().resolve("check-scratch"));
    HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(pipeline.cloud().schemaRegistryUrl());
    this.changes = new AvroSerde<>(CaseChange.class, registry);
    this.states = new AvroSerde<>(CaseState.class, registry);
    this.notifications = new AvroSerde<>(NotificationRecord.class, registry);
  }

  /**
   * Runs every check. {@code histories} is the sampled ground truth per case; a state is required in
   * the feed when it lasted {@code observable} in one piece outside the blind windows of its account.
   */
  Verdict check(Map<String, List<StateSpan>> histories, FaultLog faults, Duration observable) {
    Verdict verdict = new Verdict();
    Set<String> readable = Set.copyOf(pipeline.readableAccounts());
    List<CaseChange> feed = readChangeFeed(verdict);
    checkFeedStates(verdict, feed, histories, faults, observable, readable);
    checkLatestState(verdict, readable);
    checkS3(verdict, feed);
    checkPivot(verdict, readable);
    List<NotificationRecord> ledger = readLedger();
    List<Instant> notifierKills = pipeline.components().get("notifier").kills();
    checkMails(verdict, ledger, notifierKills);
    new ChannelPostChecker(pipeline).check(verdict, ledger, notifierKills);
    return verdict;
  }

  /** The feed in offset order per case; duplicate event ids and broken version sequences are violations. */
  private List<CaseChange> readChangeFeed(Verdict verdict) {
    String topic = pipeline.topic(Topics.CASE_CHANGES);
    List<CaseChange> feed = new ArrayList<>();
    Set<String> eventIds = new HashSet<>();
    Map<String, Long> lastVersion = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(pipeline.bootstrapServers(), topic, READ_TIMEOUT)) {
      CaseChange change = changes.deserialize(topic, record.value());
      feed.add(change);
      verdict.checked(FEED_EVENTS, 1);
      if (!eventIds.add(change.getEventId())) {
        verdict.duplicated(FEED_EVENTS, "event id " + change.getEventId() + " (" + record.key() + " v" + change.getVersion()
            + ") again at " + record.partition() + "@" + record.offset());
      }
      long expected = lastVersion.getOrDefault(record.key(), 0L) + 1;
      if (change.getVersion() < expected) {
        verdict.duplicated(FEED_EVENTS, record.key() + " version " + change.getVersion() + " after version " + (expected - 1));
      } else if (change.getVersion() > expected) {
        verdict.lost(FEED_EVENTS, record.key() + " versions " + expected + ".." + (change.getVersion() - 1) + " missing");
      }
      lastVersion.merge(record.key(), change.getVersion(), Math::max);
    }
    return feed;
  }

  private void checkFeedStates(Verdict verdict, List<CaseChange> feed, Map<String, List<StateSpan>> histories, FaultLog faults,
      Duration observable, Set<String> readable) {
    // One observation can make several events (a reply and a status move); they share observedAt and state.
    Map<String, List<String>> observed = new HashMap<>();
    Map<String, CaseChange> lastOfCase = new HashMap<>();
    for (CaseChange change : feed) {
      String key = CaseKeys.of(change.getAccountId(), change.getCaseId());
      CaseChange previous = lastOfCase.put(key, change);
      String fingerprint = CaseFingerprint.of(change.getCurrent());
      if (previous != null && previous.getObservedAt().equals(change.getObservedAt())
          && CaseFingerprint.of(previous.getCurrent()).equals(fingerprint)) {
        continue;
      }
      List<String> states = observed.computeIfAbsent(key, k -> new ArrayList<>());
      if (!states.isEmpty() && states.get(states.size() - 1).equals(fingerprint)) {
        verdict.duplicated(FEED_STATES, key + " state " + fingerprint + " reported again at version " + change.getVersion());
      }
      states.add(fingerprint);
    }
    histories.forEach((key, spans) -> {
      String accountId = key.substring(0, key.indexOf(':'));
      if (!readable.contains(accountId)) {
        return;
      }
      List<Interval> blind = faults.blindWindows(accountId);
      List<String> truth = spans.stream().map(StateSpan::fingerprint).toList();
      List<Boolean> required = spans.stream().map(span -> StateHistory.required(span, blind, observable)).toList();
      long requiredCount = required.stream().filter(Boolean::booleanValue).count();
      verdict.checked(FEED_STATES, requiredCount);
      List<String> seen = observed.getOrDefault(key, List.of());
      long missing = requiredCount - StateHistory.requiredMatchedInOrder(truth, required, seen);
      for (long i = 0; i < missing; i++) {
        verdict.lost(FEED_STATES, key + ": ground truth " + describe(spans, required) + " but the feed has " + seen);
      }
    });
  }

  private static String describe(List<StateSpan> spans, List<Boolean> required) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < spans.size(); i++) {
      StateSpan span = spans.get(i);
      text.append(i == 0 ? "" : ", ").append(span.fingerprint()).append(required.get(i) ? " (required " : " (")
          .append(span.from()).append(" +").append(span.interval().length().toMillis()).append("ms)");
    }
    return text.append(']').toString();
  }

  private void checkLatestState(Verdict verdict, Set<String> readable) {
    String topic = pipeline.topic(Topics.CASES);
    Map<String, CaseState> latest = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(pipeline.bootstrapServers(), topic, READ_TIMEOUT)) {
      if (record.value() == null) {
        latest.remove(record.key());
      } else {
        latest.put(record.key(), states.deserialize(topic, record.value()));
      }
    }
    Set<String> expectedKeys = new HashSet<>();
    pipeline.cloud().simulation().allCases().forEach((accountId, cases) -> {
      if (!readable.contains(accountId)) {
        return;
      }
      for (SimulatedCase truth : cases) {
        String key = CaseKeys.of(accountId, truth.caseId());
        expectedKeys.add(key);
        verdict.checked(LATEST_STATE, 1);
        CaseState state = latest.get(key);
        if (state == null) {
          verdict.lost(LATEST_STATE, key + " (" + truth.status() + ") is not in " + topic);
          continue;
        }
        String difference = difference(truth, state.getCaseDetails());
        if (difference != null) {
          verdict.wrong(LATEST_STATE, key + ": " + difference);
        }
      }
    });
    latest.keySet().stream().filter(key -> readable.contains(key.substring(0, key.indexOf(':'))) && !expectedKeys.contains(key))
        .forEach(key -> verdict.wrong(LATEST_STATE, key + " is in " + topic + " but not in local-cloud"));
  }

  private static String difference(SimulatedCase truth, CaseDetails details) {
    Map<String, Object[]> fields = new LinkedHashMap<>();
    fields.put("status", new Object[] {truth.status(), details.getStatus()});
    fields.put("severityCode", new Object[] {truth.severityCode(), details.getSeverityCode()});
    fields.put("subject", new Object[] {truth.subject(), details.getSubject()});
    fields.put("displayId", new Object[] {truth.displayId(), details.getDisplayId()});
    fields.put("serviceCode", new Object[] {truth.serviceCode(), details.getServiceCode()});
    fields.put("categoryCode", new Object[] {truth.categoryCode(), details.getCategoryCode()});
    fields.put("submittedBy", new Object[] {truth.submittedBy(), details.getSubmittedBy()});
    fields.put("language", new Object[] {truth.language(), details.getLanguage()});
    fields.put("timeCreated", new Object[] {CaseFingerprint.instant(truth.timeCreated()), CaseFingerprint.instant(details.getTimeCreated())});
    fields.put("newest communication", new Object[] {CaseFingerprint.of(truth), CaseFingerprint.of(details)});
    StringBuilder differences = new StringBuilder();
    fields.forEach((name, values) -> {
      if (!Objects.equals(values[0], values[1])) {
        differences.append(differences.isEmpty() ? "" : "; ").append(name).append(" is ").append(values[1])
            .append(", local-cloud says ").append(values[0]);
      }
    });
    return differences.isEmpty() ? null : differences.toString();
  }

  private void checkS3(Verdict verdict, List<CaseChange> feed) {
    Map<String, Integer> stored = new HashMap<>();
    String root = Pipeline.S3_PREFIX + "/case_changes/";
    for (S3Object object : pipeline.s3().listObjectsV2Paginator(b -> b.bucket(Pipeline.BUCKET).prefix(root)).contents()) {
      if (!object.key().endsWith(".parquet")) {
        continue;
      }
      Path local = scratch.resolve(object.key().replace('/', '_'));
      try (InputStream in = pipeline.s3().getObject(b -> b.bucket(Pipeline.BUCKET).key(object.key()))) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try (ParquetReader<GenericRecord> reader =
               AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local), new PlainParquetConfiguration()).build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          stored.merge(row.get("event_id").toString(), 1, Integer::sum);
        }
      } catch (IOException e) {
        verdict.wrong(S3_EVENTS, object.key() + " is not readable Parquet: " + e.getMessage());
      }
    }
    Set<String> inFeed = new HashSet<>();
    for (CaseChange change : feed) {
      if (!inFeed.add(change.getEventId())) {
        continue;
      }
      verdict.checked(S3_EVENTS, 1);
      int copies = stored.getOrDefault(change.getEventId(), 0);
      if (copies == 0) {
        verdict.lost(S3_EVENTS, "event " + change.getEventId() + " (" + change.getCaseId() + " v" + change.getVersion() + ") is in no object");
      } else if (copies > 1) {
        verdict.duplicated(S3_EVENTS, "event " + change.getEventId() + " is stored " + copies + " times");
      }
    }
    stored.keySet().stream().filter(id -> !inFeed.contains(id))
        .forEach(id -> verdict.wrong(S3_EVENTS, "event " + id + " is in S3 but not in the committed change feed"));
  }

  private void checkPivot(Verdict verdict, Set<String> readable) {
    Map<String, Long> expected = new TreeMap<>();
    pipeline.cloud().simulation().allCases().forEach((accountId, cases) -> {
      if (readable.contains(accountId)) {
        cases.forEach(c -> expected.merge(accountId + " x " + c.status(), 1L, Long::sum));
      }
    });
    Map<String, Long> actual = new TreeMap<>();
    JsonNode pivot;
    try {
      HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(pipeline.queryUrl() + "/api/pivot?rows=account&cols=status"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        verdict.wrong(PIVOT, "the query API answered " + reply.statusCode() + ": " + reply.body());
        return;
      }
      pivot = json.readTree(reply.body());
    } catch (IOException e) {
      verdict.wrong(PIVOT, "the query API is not reachable: " + e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    for (JsonNode row : pivot.path("data")) {
      row.path("counts").fields().forEachRemaining(cell -> actual.put(row.path("row").asText() + " x " + cell.getKey(), cell.getValue().asLong()));
    }
    Set<String> cells = new HashSet<>(expected.keySet());
    cells.addAll(actual.keySet());
    for (String cell : cells) {
      verdict.checked(PIVOT, 1);
      long want = expected.getOrDefault(cell, 0L);
      long got = actual.getOrDefault(cell, 0L);
      if (got < want) {
        verdict.lost(PIVOT, cell + ": " + got + " cases, local-cloud has " + want);
      } else if (got > want) {
        verdict.duplicated(PIVOT, cell + ": " + got + " cases, local-cloud has " + want);
      }
    }
  }

  /** Every record of the notifier's ledger, {@code casefeed.notifications}, in offset order per partition. */
  private List<NotificationRecord> readLedger() {
    String topic = pipeline.topic(Topics.NOTIFICATIONS);
    List<NotificationRecord> ledger = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(pipeline.bootstrapServers(), topic, READ_TIMEOUT)) {
      if (record.value() != null) {
        ledger.add(notifications.deserialize(topic, record.value()));
      }
    }
    return ledger;
  }

  private void checkMails(Verdict verdict, List<NotificationRecord> ledger, List<Instant> notifierKills) {
    Map<String, List<OutboxMessage>> delivered = new HashMap<>();
    for (OutboxMessage mail : pipeline.cloud().outbox()) {
      String mailId = mailId(mail.rawMime());
      if (mailId == null) {
        verdict.wrong(MAILS, "mail " + mail.messageId() + " to " + mail.to() + " has no " + MAIL_ID_HEADER + " header");
        continue;
      }
      delivered.computeIfAbsent(mailId, id -> new ArrayList<>()).add(mail);
    }
    Map<String, Set<String>> stages = new LinkedHashMap<>();
    Map<String, List<String>> sentMessageIds = new HashMap<>();
    for (NotificationRecord notification : ledger) {
      if (ChannelPostChecker.kindOf(notification.getRecipient()).isPresent()) {
        continue;
      }
      stages.computeIfAbsent(notification.getMailId(), id -> new HashSet<>()).add(notification.getStage());
      if ("sent".equals(notification.getStage())) {
        sentMessageIds.computeIfAbsent(notification.getMailId(), id -> new ArrayList<>()).add(notification.getSesMessageId());
      }
    }
    Set<String> ids = new HashSet<>(stages.keySet());
    ids.addAll(delivered.keySet());
    for (String id : ids) {
      verdict.checked(MAILS, 1);
      Set<String> recorded = stages.getOrDefault(id, Set.of());
      List<OutboxMessage> copies = delivered.getOrDefault(id, List.of());
      if (copies.size() > 1) {
        Optional<String> killInWindow = killInSesWindow(copies, sentMessageIds.getOrDefault(id, List.of()), notifierKills);
        if (killInWindow.isPresent()) {
          verdict.resentAfterKill(MAILS, "'" + id + "': " + killInWindow.get());
        } else {
          Instant firstCopy = copies.stream().map(OutboxMessage::sentAt).min(Instant::compareTo).orElseThrow();
          verdict.duplicated(MAILS, "'" + id + "' was delivered " + copies.size() + " times (stages " + recorded + ", first copy at "
              + firstCopy + ", " + nearestKill(firstCopy, notifierKills) + ")");
        }
      }
      if (!recorded.contains("sent")) {
        verdict.lost(MAILS, "'" + id + "' has stages " + recorded + " and " + copies.size() + " delivered cop"
            + (copies.size() == 1 ? "y" : "ies"));
      } else if (copies.isEmpty()) {
        verdict.lost(MAILS, "'" + id + "' is recorded sent but SES never received it");
      }
    }
  }

  /**
   * Explains two copies of one mail by a SIGKILL of the notifier while the first copy was between
   * sent and recorded: exactly two copies, one sent record naming the second copy only, and a kill
   * within {@link #SES_WINDOW_BOUND} of SES accepting the first copy (the request in flight, or the
   * acceptance not yet recorded) and before the second. Anything else is a real duplicate.
   */
  static Optional<String> killInSesWindow(List<OutboxMessage> copies, List<String> sentMessageIds, List<Instant> kills) {
    if (copies.size() != 2 || sentMessageIds.size() != 1) {
      return Optional.empty();
    }
    List<OutboxMessage> ordered = copies.stream().sorted(java.util.Comparator.comparing(OutboxMessage::sentAt)).toList();
    OutboxMessage first = ordered.get(0);
    OutboxMessage second = ordered.get(1);
    if (!second.messageId().equals(sentMessageIds.get(0))) {
      return Optional.empty();
    }
    return killInWindow(first.sentAt(), second.sentAt(), kills)
        .map(kill -> "SES accepted copy 1 at " + first.sentAt() + "; the notifier was SIGKILLed " + offset(first.sentAt(), kill)
            + " that acceptance (" + (kill.isBefore(first.sentAt()) ? "its request in flight" : "not yet recorded")
            + "), so it never recorded it; copy 2 sent at " + second.sentAt() + " after the restart");
  }

  /**
   * A SIGKILL within {@link #SES_WINDOW_BOUND} of the first copy's acceptance and before the second:
   * the only kill that explains a second copy of one mail or post.
   */
  static Optional<Instant> killInWindow(Instant firstCopy, Instant secondCopy, List<Instant> kills) {
    return kills.stream()
        .filter(kill -> kill.isBefore(secondCopy) && Duration.between(firstCopy, kill).abs().compareTo(SES_WINDOW_BOUND) <= 0)
        .findFirst();
  }

  /** Where the notifier kill nearest to {@code at} lies, for the message of a duplicate. */
  static String nearestKill(Instant at, List<Instant> kills) {
    return kills.stream().min(java.util.Comparator.comparing(kill -> Duration.between(at, kill).abs()))
        .map(kill -> "nearest notifier SIGKILL " + offset(at, kill) + " the first copy")
        .orElse("no notifier SIGKILL");
  }

  static String offset(Instant reference, Instant kill) {
    long millis = Duration.between(reference, kill).toMillis();
    return Math.abs(millis) + " ms " + (millis >= 0 ? "after" : "before");
  }

  /** The mail id header of a MIME message (headers end at the first empty line). */
  static String mailId(byte[] rawMime) {
    for (String line : new String(rawMime, StandardCharsets.UTF_8).split("\r?\n")) {
      if (line.isEmpty()) {
        return null;
      }
      if (line.regionMatches(true, 0, MAIL_ID_HEADER, 0, MAIL_ID_HEADER.length())) {
        return line.substring(MAIL_ID_HEADER.length()).trim();
      }
    }
    return null;
  }
}
