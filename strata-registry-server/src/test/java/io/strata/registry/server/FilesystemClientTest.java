package io.strata.registry.server;

import io.strata.registry.server.RegistryFixture.Storage;

/** The real-client tests on the file system storage. */
class FilesystemClientTest extends RegistryClientTestBase {
  @Override
  Storage storage() {
    return Storage.FILESYSTEM;
  }
}
