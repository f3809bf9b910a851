package io.casefeed.schemas.registry;

import io.casefeed.common.config.CommonConfig;
import org.apache.kafka.common.config.types.Password;

/** Builds the registry client an app's config asks for. */
public final class SchemaRegistries {

  private SchemaRegistries() {}

  public static SchemaRegistryClient fromConfig(CommonConfig config) {
    Password userInfo = config.schemaRegistryUserInfo();
    if (userInfo == null || userInfo.value().isEmpty()) {
      return new HttpSchemaRegistryClient(config.schemaRegistryUrl());
    }
    String value = userInfo.value();
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new org.apache.kafka.common.config.ConfigException(
          CommonConfig.SCHEMA_REGISTRY_USER_INFO, "[hidden]", "must be user:password");
    }
    return new HttpSchemaRegistryClient(config.schemaRegistryUrl(), value.substring(0, colon), value.substring(colon + 1));
  }
}
