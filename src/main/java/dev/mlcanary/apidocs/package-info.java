/**
 * The OpenAPI description at {@code /v3/api-docs} and Swagger UI at {@code /docs}: the
 * annotations controllers use to document their refusals and generations, and the catalog
 * of problems with real examples, which {@code ApiDocsTest} keeps true.
 */
@NullMarked
package dev.mlcanary.apidocs;

import org.jspecify.annotations.NullMarked;
