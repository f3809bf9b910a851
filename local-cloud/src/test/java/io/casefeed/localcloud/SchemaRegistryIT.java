package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local schema registry through casefeed's own HTTP client and plain REST calls. */
class SchemaRegistryIT {

  @TempDir
  Path dataDir;

  @Test
  void registersLooksUpAndFetchesByGlobalIdAndSurvivesARestart() {
    Schema sweep = SweepRecord.getClassSchema();
    int id;
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build())) {
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(cloud.schemaRegistryUrl());
      id = client.register("casefeed.sweeps-value", sweep);
      assertThat(new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).register("casefeed.sweeps-value", sweep)).isEqualTo(id);
      assertThat(new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).register("other-value", sweep))
          .as("one global id per distinct schema").isEqualTo(id);
      assertThat(new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).lookup("casefeed.sweeps-value", sweep)).isEqualTo(id);
      assertThat(new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).schemaById(id)).isEqualTo(sweep);
      assertThatThrownBy(() -> new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).lookup("absent-value", sweep))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.getMessage()).contains("404"));
    }
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build())) {
      assertThat(new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).schemaById(id)).isEqualTo(sweep);
    }
  }

  @Test
  void anOutageAnswersEveryRequest503AsALoadBalancerDoesAndTheSchemasAreThereAfterIt() throws Exception {
    Schema sweep = SweepRecord.getClassSchema();
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build())) {
      int id = new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).register("casefeed.sweeps-value", sweep);
      HttpClient http = HttpClient.newHttpClient();
      URI byId = URI.create(cloud.schemaRegistryUrl() + "/schemas/ids/" + id);

      cloud.schemaRegistryOutage(true);
      HttpResponse<String> down = http.send(HttpRequest.newBuilder(byId).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThatThrownBy(() -> new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).schemaById(id))
          .isInstanceOf(SchemaRegistryException.class);

      cloud.schemaRegistryOutage(false);
      assertThat(new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()).schemaById(id)).isEqualTo(sweep);
    }
  }

  @Test
  void backwardCompatibilityIsEnforcedWithAvrosChecker() throws Exception {
    Schema v1 = SchemaBuilder.record("Thing").namespace("test").fields().requiredString("name").endRecord();
    Schema v2 = SchemaBuilder.record("Thing").namespace("test").fields().requiredString("name")
        .name("colour").type().stringType().stringDefault("blue").endRecord();
    Schema breaking = SchemaBuilder.record("Thing").namespace("test").fields().requiredString("name")
        .requiredInt("size").endRecord();
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build())) {
      String url = cloud.schemaRegistryUrl();
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(url);
      int first = client.register("things-value", v1);
      int second = client.register("things-value", v2);
      assertThat(second).isNotEqualTo(first);
      assertThat(post(url + "/compatibility/subjects/things-value/versions/latest", breaking))
          .contains("\"is_compatible\":false");
      assertThat(post(url + "/compatibility/subjects/things-value/versions/latest", v2)).contains("\"is_compatible\":true");
      assertThatThrownBy(() -> client.register("things-value", breaking))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.getMessage()).contains("409"));
      HttpClient http = HttpClient.newHttpClient();
      String versions = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/things-value/versions")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(versions).isEqualTo("[1,2]");
      String latest = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/things-value/versions/latest")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(latest).contains("\"version\":2", "\"id\":" + second);
      String subjects = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(subjects).isEqualTo("[\"things-value\"]");
      HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(url + "/schemas/ids/999")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("40403");
      assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
    }
  }

  private static String post(String url, Schema schema) throws Exception {
    String body = "{\"schema\":" + com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
        .writeValueAsString(schema.toString()) + "}";
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
