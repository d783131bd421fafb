/**
 * Images with docker's semantics over a strata store, and the archive formats.
 *
 * <p>{@link io.strata.image.ImageService} is the one entry point (the CLI's). Behind it:
 * <ul>
 *   <li>naming: {@code ImageResolver} (docker's GetImage order: ID, name, name@digest, ID prefix),
 *       {@code ImageNames} (tags stored as full references, shown familiar), {@code ReferenceGlob}
 *       (Go's {@code path.Match} for {@code reference=} filters);</li>
 *   <li>views and rules: {@code ImageListing} (images, system df), {@code ImageViews} (history,
 *       inspect), {@code ImageRemover} (rmi, prune; blobs go through the store's GC);</li>
 *   <li>load: {@code ArchiveSpool} reads the tar once as a stream, in any entry order, metadata
 *       into memory and every other member into the content store under one lease
 *       ({@code IngestSession}); {@code OciLayoutReader} / {@code DockerArchiveReader} find the
 *       images; {@code ImageRecorder} recomputes each layer's diffID against the config and records
 *       everything in one transaction. Closing the session removes blobs the load created that
 *       nothing references, so a failed load leaves the store exactly as before;</li>
 *   <li>save: {@code ArchiveWriter} streams one tar holding an OCI layout and, for the docker
 *       format, docker's {@code manifest.json}/{@code repositories} over the same uncompressed
 *       layer blobs ({@code TarSink} knows every entry's size before writing it);</li>
 *   <li>{@code Importer} ({@code docker import} with {@code ImportChanges}) and {@code Exporter}
 *       (flattened root filesystem via strata-layer).</li>
 * </ul>
 */
package io.strata.image;
