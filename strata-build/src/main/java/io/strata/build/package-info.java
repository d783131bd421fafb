/** Dockerfile builds: parser, shell-word expansion, .dockerignore, build plan, layer cache, execution. */
package io.strata.build;
