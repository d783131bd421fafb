/**
 * Tar layers: apply ({@link io.strata.layer.LayerApplier}), write ({@link io.strata.layer.TarWriter}),
 * squash ({@link io.strata.layer.Flattener}), diffIDs and compression.
 *
 * <p>Design. Every layer is hostile input (SECURITY.md S1–S18). The tar stream is parsed by a strict,
 * bounded reader of our own ({@code TarReader}) that gives each entry one canonical name
 * ({@code Names}); every path is resolved inside the root one component at a time, following
 * symlinks as if the root were {@code /} ({@code RootPath}, after containerd's {@code fs.RootPath});
 * entries are created and their metadata set without ever following a final symlink
 * ({@code EntryWriter}, through {@link io.strata.sys.Syscalls}); whiteouts and opaque markers never
 * remove what the same layer unpacked ({@code WhiteoutHandler}, {@code Unpacked}). The diffID is the
 * sha256 of the whole decompressed stream, computed while applying ({@code LayerStream}), which is
 * also where the byte bound is enforced. Decompression is in-process only.
 */
package io.strata.layer;
