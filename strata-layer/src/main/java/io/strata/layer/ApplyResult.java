package io.strata.layer;

import io.strata.oci.Digest;

/**
 * What applying a layer produced.
 *
 * @param diffId sha256 of the whole uncompressed stream, bytes after the tar end blocks included
 * @param uncompressedSize length of that stream
 * @param entries logical tar entries read (PAX and GNU long-name records not counted)
 */
public record ApplyResult(Digest diffId, long uncompressedSize, long entries) {}
