package io.strata.registry.server;

import io.strata.registry.server.RegistryFixture.Storage;

/** The real-client tests on S3 storage (S3Proxy). */
class S3ClientTest extends RegistryClientTestBase {
  @Override
  Storage storage() {
    return Storage.S3;
  }
}
