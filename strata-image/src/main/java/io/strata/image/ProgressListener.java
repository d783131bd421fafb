package io.strata.image;

/** Progress of a long operation: {@code id} names the item (archive member, layer), {@code total} is -1 when unknown. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (id, status, current, total) -> { };

  void onEvent(String id, String status, long current, long total);
}
