package io.strata.registry.server;

import io.strata.registry.server.RegistryFixture.Storage;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One registry per storage for a whole test class (tests keep apart by repository names of their own);
 * tests take a {@link Storage} parameter ({@code @EnumSource(Storage.class)}) so each runs on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoStorageTestBase {
  private final Map<Storage, RegistryFixture> registries = new EnumMap<>(Storage.class);

  /** The configuration both registries get (address and storage already set). */
  RegistryConfig configure(RegistryConfig c) {
    return c;
  }

  @BeforeAll
  void startRegistries() throws Exception {
    for (Storage s : Storage.values()) registries.put(s, RegistryFixture.start(s, this::configure));
  }

  @AfterAll
  void stopRegistries() throws Exception {
    for (RegistryFixture f : registries.values()) f.close();
    registries.clear();
  }

  RegistryFixture registry(Storage s) {
    return registries.get(s);
  }

  RegistryHttp http(Storage s) {
    return new RegistryHttp(registries.get(s).port());
  }
}
