package dev.mlcanary.system;

import org.springframework.util.unit.DataSize;

/**
 * A body limit of its own for the paths under a prefix, instead of
 * {@code canary.max-request-size}: a feature whose requests are legitimately larger (a
 * batch) declares one as a bean, and {@link RequestSizeLimitFilter} applies it.
 *
 * @param pathPrefix raw request paths that start with this, e.g. {@code /v2/models/}
 * @param maxSize the largest body accepted there
 */
public record RequestBodyLimit(String pathPrefix, DataSize maxSize) {

}
