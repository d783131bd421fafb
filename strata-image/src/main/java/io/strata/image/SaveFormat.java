package io.strata.image;

/**
 * Archive formats of {@code save}. {@link #DOCKER}: docker's {@code manifest.json} and
 * {@code repositories} together with an OCI layout in one tar, uncompressed layers (what
 * {@code docker save} 25+ writes, readable by docker 20.10, skopeo and OCI tools).
 * {@link #OCI}: an OCI image layout only, with the blobs as stored.
 */
public enum SaveFormat { DOCKER, OCI }
