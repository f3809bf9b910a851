package io.casefeed.localcloud.ses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.OutboxMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Every mail SES accepted, in order: each saved as {@code <messageId>.eml} (the MIME a recipient
 * gets, openable in any mail client) with a {@code .json} beside it (envelope and tags), and reloaded
 * from there after a restart.
 */
public final class Outbox {

  private final Path folder;
  private final ObjectMapper json;
  private final List<OutboxMessage> messages = new CopyOnWriteArrayList<>();

  public Outbox(Path folder, ObjectMapper json) {
    this.folder = folder;
    this.json = json;
    try {
      Files.createDirectories(folder);
      List<OutboxMessage> saved = new ArrayList<>();
      try (Stream<Path> files = Files.list(folder)) {
        for (Path envelope : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
          saved.add(read(envelope));
        }
      }
      saved.sort((a, b) -> a.sentAt().compareTo(b.sentAt()));
      messages.addAll(saved);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the outbox " + folder, e);
    }
  }

  public Path folder() {
    return folder;
  }

  public List<OutboxMessage> messages() {
    return List.copyOf(messages);
  }

  public void add(OutboxMessage message) {
    String name = message.messageId();
    try {
      Files.write(folder.resolve(name + ".eml"), message.rawMime());
      ObjectNode envelope = json.createObjectNode();
      envelope.put("messageId", message.messageId());
      envelope.put("from", message.from());
      envelope.set("to", json.valueToTree(message.to()));
      envelope.set("tags", json.valueToTree(message.tags()));
      envelope.put("sentAt", message.sentAt().toString());
      json.writeValue(folder.resolve(name + ".json").toFile(), envelope);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save mail " + name + " to " + folder, e);
    }
    messages.add(message);
  }

  /** Empties the outbox, its files included. */
  public void clear() {
    for (OutboxMessage message : messages) {
      try {
        Files.deleteIfExists(folder.resolve(message.messageId() + ".eml"));
        Files.deleteIfExists(folder.resolve(message.messageId() + ".json"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    messages.clear();
  }

  private OutboxMessage read(Path envelopeFile) throws IOException {
    ObjectNode envelope = (ObjectNode) json.readTree(envelopeFile.toFile());
    String id = envelope.path("messageId").asText();
    List<String> to = new ArrayList<>();
    envelope.path("to").forEach(address -> to.add(address.asText()));
    Map<String, String> tags = new LinkedHashMap<>();
    envelope.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
    return new OutboxMessage(id, envelope.path("from").asText(), to, Files.readAllBytes(folder.resolve(id + ".eml")),
        tags, Instant.parse(envelope.path("sentAt").asText()));
  }
}
