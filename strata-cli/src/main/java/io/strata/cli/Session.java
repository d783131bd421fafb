package io.strata.cli;

import io.strata.image.ImageService;
import io.strata.runtime.Containers;
import io.strata.snapshot.Snapshotters;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One invocation's state shared by the commands: the streams, the store root chosen by
 * {@code --root}, and the {@link ImageService}, opened only when a command first needs it (so
 * {@code --help}, {@code version} and usage errors never touch the database).
 */
public final class Session implements AutoCloseable {
  private final Streams streams;
  private final PrintWriter out;
  private Path rootFlag;
  private ImageService images;
  private String storageDriver;
  private Containers containers;
  private java.util.List<String> insecureRegistries = java.util.List.of();

  public Session(Streams streams) {
    this.streams = streams;
    this.out = new PrintWriter(new OutputStreamWriter(streams.out(), StandardCharsets.UTF_8), false);
  }

  public Streams streams() {
    return streams;
  }

  /** Text output; flushed when the command ends. */
  public PrintWriter out() {
    return out;
  }

  void rootFlag(Path root) {
    this.rootFlag = root;
  }

  public Path root() {
    return StoreRoot.resolve(rootFlag, streams.env(), StoreRoot.runningAsRoot());
  }

  public ImageService images() {
    if (images == null) {
      images = ImageService.open(root());
      Snapshotters.enrolGc(images.store()); // removing images also removes their unpacked layers
    }
    return images;
  }

  void insecureRegistries(java.util.List<String> hosts) {
    this.insecureRegistries = java.util.List.copyOf(hosts);
  }

  /** {@code --insecure-registry} hosts. */
  java.util.List<String> insecureRegistries() {
    return insecureRegistries;
  }

  void storageDriver(String driver) {
    this.storageDriver = driver;
  }

  /** Containers on the {@code --storage-driver} snapshotter ($STRATA_STORAGE_DRIVER, else the host's best). */
  public Containers containers() {
    if (containers == null) {
      String driver = storageDriver != null ? storageDriver : streams.env().get("STRATA_STORAGE_DRIVER");
      containers = Containers.open(images(), driver, streams.env().get("STRATA_RUNTIME"));
    }
    return containers;
  }

  @Override
  public void close() {
    out.flush();
    if (images != null) {
      ImageService open = images;
      images = null;
      open.close();
    }
  }
}
